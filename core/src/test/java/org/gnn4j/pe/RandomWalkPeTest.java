package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;

class RandomWalkPeTest {
  private static final RandomWalkPe.Options EXACT =
      new RandomWalkPe.Options(RandomWalkPe.Method.EXACT, 0, 1, 2, 0);

  /** (P^t)_ii by dense matrix powers of P = D^-1 A. */
  private static double[] bruteForce(Adjacency a, int k) {
    int n = a.n();
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int q = a.rowPtr()[i]; q < a.rowPtr()[i + 1]; q++) p[i][a.col()[q]] = 1.0 / a.degree(i);
    }
    double[] out = new double[n * k];
    double[][] pow = p;
    for (int t = 1; t <= k; t++) {
      for (int i = 0; i < n; i++) out[i * k + t - 1] = pow[i][i];
      double[][] next = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int l = 0; l < n; l++) {
          double v = pow[i][l];
          if (v != 0) for (int j = 0; j < n; j++) next[i][j] += v * p[l][j];
        }
      }
      pow = next;
    }
    return out;
  }

  private static void assertClose(double[] expected, double[] got, double tol, String what) {
    assertEquals(expected.length, got.length, what);
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], tol, what + " at " + i);
    }
  }

  @Test
  void exactMatchesDenseMatrixPowers() {
    Adjacency[] graphs = {Graphs.path(7), Graphs.cycle(9), Graphs.star(6), Graphs.complete(5),
        Graphs.random(60, 150, 2), Graphs.union(Graphs.random(40, 80, 4), Graphs.of(3,
            java.util.List.of()))};
    for (int threads : new int[] {1, 2}) {
      try (Context ctx = Contexts.scalar(threads)) {
        for (Adjacency a : graphs) {
          for (int k : new int[] {1, 4, 7}) {
            RandomWalkPe.Result r = RandomWalkPe.compute(a, new int[] {a.n()}, k, EXACT, ctx);
            assertClose(bruteForce(a, k), r.values(), 1e-12, "n=" + a.n() + " k=" + k);
            assertEquals("exact", r.method());
          }
        }
      }
    }
  }

  @Test
  void exactIsTheSameOnScalarAndVectorLoops() {
    // Includes an isolated node and a block of fewer than 32 sources (the last one).
    Adjacency a = Graphs.union(Graphs.random(70, 300, 8), Graphs.of(1, java.util.List.of()));
    try (Context s = Contexts.scalar(2); Context v = Contexts.vector(2)) {
      RandomWalkPe.Result rs = RandomWalkPe.compute(a, new int[] {a.n()}, 9, EXACT, s);
      RandomWalkPe.Result rv = RandomWalkPe.compute(a, new int[] {a.n()}, 9, EXACT, v);
      org.junit.jupiter.api.Assertions.assertArrayEquals(rs.values(), rv.values());
      assertClose(bruteForce(a, 9), rv.values(), 1e-12, "vector loops");
    }
  }

  @Test
  void batchOfSmallGraphsEqualsEachGraphAlone() {
    Adjacency g1 = Graphs.cycle(5);
    Adjacency g2 = Graphs.random(50, 120, 8);   // above one block of 32: the parallel path
    Adjacency g3 = Graphs.of(1, java.util.List.of());
    Adjacency all = Graphs.union(Graphs.union(g1, g2), g3);
    try (Context ctx = Contexts.scalar(2)) {
      RandomWalkPe.Result r = RandomWalkPe.compute(all, new int[] {5, 50, 1}, 6,
          RandomWalkPe.Options.defaults(), ctx);
      double[] expected = new double[56 * 6];
      System.arraycopy(bruteForce(g1, 6), 0, expected, 0, 30);
      System.arraycopy(bruteForce(g2, 6), 0, expected, 30, 300);
      assertClose(expected, r.values(), 1e-12, "batch");
      Tensor t = r.tensor(ctx);
      assertArrayEquals(new int[] {56, 6}, t.shape().toArray());
      assertEquals(0f, t.get(55, 3));          // the lone node never returns
    }
  }

  @Test
  void estimatorIsUnbiasedOnASmallGraph() {
    Adjacency a = Graphs.random(30, 60, 5);
    int k = 9;
    try (Context ctx = Contexts.scalar(2)) {
      RandomWalkPe.Options many = new RandomWalkPe.Options(RandomWalkPe.Method.ESTIMATED, 0,
          40_000, 1, 3);
      RandomWalkPe.Result r = RandomWalkPe.compute(a, new int[] {30}, k, many, ctx);
      double[] exact = bruteForce(a, k);
      for (int i = 0; i < 30; i++) {
        assertEquals(exact[i * k], r.values()[i * k], 1e-12, "t = 1 is exact");
        assertEquals(exact[i * k + 1], r.values()[i * k + 1], 1e-12, "t = 2 is exact");
      }
      assertClose(exact, r.values(), 0.01, "40,000 walks");
      assertEquals("estimated", r.method());
    }
  }

  @Test
  void estimatorErrorOnTenThousandNodesIsBelowOneHundredth() {
    int n = 10_000;
    int k = 16;
    Adjacency a = Graphs.random(n, 100_000, 11);
    try (Context ctx = Contexts.scalar(2)) {
      RandomWalkPe.Options est = new RandomWalkPe.Options(RandomWalkPe.Method.ESTIMATED, 0, 32,
          2, 0);
      RandomWalkPe.Result r = RandomWalkPe.compute(a, new int[] {n}, k, est, ctx);
      SplittableRandom pick = new SplittableRandom(5);
      int[] nodes = new int[64];
      for (int i = 0; i < nodes.length; i++) nodes[i] = pick.nextInt(n);
      double[] exact = RandomWalkPe.exactForNodes(a, nodes, k, ctx);
      double maxErr = 0;
      for (int p = 0; p < nodes.length; p++) {
        for (int t = 0; t < k; t++) {
          double e = Math.abs(exact[p * k + t] - r.values()[nodes[p] * k + t]);
          if (t < 4) assertEquals(0, e, 1e-12, "t <= 4 is exact");
          maxErr = Math.max(maxErr, e);
        }
      }
      assertTrue(maxErr <= 0.01, "max abs error " + maxErr);
      RandomWalkPe.Result again = RandomWalkPe.compute(a, new int[] {n}, k, est, ctx);
      assertArrayEquals(r.values(), again.values(), "same seed, same bits");
    }
  }

  @Test
  void estimatorDoesNotDependOnThreadCount() {
    Adjacency a = Graphs.random(2000, 10_000, 1);
    RandomWalkPe.Options est = new RandomWalkPe.Options(RandomWalkPe.Method.ESTIMATED, 0, 8, 2, 4);
    try (Context c1 = Contexts.scalar(1); Context c2 = Contexts.scalar(2)) {
      assertArrayEquals(RandomWalkPe.compute(a, new int[] {2000}, 10, est, c1).values(),
          RandomWalkPe.compute(a, new int[] {2000}, 10, est, c2).values());
    }
  }

  @Test
  void rejectsBadInput() {
    EdgeIndex e = EdgeIndex.of(new int[] {0, 1}, new int[] {1, 2}, 3);
    try (Context ctx = Contexts.scalar(1)) {
      var ex = assertThrows(IllegalArgumentException.class, () -> RandomWalkPe.compute(e, 0, ctx));
      assertTrue(ex.getMessage().contains("k must be >= 1"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> RandomWalkPe.exactForNodes(Adjacency.undirected(e), new int[] {3}, 2, ctx));
      assertTrue(ex.getMessage().contains("nodes[0] = 3"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> new RandomWalkPe.Options(RandomWalkPe.Method.AUTO, 10, 0, 2, 0));
      assertTrue(ex.getMessage().contains("walks >= 1"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> RandomWalkPe.compute(
          Adjacency.undirected(e), new int[] {2}, 2, RandomWalkPe.Options.defaults(), ctx));
      assertTrue(ex.getMessage().contains("adds up to 2"), ex.getMessage());
    }
  }
}
