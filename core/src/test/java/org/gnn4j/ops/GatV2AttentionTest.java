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

class GatV2AttentionTest {
  /**
   * Heads and channels: rows the vector kernels take (HC a multiple of the vector length, C
   * dividing it or a multiple of it: 8 x 8, 4 x 4, 2 x 16, 1 x 32) and rows they hand to the
   * scalar reference (one head of 3, C = 5, C = 17).
   */
  static final int[][] SHAPES = {{8, 8}, {4, 4}, {2, 16}, {1, 32}, {1, 3}, {2, 5}, {3, 17}};

  private static Tensor unfused(EdgeIndex g, Tensor xl, Tensor xr, Tensor att, float slope) {
    Tensor logits = Gather.src(xl, g).add(Gather.dst(xr, g)).leakyRelu(slope).mul(att).sum(2);
    return Spmm.aggregate(g, EdgeSoftmax.apply(logits, g), xl);
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
            Tensor l1 = ctx.randn(r, n, hc[0], hc[1]).requiresGrad(true);
            Tensor r1 = ctx.randn(r, n, hc[0], hc[1]).requiresGrad(true);
            Tensor a1 = ctx.randn(r, 1, hc[0], hc[1]).requiresGrad(true);
            Tensor l2 = l1.detach().requiresGrad(true);
            Tensor r2 = r1.detach().requiresGrad(true);
            Tensor a2 = a1.detach().requiresGrad(true);
            Tensor w = ctx.randn(r, n, hc[0], hc[1]);
            Tensor fused = GatV2Attention.apply(g, l1, r1, a1, 0.2f);
            Tensor plain = unfused(g, l2, r2, a2, 0.2f);
            float tol = 3e-5f * (float) Math.max(1, Math.sqrt(g.numEdges()));
            assertArrayEquals(plain.data(), fused.data(), tol, what + " out");
            fused.mul(w).sum().backward();
            plain.mul(w).sum().backward();
            assertArrayEquals(l2.gradArray(), l1.gradArray(), tol, what + " dxl");
            assertArrayEquals(r2.gradArray(), r1.gradArray(), tol, what + " dxr");
            assertArrayEquals(a2.gradArray(), a1.gradArray(), tol * 10, what + " datt");
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
        Tensor xl = ctx.randn(r, 7, 2, 3).requiresGrad(true);
        Tensor xr = ctx.randn(r, 7, 2, 3).requiresGrad(true);
        Tensor att = ctx.randn(r, 2, 3).requiresGrad(true);
        GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("gatv2_attention " + kernels.name(),
            4, in -> GatV2Attention.apply(g, in[0], in[1], in[2], 0.2f), xl, xr, att);
      }
    }
  }

  @Test
  void sameBitsForTheSameThreadCount() {
    EdgeIndex g = RandomGraphs.uniform(300, 3000, 7);
    for (Kernels kernels : Contexts.kernelSets()) {
      float[][] runs = new float[4][];
      for (int run = 0; run < 2; run++) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          SplittableRandom r = new SplittableRandom(1);
          Tensor xl = ctx.randn(r, 300, 4, 8).requiresGrad(true);
          Tensor xr = ctx.randn(r, 300, 4, 8).requiresGrad(true);
          Tensor att = ctx.randn(r, 1, 4, 8).requiresGrad(true);
          GatV2Attention.apply(g, xl, xr, att, 0.2f).sum().backward();
          runs[run] = xl.gradArray().clone();
          runs[run + 2] = att.gradArray().clone();
        }
      }
      assertArrayEquals(runs[0], runs[1], 0f, kernels.name());
      assertArrayEquals(runs[2], runs[3], 0f, kernels.name());
    }
  }

  @Test
  void badShapesAreNamed() {
    EdgeIndex g = RandomGraphs.uniform(4, 6, 1);
    try (Context ctx = Context.create()) {
      var err = assertThrows(IllegalArgumentException.class,
          () -> GatV2Attention.apply(g, ctx.zeros(4, 2, 3), ctx.zeros(4, 2, 3), ctx.zeros(2, 2), 0.2f));
      assertTrue(err.getMessage().contains("gatv2_attention: att must be [1, 2, 3] or [2, 3]"),
          err.getMessage());
      err = assertThrows(IllegalArgumentException.class,
          () -> GatV2Attention.apply(g, ctx.zeros(4, 2, 3), ctx.zeros(4, 3, 3), ctx.zeros(2, 3), 0.2f));
      assertTrue(err.getMessage().contains("gatv2_attention: xr must be [4, 2, 3]"), err.getMessage());
    }
  }
}
