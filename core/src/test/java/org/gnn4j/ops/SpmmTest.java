package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class SpmmTest {
  private static final long SEED = 15;

  /** out[dst[e], h, :] += w[e, h] * x[src[e], h, :] over COO edges, in double. */
  private static float[] naive(EdgeIndex e, float[] w, int heads, float[] x, int f) {
    int c = f / heads;
    double[] acc = new double[e.numDstNodes() * f];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        double wv = w == null ? 1 : w[i * heads + h];
        for (int k = h * c; k < (h + 1) * c; k++) {
          acc[e.dst()[i] * f + k] += wv * x[e.src()[i] * f + k];
        }
      }
    }
    float[] out = new float[acc.length];
    for (int i = 0; i < acc.length; i++) out[i] = (float) acc[i];
    return out;
  }

  @Test
  void matchesNaiveCooSumForEveryWeightLayoutOnBothKernelSets() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          EdgeIndex e = c.edges();
          SplittableRandom r = new SplittableRandom(SEED);
          int n = e.numNodes();
          double atol = 1e-5 * Math.sqrt(e.numEdges() + 1);
          Tensor x = ctx.randn(r, n, 19);
          Tensor w = ctx.randn(r, e.numEdges());
          OpAssert.assertClose("spmm sum " + c + " seed " + SEED, naive(e, null, 1, x.data(), 19),
              Spmm.aggregate(e, null, x).data(), atol, 1e-5);
          OpAssert.assertClose("spmm w[E] " + c + " seed " + SEED,
              naive(e, w.data(), 1, x.data(), 19),
              Spmm.aggregate(e, w, x).data(), atol, 1e-5);
          Tensor xh = ctx.randn(r, n, 3, 5);
          Tensor wh = ctx.randn(r, e.numEdges(), 3);
          Tensor out = Spmm.aggregate(e, wh, xh);
          assertEquals(Shape.of(n, 3, 5), out.shape());
          OpAssert.assertClose("spmm w[E, H] " + c + " seed " + SEED,
              naive(e, wh.data(), 3, xh.data(), 15),
              out.data(), atol, 1e-5);
        }
      }
    }
  }

  @Test
  void bipartiteOutputHasOneRowPerTarget() {
    try (Context ctx = Contexts.vector(1)) {
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0, 2, 2}, new int[] {1, 1, 0}, 3, 2);
      Tensor x = ctx.tensor(new float[] {1, 2, 3}, 3, 1);
      assertArrayEquals(new float[] {3, 4}, Spmm.aggregate(e, null, x).data());
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnEveryEdgeCase() {
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        EdgeIndex e = c.edges();
        boolean hub = c.name().startsWith("hub");
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = ctx.randn(r, e.numNodes(), hub ? 2 : 3).requiresGrad(true);
        Tensor w = ctx.randn(r, e.numEdges()).requiresGrad(true);
        GradCheck.defaults().check("spmm sum " + c, SEED, in -> Spmm.aggregate(e, null, in[0]), x);
        GradCheck.defaults().check("spmm w[E] " + c, SEED, in -> Spmm.aggregate(e, in[0], in[1]),
            w, x);
        Tensor xh = ctx.randn(r, e.numNodes(), 2, hub ? 1 : 3).requiresGrad(true);
        Tensor wh = ctx.randn(r, e.numEdges(), 2).requiresGrad(true);
        GradCheck.defaults().check("spmm w[E, H] " + c, SEED,
            in -> Spmm.aggregate(e, in[0], in[1]), wh, xh);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnRandomShapes() {
    try (Context ctx = Contexts.scalar(2)) {
      SplittableRandom r = new SplittableRandom(SEED);
      for (int trial = 0; trial < 4; trial++) {
        int ns = 1 + r.nextInt(6);
        int nd = 1 + r.nextInt(6);
        int edges = r.nextInt(20);
        int[] src = new int[edges];
        int[] dst = new int[edges];
        for (int i = 0; i < edges; i++) {
          src[i] = r.nextInt(ns);
          dst[i] = r.nextInt(nd);
        }
        EdgeIndex e = EdgeIndex.bipartite(src, dst, ns, nd);
        int heads = 1 + r.nextInt(3);
        Tensor x = ctx.randn(r, ns, heads, 1 + r.nextInt(4)).requiresGrad(true);
        Tensor w = ctx.randn(r, edges, heads).requiresGrad(true);
        GradCheck.defaults().check("spmm " + x.shape() + " " + e, SEED + trial,
            in -> Spmm.aggregate(e, in[0], in[1]), w, x);
      }
    }
  }

  @Test
  void sameBitsForOneAndTwoThreads() {
    EdgeIndex e = RandomGraphs.uniform(2000, 40000, SEED);
    float[][] outs = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = Contexts.vector(t)) {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = ctx.randn(r, 2000, 24);
        Tensor w = ctx.randn(r, 40000);
        outs[t - 1] = Spmm.aggregate(e, w, x).data();
      }
    }
    assertArrayEquals(outs[0], outs[1], "spmm bits differ between 1 and 2 threads, seed " + SEED);
  }

  @Test
  void zeroWidthFeaturesAndZeroHeadsGiveEmptyRows() {
    try (Context ctx = Contexts.vector(2)) {
      EdgeIndex e = RandomGraphs.uniform(4, 6, SEED);
      assertEquals(Shape.of(4, 0), Spmm.aggregate(e, ctx.ones(6), ctx.zeros(4, 0)).shape());
      Tensor w = ctx.zeros(6, 0).requiresGrad(true);
      Tensor x = ctx.zeros(4, 0, 3).requiresGrad(true);
      assertEquals(Shape.of(4, 0, 3), Spmm.aggregate(e, w, x).shape());
      assertEquals(Shape.of(6, 0), Sddmm.dot(e, x, x).shape());
      assertEquals(Shape.of(4, 0), Scatter.max(ctx.zeros(6, 0), e).shape());
    }
  }

  @Test
  void rejectsFeaturesWithWrongRowCount() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 4, 2);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> Spmm.aggregate(e, null, ctx.zeros(2, 8)));
      assertTrue(ex.getMessage().startsWith("spmm:") && ex.getMessage().contains("[2, 8]")
          && ex.getMessage().contains("[4, 8]"), ex.getMessage());
    }
  }

  @Test
  void rejectsWeightsOfWrongLengthOrHeads() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = RandomGraphs.uniform(4, 6, SEED);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> Spmm.aggregate(e, ctx.zeros(5), ctx.zeros(4, 3)));
      assertTrue(ex.getMessage().startsWith("spmm:") && ex.getMessage().contains("[5]")
          && ex.getMessage().contains("[6]"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> Spmm.aggregate(e, ctx.zeros(6, 2), ctx.zeros(4, 3, 5)));
      assertTrue(ex.getMessage().contains("[6, 2]") && ex.getMessage().contains("[4, 3, 5]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> Spmm.aggregate(e, ctx.zeros(6, 2), ctx.zeros(4, 6)));
      assertTrue(ex.getMessage().contains("[4, 6]"), ex.getMessage());
    }
  }
}
