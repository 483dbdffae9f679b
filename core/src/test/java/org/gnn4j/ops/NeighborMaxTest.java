package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class NeighborMaxTest {
  private static final long SEED = 77;

  private static Tensor randn(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
    return t;
  }

  /**
   * [n, f] with every column a shuffled grid of step 0.05: distinct sources never come within a
   * finite-difference step of each other, so only duplicate edges tie.
   */
  private static Tensor separated(Context ctx, SplittableRandom r, int n, int f) {
    Tensor t = ctx.zeros(n, f);
    float[] d = t.data();
    for (int k = 0; k < f; k++) {
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) perm[i] = i;
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
      for (int i = 0; i < n; i++) d[i * f + k] = (perm[i] - n / 2) * 0.05f;
    }
    return t;
  }

  @Test
  void forwardEqualsScatterMaxOfGatheredRows() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          Tensor x = randn(ctx, new SplittableRandom(SEED), c.edges().numSrcNodes(), 19);
          float[] expected = Scatter.max(Gather.src(x, c.edges()), c.edges()).data();
          assertArrayEquals(expected, NeighborMax.aggregate(c.edges(), x).data(), 0f,
              c.name() + " " + k.name() + " seed=" + SEED);
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    // duplicate edges tie exactly, and a perturbation moves every copy: the split gradient of
    // the copies sums to the one-sided derivative, so finite differences see it
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          Tensor x = separated(ctx, new SplittableRandom(SEED + 1), c.edges().numSrcNodes(), 9)
              .requiresGrad(true);
          GradCheck.defaults().eps(1e-3).check(c.name() + " " + k.name(), SEED,
              in -> NeighborMax.aggregate(c.edges(), in[0]), x);
        }
      }
    }
  }

  @Test
  void tiedMaximaShareTheGradientAndEmptyTargetsGetZero() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(1).kernels(k).build()) {
        // targets: 0 <- {1, 2, 3}, 1 <- {3, 3} (duplicate), 2 <- nothing
        EdgeIndex e = EdgeIndex.bipartite(new int[] {1, 2, 3, 3, 3}, new int[] {0, 0, 0, 1, 1},
            4, 3);
        Tensor x = ctx.tensor(new float[] {9, 9, -2, -5, -2, -7, -3, -8}, 4, 2)
            .requiresGrad(true);
        Tensor out = NeighborMax.aggregate(e, x);
        // target 0: channel 0 max(-2, -2, -3) = -2 tied by sources 1 and 2; channel 1 -5
        assertArrayEquals(new float[] {-2, -5, -3, -8, 0, 0}, out.data(), 0f, k.name());
        Autograd.backward(out, new float[] {1, 10, 100, 1000, 5, 5});
        assertArrayEquals(new float[] {0, 0, 0.5f, 10, 0.5f, 0, 100, 1000}, x.gradArray(), 0f,
            k.name());
      }
    }
  }

  @Test
  void rejectsWrongRowCount() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 3, 2);
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> NeighborMax.aggregate(e, ctx.zeros(2, 4)));
      assertTrue(ex.getMessage().startsWith("neighbor_max: x must have one row per source node"),
          ex.getMessage());
    }
  }
}
