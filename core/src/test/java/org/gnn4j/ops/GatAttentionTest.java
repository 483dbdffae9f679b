package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class GatAttentionTest {
  /**
   * Heads and channels: rows the vector kernels take (HC a multiple of the vector length, C
   * dividing it or a multiple of it: 8 x 8, 4 x 4, 2 x 16, 1 x 32) and rows they hand to the
   * scalar reference (one head of 3, C = 5, C = 17).
   */
  static final int[][] SHAPES = {{8, 8}, {4, 4}, {2, 16}, {1, 32}, {1, 3}, {2, 5}, {3, 17}};

  private static Tensor unfused(EdgeIndex g, Tensor x, Tensor ss, Tensor sd, float slope) {
    Tensor logits = Gather.src(ss, g).add(Gather.dst(sd, g)).leakyRelu(slope);
    return Spmm.aggregate(g, EdgeSoftmax.apply(logits, g), x);
  }

  @Test
  void equalsTheUnfusedCompositionInValuesAndGradientsOnBothKernelSets() {
    for (Kernels kernels : Contexts.kernelSets()) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(5)) {
        for (int[] hc : SHAPES) {
          EdgeIndex g = c.edges();
          String what = kernels.name() + " " + c.name() + " H=" + hc[0] + " C=" + hc[1];
          try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
            SplittableRandom r = new SplittableRandom(9);
            int n = g.numSrcNodes();
            Tensor x1 = ctx.randn(r, n, hc[0], hc[1]).requiresGrad(true);
            Tensor s1 = ctx.randn(r, n, hc[0]).requiresGrad(true);
            Tensor d1 = ctx.randn(r, n, hc[0]).requiresGrad(true);
            Tensor x2 = x1.detach().requiresGrad(true);
            Tensor s2 = s1.detach().requiresGrad(true);
            Tensor d2 = d1.detach().requiresGrad(true);
            Tensor w = ctx.randn(r, n, hc[0], hc[1]);
            Tensor fused = GatAttention.apply(g, x1, s1, d1, 0.2f);
            Tensor plain = unfused(g, x2, s2, d2, 0.2f);
            float tol = 2e-5f * (float) Math.max(1, Math.sqrt(g.numEdges()));
            assertArrayEquals(plain.data(), fused.data(), tol, what + " out");
            fused.mul(w).sum().backward();
            plain.mul(w).sum().backward();
            assertArrayEquals(x2.gradArray(), x1.gradArray(), tol, what + " dx");
            assertArrayEquals(s2.gradArray(), s1.gradArray(), tol, what + " dss");
            assertArrayEquals(d2.gradArray(), d1.gradArray(), tol, what + " dsd");
          }
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferencesOnBothKernelSets() {
    EdgeIndex g = RandomGraphs.uniform(7, 20, 3);
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        SplittableRandom r = new SplittableRandom(4);
        Tensor x = ctx.randn(r, 7, 2, 3).requiresGrad(true);
        Tensor ss = ctx.randn(r, 7, 2).requiresGrad(true);
        Tensor sd = ctx.randn(r, 7, 2).requiresGrad(true);
        GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("gat_attention " + kernels.name(),
            4, in -> GatAttention.apply(g, in[0], in[1], in[2], 0.2f), x, ss, sd);
      }
    }
  }

  @Test
  void sameBitsForTheSameThreadCount() {
    EdgeIndex g = RandomGraphs.uniform(300, 3000, 7);
    for (Kernels kernels : Contexts.kernelSets()) {
      float[][] runs = new float[2][];
      for (int run = 0; run < 2; run++) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          SplittableRandom r = new SplittableRandom(1);
          Tensor x = ctx.randn(r, 300, 4, 8).requiresGrad(true);
          Tensor ss = ctx.randn(r, 300, 4).requiresGrad(true);
          Tensor sd = ctx.randn(r, 300, 4).requiresGrad(true);
          GatAttention.apply(g, x, ss, sd, 0.2f).sum().backward();
          runs[run] = x.gradArray().clone();
        }
      }
      assertArrayEquals(runs[0], runs[1], 0f, kernels.name());
    }
  }

  @Test
  void badShapesAreNamed() {
    EdgeIndex g = RandomGraphs.uniform(4, 6, 1);
    try (Context ctx = Context.create()) {
      var err = assertThrows(IllegalArgumentException.class,
          () -> GatAttention.apply(g, ctx.zeros(4, 2, 3), ctx.zeros(4, 3), ctx.zeros(4, 2), 0.2f));
      assertTrue(err.getMessage().contains("gat_attention: ss must be [4, 2]"), err.getMessage());
      err = assertThrows(IllegalArgumentException.class,
          () -> GatAttention.apply(g, ctx.zeros(5, 2, 3), ctx.zeros(5, 2), ctx.zeros(4, 2), 0.2f));
      assertTrue(err.getMessage().contains("gat_attention: x must be [4, 2, 3]"), err.getMessage());
    }
  }
}
