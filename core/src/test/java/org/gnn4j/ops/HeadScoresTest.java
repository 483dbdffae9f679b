package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class HeadScoresTest {
  /** Rows x heads x channels: one row, loop tails, GAT's 8 x 8, and more rows than a chunk. */
  private static final int[][] SHAPES = {{1, 1, 1}, {3, 2, 5}, {17, 8, 8}, {33, 3, 17},
      {1000, 4, 16}};

  @Test
  void equalsMulThenSumInValuesAndGradientsOnBothKernelSets() {
    for (Kernels kernels : Contexts.kernelSets()) {
      for (int[] s : SHAPES) {
        String what = kernels.name() + " N=" + s[0] + " H=" + s[1] + " C=" + s[2] + " seed 5";
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          SplittableRandom r = new SplittableRandom(5);
          Tensor x1 = ctx.randn(r, s[0], s[1], s[2]).requiresGrad(true);
          Tensor a1 = ctx.randn(r, 1, s[1], s[2]).requiresGrad(true);
          Tensor w = ctx.randn(r, s[0], s[1]);
          Tensor x2 = x1.detach().requiresGrad(true);
          Tensor a2 = a1.detach().requiresGrad(true);
          Tensor fused = HeadScores.apply(x1, a1);
          Tensor plain = x2.mul(a2).sum(2);
          // the same products summed in double in the same order: equal bits
          assertArrayEquals(plain.data(), fused.data(), 0f, what + " score");
          fused.mul(w).sum().backward();
          plain.mul(w).sum().backward();
          assertArrayEquals(x2.gradArray(), x1.gradArray(), 0f, what + " dx");
          // dAtt sums over N in double, in chunks that may differ from the broadcast reduction's
          assertArrayEquals(a2.gradArray(), a1.gradArray(), 1e-5f * s[0], what + " dAtt");
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferencesOnBothKernelSets() {
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        SplittableRandom r = new SplittableRandom(8);
        Tensor x = ctx.randn(r, 9, 3, 5).requiresGrad(true);
        Tensor att = ctx.randn(r, 1, 3, 5).requiresGrad(true);
        GradCheck.defaults().check("head_scores " + kernels.name(), 4,
            in -> HeadScores.apply(in[0], in[1]), x, att);
      }
    }
  }

  @Test
  void sameBitsForTheSameThreadCount() {
    for (Kernels kernels : Contexts.kernelSets()) {
      float[][] first = null;
      for (int run = 0; run < 2; run++) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          SplittableRandom r = new SplittableRandom(3);
          Tensor x = ctx.randn(r, 2000, 8, 8).requiresGrad(true);
          Tensor att = ctx.randn(r, 1, 8, 8).requiresGrad(true);
          Tensor out = HeadScores.apply(x, att);
          out.mul(out).sum().backward();
          float[][] got = {out.data().clone(), x.gradArray().clone(), att.gradArray().clone()};
          if (first == null) {
            first = got;
          } else {
            for (int i = 0; i < got.length; i++) {
              assertArrayEquals(first[i], got[i], 0f, kernels.name() + " output " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void rejectsAttentionOfTheWrongSize() {
    try (Context ctx = Context.builder().threads(1).build()) {
      SplittableRandom r = new SplittableRandom(1);
      Tensor x = ctx.randn(r, 4, 2, 3);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HeadScores.apply(x, ctx.randn(r, 1, 3, 2)));
      assertTrue(e.getMessage().contains("head_scores"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> HeadScores.apply(ctx.randn(r, 4, 6), x));
    }
  }
}
