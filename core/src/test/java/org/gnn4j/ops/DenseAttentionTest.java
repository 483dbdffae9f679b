package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * The blocked O(N)-memory attention equals fused graph attention over the all-pairs-within-graph
 * edge set, forward and gradients, including graphs larger than one query (64) and key (256)
 * block, a one-node graph and an empty graph id.
 */
class DenseAttentionTest {
  private static int[] batch(int... sizes) {
    int n = 0;
    for (int s : sizes) n += s;
    int[] b = new int[n];
    for (int g = 0, p = 0; g < sizes.length; g++) for (int i = 0; i < sizes[g]; i++) b[p++] = g;
    return b;
  }

  @Test
  void equalsGraphAttentionOverAllPairsWithinGraphs() {
    int[][] batches = {batch(300), batch(1, 70, 5, 260), batch(3, 0, 4)};
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (int[] b : batches) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          SplittableRandom r = new SplittableRandom(b.length);
          int n = b.length;
          Tensor[] a = {ctx.randn(r, n, 2, 8).requiresGrad(true),
              ctx.randn(r, n, 2, 8).requiresGrad(true), ctx.randn(r, n, 2, 8).requiresGrad(true)};
          Tensor[] e = new Tensor[3];
          for (int i = 0; i < 3; i++) e[i] = ctx.tensor(a[i].data(), n, 2, 8).requiresGrad(true);
          float scale = 0.35f;
          int[] ptr = b.length == 7 ? new int[] {0, 3, 3, 7}
              : BatchVector.offsets("DenseAttention", b);
          Tensor dense = DenseAttention.apply(a[0], a[1], a[2], ptr, scale);
          Tensor ref = GraphAttention.apply(EdgeSets.withinGraphs(b), e[0], e[1], e[2], scale);
          String what = kernels.name() + " n=" + n;
          OpAssert.assertClose(what + " out", ref.data(), dense.data(), 1e-5, 1e-4);
          float[] g = ctx.randn(r, dense.numel()).data();
          Autograd.backward(dense, g);
          Autograd.backward(ref, g.clone());
          for (int i = 0; i < 3; i++) {
            OpAssert.assertClose(what + " grad " + "qkv".charAt(i), e[i].gradArray(),
                a[i].gradArray(), 1e-5, 1e-4);
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(12);
      Tensor q = ctx.randn(r, 7, 2, 3).requiresGrad(true);
      Tensor k = ctx.randn(r, 7, 2, 3).requiresGrad(true);
      Tensor v = ctx.randn(r, 7, 2, 3).requiresGrad(true);
      int[] ptr = {0, 4, 7};
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("dense attention", 12,
          in -> DenseAttention.apply(in[0], in[1], in[2], ptr, 0.7f), q, k, v);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesAcrossTilesAndBlocksWithBothKernelSets() {
    // 70 nodes: more than one tile of query lanes (16 or 32) and one streamed block (64 rows);
    // C = 5: one full group of 4 channels and a tail; a 3-node graph after it in the batch.
    int[] ptr = {0, 70, 73};
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        SplittableRandom r = new SplittableRandom(21);
        Tensor q = ctx.randn(r, 73, 2, 5).requiresGrad(true);
        Tensor k = ctx.randn(r, 73, 2, 5).requiresGrad(true);
        Tensor v = ctx.randn(r, 73, 2, 5).requiresGrad(true);
        GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).maxElements(48)
            .check(kernels.name() + " dense attention, 2 tiles", 21,
                in -> DenseAttention.apply(in[0], in[1], in[2], ptr, 0.6f), q, k, v);
      }
    }
  }

  @Test
  void sameBitsForOneAndTwoThreads() {
    float[][] outs = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = Context.builder().threads(t).build()) {
        SplittableRandom r = new SplittableRandom(5);
        Tensor q = ctx.randn(r, 200, 2, 8);
        outs[t - 1] = DenseAttention.apply(q, q, q, new int[] {0, 130, 200}, 0.3f).data();
      }
    }
    assertArrayEquals(outs[0], outs[1]);
  }

  @Test
  void rejectsBadOffsetsAndShapes() {
    try (Context ctx = Context.create()) {
      Tensor q = ctx.zeros(5, 2, 4);
      var e = assertThrows(IllegalArgumentException.class,
          () -> DenseAttention.apply(q, q, q, new int[] {0, 3}, 1f));
      assertTrue(e.getMessage().contains("N = 5"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> DenseAttention.apply(q, q, q, new int[] {0, 4, 2, 5}, 1f));
      assertTrue(e.getMessage().contains("decreases"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> DenseAttention.apply(q, ctx.zeros(5, 2, 3), q, new int[] {0, 5}, 1f));
      assertTrue(e.getMessage().contains("[5, 2, 3]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> BatchVector.offsets("DenseAttention", new int[] {0, 1, 0}));
      assertTrue(e.getMessage().contains("sorted"), e.getMessage());
    }
  }
}
