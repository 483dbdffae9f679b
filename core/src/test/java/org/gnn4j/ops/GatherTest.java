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
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class GatherTest {
  private static final long SEED = 11;

  @Test
  void gathersSourceAndTargetRowsOnBothKernelSets() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        EdgeIndex e = EdgeIndex.bipartite(new int[] {2, 0, 2}, new int[] {1, 1, 0}, 3, 2);
        Tensor xs = ctx.tensor(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Tensor xd = ctx.tensor(new float[] {5, 6, 7, 8}, 2, 2);
        Tensor s = Gather.src(xs, e);
        assertEquals(Shape.of(3, 2), s.shape());
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, s.data());
        assertArrayEquals(new float[] {7, 8, 7, 8, 5, 6}, Gather.dst(xd, e).data());
      }
    }
  }

  @Test
  void keepsTrailingDimensions() {
    try (Context ctx = Contexts.vector(1)) {
      EdgeIndex e = RandomGraphs.uniform(4, 9, SEED);
      Tensor x = ctx.randn(new SplittableRandom(SEED), 4, 2, 3);
      assertEquals(Shape.of(9, 2, 3), Gather.src(x, e).shape());
      assertEquals(Shape.of(9), Gather.dst(ctx.zeros(4), e).shape());
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnEveryEdgeCase() {
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        int f = c.name().startsWith("hub") ? 2 : 3;
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = ctx.randn(r, c.edges().numNodes(), f).requiresGrad(true);
        GradCheck.defaults().check("gather_src " + c, SEED, in -> Gather.src(in[0], c.edges()), x);
        GradCheck.defaults().check("gather_dst " + c, SEED, in -> Gather.dst(in[0], c.edges()), x);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnRandomShapes() {
    try (Context ctx = Contexts.scalar(2)) {
      SplittableRandom r = new SplittableRandom(SEED);
      for (int trial = 0; trial < 4; trial++) {
        int n = 1 + r.nextInt(9);
        EdgeIndex e = RandomGraphs.uniform(n, r.nextInt(30), SEED + trial);
        Tensor x = ctx.randn(r, n, 1 + r.nextInt(3), 1 + r.nextInt(4)).requiresGrad(true);
        GradCheck.defaults().check("gather_src " + x.shape() + " " + e, SEED + trial,
            in -> Gather.src(in[0], e), x);
      }
    }
  }

  @Test
  void rejectsFeaturesWithWrongRowCount() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 4, 2);
      var ex = assertThrows(IllegalArgumentException.class, () -> Gather.src(ctx.zeros(3, 5), e));
      assertTrue(ex.getMessage().startsWith("gather_src:") && ex.getMessage().contains("[3, 5]")
          && ex.getMessage().contains("[4, 5]"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> Gather.dst(ctx.zeros(4, 5), e));
      assertTrue(ex.getMessage().startsWith("gather_dst:") && ex.getMessage().contains("[2, 5]"),
          ex.getMessage());
    }
  }
}
