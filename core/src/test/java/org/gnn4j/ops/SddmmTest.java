package org.gnn4j.ops;

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

class SddmmTest {
  private static final long SEED = 16;

  private static float[] naive(EdgeIndex e, float[] a, float[] b, int heads, int c) {
    float[] out = new float[e.numEdges() * heads];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        double s = 0;
        for (int k = 0; k < c; k++) {
          s += (double) a[(e.src()[i] * heads + h) * c + k] * b[(e.dst()[i] * heads + h) * c + k];
        }
        out[i * heads + h] = (float) s;
      }
    }
    return out;
  }

  @Test
  void matchesNaivePerEdgeDotOnBothKernelSets() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          EdgeIndex e = c.edges();
          SplittableRandom r = new SplittableRandom(SEED);
          int n = e.numNodes();
          Tensor a = ctx.randn(r, n, 4, 17);
          Tensor b = ctx.randn(r, n, 4, 17);
          Tensor out = Sddmm.dot(e, a, b);
          assertEquals(Shape.of(e.numEdges(), 4), out.shape());
          OpAssert.assertClose("sddmm [N, H, C] " + c + " seed " + SEED,
              naive(e, a.data(), b.data(), 4, 17),
              out.data(), 1e-5, 1e-5);
          Tensor a2 = ctx.randn(r, n, 33);
          Tensor b2 = ctx.randn(r, n, 33);
          Tensor out2 = Sddmm.dot(e, a2, b2);
          assertEquals(Shape.of(e.numEdges()), out2.shape());
          OpAssert.assertClose("sddmm [N, F] " + c + " seed " + SEED,
              naive(e, a2.data(), b2.data(), 1, 33),
              out2.data(), 1e-5, 1e-5);
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnEveryEdgeCase() {
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        EdgeIndex e = c.edges();
        boolean hub = c.name().startsWith("hub");
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor a = ctx.randn(r, e.numNodes(), 2, hub ? 1 : 3).requiresGrad(true);
        Tensor b = ctx.randn(r, e.numNodes(), 2, hub ? 1 : 3).requiresGrad(true);
        GradCheck.defaults().check("sddmm " + c, SEED, in -> Sddmm.dot(e, in[0], in[1]), a, b);
        Tensor a1 = ctx.randn(r, e.numNodes()).requiresGrad(true);
        GradCheck.defaults().check("sddmm [N] " + c, SEED, in -> Sddmm.dot(e, in[0], in[0]), a1);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnRandomBipartiteShapes() {
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
        int f = 1 + r.nextInt(7);
        Tensor a = ctx.randn(r, ns, f).requiresGrad(true);
        Tensor b = ctx.randn(r, nd, f).requiresGrad(true);
        GradCheck.defaults().check("sddmm " + a.shape() + " " + e, SEED + trial,
            in -> Sddmm.dot(e, in[0], in[1]), a, b);
      }
    }
  }

  @Test
  void rejectsWrongRowCountsAndDifferingFeatureShapes() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 4, 2);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> Sddmm.dot(e, ctx.zeros(3, 8), ctx.zeros(2, 8)));
      assertTrue(ex.getMessage().startsWith("sddmm:") && ex.getMessage().contains("xSrc")
          && ex.getMessage().contains("[3, 8]") && ex.getMessage().contains("[4, 8]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> Sddmm.dot(e, ctx.zeros(4, 8), ctx.zeros(4, 8)));
      assertTrue(ex.getMessage().contains("xDst") && ex.getMessage().contains("[2, 8]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> Sddmm.dot(e, ctx.zeros(4, 2, 4), ctx.zeros(2, 4, 2)));
      assertTrue(ex.getMessage().contains("[4, 2, 4]") && ex.getMessage().contains("[2, 4, 2]"),
          ex.getMessage());
    }
  }
}
