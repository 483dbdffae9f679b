package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class IndexSelectTest {
  private static final long SEED = 12;

  @Test
  void selectsRowsInIndexOrderWithRepeats() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        Tensor x = ctx.tensor(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Tensor out = IndexSelect.rows(x, new int[] {2, 2, 0});
        assertEquals(Shape.of(3, 2), out.shape());
        assertArrayEquals(new float[] {20, 21, 20, 21, 0, 1}, out.data());
        assertEquals(Shape.of(0, 2), IndexSelect.rows(x, new int[0]).shape());
      }
    }
  }

  @Test
  void repeatedIndicesAccumulateGradient() {
    try (Context ctx = Contexts.vector(2)) {
      Tensor table = ctx.zeros(4, 3).requiresGrad(true);
      Tensor out = IndexSelect.embedding(table, new int[] {1, 3, 1, 1});
      Autograd.backward(out, ctx.ones(4, 3).data());
      assertArrayEquals(new float[] {0, 0, 0, 3, 3, 3, 0, 0, 0, 1, 1, 1}, table.gradArray());
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = Contexts.scalar(2)) {
      SplittableRandom r = new SplittableRandom(SEED);
      for (int trial = 0; trial < 4; trial++) {
        int n = 1 + r.nextInt(8);
        int[] index = new int[r.nextInt(20)];
        for (int i = 0; i < index.length; i++) index[i] = r.nextInt(n);
        Tensor x = ctx.randn(r, n, 1 + r.nextInt(5)).requiresGrad(true);
        GradCheck.defaults().check("index_select " + x.shape() + " trial " + trial, SEED + trial,
            in -> IndexSelect.rows(in[0], index), x);
        GradCheck.defaults().check("embedding " + x.shape() + " trial " + trial, SEED + trial,
            in -> IndexSelect.embedding(in[0], index), x);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesWithEdgeCaseEndpointsAsIndex() {
    // the endpoints of the graph edge cases: empty, repeated (hub: 5,000 times) and unsorted
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        Tensor x = ctx.randn(new SplittableRandom(SEED), c.edges().numNodes(), 2)
            .requiresGrad(true);
        GradCheck.defaults().check("index_select by dst " + c, SEED,
            in -> IndexSelect.rows(in[0], c.edges().dst()), x);
      }
    }
  }

  @Test
  void rejectsNegativeIndexNamingPositionAndValue() {
    try (Context ctx = Contexts.scalar(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> IndexSelect.rows(ctx.zeros(5, 2), new int[] {0, 4, -1}));
      assertTrue(e.getMessage().startsWith("index_select:") && e.getMessage().contains("index[2]")
          && e.getMessage().contains("-1") && e.getMessage().contains("< 5")
          && e.getMessage().contains("[5, 2]"), e.getMessage());
    }
  }

  @Test
  void rejectsIdOutsideEmbeddingTable() {
    try (Context ctx = Contexts.scalar(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> IndexSelect.embedding(ctx.zeros(8, 4), new int[] {7, 8}));
      assertTrue(e.getMessage().startsWith("embedding:") && e.getMessage().contains("ids[1]")
          && e.getMessage().contains("got 8") && e.getMessage().contains("[8, 4]"),
          e.getMessage());
    }
  }
}
