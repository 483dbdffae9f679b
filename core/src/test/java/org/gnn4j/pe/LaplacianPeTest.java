package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LaplacianPeTest {
  /** Dense solver for small graphs, Lanczos when the dense limit is 1. */
  private static final LaplacianPe.Options DENSE = new LaplacianPe.Options(1e-9, 0, 100, 0);
  private static final LaplacianPe.Options SPARSE = new LaplacianPe.Options(1e-8, 0, 1, 7);

  static Stream<Arguments> knownSpectra() {
    return Stream.of(
        Arguments.of("path40", Graphs.path(40), spectrum(40, j -> 1 - Math.cos(Math.PI * j / 39))),
        Arguments.of("path150", Graphs.path(150),
            spectrum(150, j -> 1 - Math.cos(Math.PI * j / 149))),
        Arguments.of("cycle31", Graphs.cycle(31),
            spectrum(31, j -> 1 - Math.cos(2 * Math.PI * j / 31))),
        Arguments.of("cycle200", Graphs.cycle(200),
            spectrum(200, j -> 1 - Math.cos(2 * Math.PI * j / 200))),
        Arguments.of("complete12", Graphs.complete(12),
            spectrum(12, j -> j == 0 ? 0 : 12.0 / 11)),
        Arguments.of("star9", Graphs.star(9), spectrum(9, j -> j == 0 ? 0 : j == 8 ? 2 : 1)),
        Arguments.of("star130", Graphs.star(130),
            spectrum(130, j -> j == 0 ? 0 : j == 129 ? 2 : 1)));
  }

  private static double[] spectrum(int n, java.util.function.IntToDoubleFunction f) {
    double[] v = new double[n];
    for (int j = 0; j < n; j++) v[j] = f.applyAsDouble(j);
    Arrays.sort(v);
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("knownSpectra")
  void eigenvaluesMatchClosedForms(String name, Adjacency a, double[] expected) {
    int k = Math.min(6, a.n() - 1);
    for (LaplacianPe.Options opt : new LaplacianPe.Options[] {DENSE, SPARSE}) {
      if (opt == SPARSE && a.n() < 100) continue;
      try (Context ctx = Contexts.scalar(2)) {
        LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {a.n()}, k, opt, ctx);
        assertEquals(k, r.valid()[0], name);
        for (int j = 0; j < k; j++) {
          assertEquals(expected[j + 1], r.values()[j], 1e-7, name + " eigenvalue " + j);
        }
        assertTrue(r.maxResidual() < 1e-6, name + " residual " + r.maxResidual());
        assertOrthonormal(r, a.n(), k, name);
      }
    }
  }

  private static void assertOrthonormal(LaplacianPe.Result r, int n, int k, String name) {
    for (int p = 0; p < k; p++) {
      for (int q = 0; q <= p; q++) {
        double s = 0;
        for (int i = 0; i < n; i++) s += r.vectors()[i * k + p] * r.vectors()[i * k + q];
        assertEquals(p == q ? 1 : 0, s, 1e-8, name + " <v" + p + ", v" + q + ">");
      }
    }
  }

  @Test
  void lanczosMatchesDenseOnRandomGraph() {
    Adjacency a = Graphs.random(200, 800, 3);
    int k = 8;
    try (Context ctx = Contexts.scalar(2)) {
      LaplacianPe.Result sparse = LaplacianPe.compute(a, new int[] {200}, k, SPARSE, ctx);
      LaplacianPe.Options dense = new LaplacianPe.Options(1e-8, 0, 1000, 0);
      LaplacianPe.Result ref = LaplacianPe.compute(a, new int[] {200}, k, dense, ctx);
      for (int j = 0; j < k; j++) {
        assertEquals(ref.values()[j], sparse.values()[j], 1e-9, "eigenvalue " + j);
      }
      assertTrue(sparse.maxResidual() < 1e-7, "residual " + sparse.maxResidual());
      assertOrthonormal(sparse, 200, k, "random200");
    }
  }

  @ParameterizedTest(name = "degree {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {8, 9})
  void chebyshevFilteredLanczosMatchesPlainLanczos(int degree) {
    // Odd degrees damp from the rough run's lowest Ritz value, even ones from -1: both must
    // find the same pairs (cycle(700) has eigenvalues of multiplicity 2).
    LaplacianPe.Options filtered = new LaplacianPe.Options(1e-8, 0, 1, 7, degree);
    for (Adjacency a : new Adjacency[] {Graphs.random(1500, 7500, 4), Graphs.cycle(700)}) {
      try (Context ctx = Contexts.scalar(2)) {
        LaplacianPe.Result plain = LaplacianPe.compute(a, new int[] {a.n()}, 6, SPARSE, ctx);
        LaplacianPe.Result cheb = LaplacianPe.compute(a, new int[] {a.n()}, 6, filtered, ctx);
        for (int j = 0; j < 6; j++) {
          assertEquals(plain.values()[j], cheb.values()[j], 1e-9, "n=" + a.n() + " value " + j);
        }
        assertTrue(cheb.maxResidual() < 1e-6, "residual " + cheb.maxResidual());
        assertOrthonormal(cheb, a.n(), 6, "filtered n=" + a.n());
      }
    }
  }

  @Test
  void matVecsCountTheProductsWithS() {
    Adjacency a = Graphs.random(300, 1500, 11);
    try (Context ctx = Contexts.scalar(2)) {
      // Dense solver: only the k explicit residual checks multiply by S.
      LaplacianPe.Result dense = LaplacianPe.compute(a, new int[] {a.n()}, 4,
          new LaplacianPe.Options(1e-8, 0, 10_000, 0), ctx);
      assertEquals(4, dense.matVecs()[0]);
      LaplacianPe.Result plain = LaplacianPe.compute(a, new int[] {a.n()}, 4, SPARSE, ctx);
      LaplacianPe.Result loose = LaplacianPe.compute(a, new int[] {a.n()}, 4,
          new LaplacianPe.Options(1e-3, 0, 1, 7), ctx);
      assertTrue(plain.matVecs()[0] > loose.matVecs()[0] && loose.matVecs()[0] > 4,
          "tighter tolerance, more products: " + plain.matVecs()[0] + " vs "
          + loose.matVecs()[0]);
    }
  }

  @Test
  void filteredLanczosStopsAtTheMeasuredResidualAskedFor() {
    Adjacency a = Graphs.random(3000, 15000, 8);
    try (Context ctx = Contexts.vector(2)) {
      for (double tol : new double[] {1e-3, 1e-4, 1e-6}) {
        LaplacianPe.Options opt = new LaplacianPe.Options(tol, 0, 1, 9, 8);
        LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {a.n()}, 8, opt, ctx);
        assertTrue(r.maxResidual() <= tol, "tol " + tol + ": residual " + r.maxResidual());
        assertOrthonormal(r, a.n(), 8, "tol " + tol);
      }
    }
  }

  @Test
  void trivialVectorIsExcludedAndVectorsAreOrthogonalToIt() {
    Adjacency a = Graphs.random(300, 900, 5);
    try (Context ctx = Contexts.scalar(1)) {
      LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {300}, 4, SPARSE, ctx);
      for (int j = 0; j < 4; j++) {
        assertTrue(r.values()[j] > 1e-3, "eigenvalue " + j + " = " + r.values()[j]);
      }
    }
  }

  @Test
  void disconnectedGraphDropsEveryTrivialVector() {
    // cycle(6) + path(5) + 2 isolated nodes: trivial = 2 zeros; isolated nodes give eigenvalue 1.
    Adjacency a = Graphs.union(Graphs.union(Graphs.cycle(6), Graphs.path(5)), Graphs.of(2,
        java.util.List.of()));
    double[] all = new double[6 + 5 + 2];
    int t = 0;
    for (int j = 0; j < 6; j++) all[t++] = 1 - Math.cos(2 * Math.PI * j / 6);
    for (int j = 0; j < 5; j++) all[t++] = 1 - Math.cos(Math.PI * j / 4);
    all[t++] = 1;
    all[t] = 1;
    Arrays.sort(all);                        // two zeros first
    try (Context ctx = Contexts.scalar(1)) {
      LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {13}, 5, DENSE, ctx);
      for (int j = 0; j < 5; j++) assertEquals(all[j + 2], r.values()[j], 1e-10, "value " + j);
      assertTrue(r.maxResidual() < 1e-10);
    }
  }

  @Test
  void lanczosHandlesDisconnectedGraphWithIsolatedNodes() {
    Adjacency a = Graphs.union(Graphs.union(Graphs.random(150, 600, 1), Graphs.cycle(120)),
        Graphs.of(3, java.util.List.of()));
    try (Context ctx = Contexts.scalar(2)) {
      LaplacianPe.Result sparse = LaplacianPe.compute(a, new int[] {a.n()}, 6, SPARSE, ctx);
      LaplacianPe.Result dense = LaplacianPe.compute(a, new int[] {a.n()}, 6,
          new LaplacianPe.Options(1e-8, 0, 10_000, 0), ctx);
      for (int j = 0; j < 6; j++) {
        assertEquals(dense.values()[j], sparse.values()[j], 1e-8, "eigenvalue " + j);
        assertTrue(sparse.values()[j] > 1e-6, "no trivial eigenvalue: " + sparse.values()[j]);
      }
      assertTrue(sparse.maxResidual() < 1e-7);
    }
  }

  @Test
  void batchIsSolvedPerGraphAndSmallGraphsArePadded() {
    // Graphs of 5 nodes (path), 2 nodes (one edge) and 1 node, k = 4.
    Adjacency a = Graphs.union(Graphs.union(Graphs.path(5), Graphs.path(2)),
        Graphs.of(1, java.util.List.of()));
    try (Context ctx = Contexts.scalar(2)) {
      LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {5, 2, 1}, 4, DENSE, ctx);
      // A lone node is isolated, not trivial: its one eigenvalue is 1 (PyG's L_ii = 1).
      assertArrayEquals(new int[] {4, 1, 1}, r.valid());
      for (int j = 0; j < 4; j++) {
        assertEquals(1 - Math.cos(Math.PI * (j + 1) / 4), r.values()[j], 1e-12);
      }
      assertEquals(2, r.values()[4], 1e-12);   // path(2): eigenvalues 0, 2
      for (int j = 1; j < 4; j++) {
        assertEquals(0, r.values()[4 + j]);
        assertEquals(0, r.vectors()[5 * 4 + j]);
        assertEquals(0, r.vectors()[6 * 4 + j]);
      }
      assertEquals(Math.sqrt(0.5), Math.abs(r.vectors()[5 * 4]), 1e-12);
      assertArrayEquals(new double[] {1, 0, 0, 0}, Arrays.copyOfRange(r.vectors(), 28, 32));
      assertArrayEquals(new double[] {1, 0, 0, 0}, Arrays.copyOfRange(r.values(), 8, 12));
      Tensor mask = r.mask(ctx);
      assertArrayEquals(new float[] {1, 0, 0, 0}, Arrays.copyOfRange(mask.data(), 20, 24));
      assertArrayEquals(new float[] {1, 1, 1, 1}, Arrays.copyOfRange(mask.data(), 0, 4));
      assertEquals(2f, r.valuesPerNode(ctx).get(6, 0));
    }
  }

  @Test
  void sameSeedGivesSameBits() {
    Adjacency a = Graphs.random(500, 2500, 9);
    try (Context c1 = Contexts.scalar(2); Context c2 = Contexts.scalar(2)) {
      LaplacianPe.Result r1 = LaplacianPe.compute(a, new int[] {500}, 5, SPARSE, c1);
      LaplacianPe.Result r2 = LaplacianPe.compute(a, new int[] {500}, 5, SPARSE, c2);
      assertArrayEquals(r1.vectors(), r2.vectors());
      assertArrayEquals(r1.values(), r2.values());
    }
  }

  @Test
  void signFlipIsPerGraphAndPerColumn() {
    try (Context ctx = Contexts.scalar(1)) {
      Tensor v = ctx.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
      Tensor f = LaplacianPe.randomSignFlip(v, new int[] {2, 2}, new SplittableRandom(1));
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 2; j++) assertEquals(Math.abs(v.get(i, j)), Math.abs(f.get(i, j)));
      }
      for (int g = 0; g < 2; g++) {
        for (int j = 0; j < 2; j++) {
          float s0 = Math.signum(f.get(2 * g, j));
          assertEquals(s0, Math.signum(f.get(2 * g + 1, j)), "one sign per graph and column");
        }
      }
      boolean anyFlip = false;
      for (int seed = 0; seed < 8; seed++) {
        Tensor g = LaplacianPe.randomSignFlip(v, new int[] {4}, new SplittableRandom(seed));
        anyFlip |= g.get(0, 0) < 0;
      }
      assertTrue(anyFlip);
    }
  }

  @Test
  void rejectsBadInput() {
    EdgeIndex e = EdgeIndex.of(new int[] {0, 1}, new int[] {1, 2}, 3);
    try (Context ctx = Contexts.scalar(1)) {
      var ex = assertThrows(IllegalArgumentException.class, () -> LaplacianPe.compute(e, -1, ctx));
      assertTrue(ex.getMessage().contains("k must be >= 1"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> LaplacianPe.compute(e, new int[] {2, 2}, 2, ctx));
      assertTrue(ex.getMessage().contains("adds up to 4"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> LaplacianPe.compute(e, new int[] {1, 2}, 2, ctx));
      assertTrue(ex.getMessage().contains("outside its graph"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> LaplacianPe.compute(e, new int[] {4, -1}, 2, ctx));
      assertTrue(ex.getMessage().contains("negative"), ex.getMessage());
      // k larger than the graph: documented padding, not an error.
      LaplacianPe.Result r = LaplacianPe.compute(e, 10, ctx);
      assertEquals(2, r.valid()[0]);
      assertEquals(3 * 10, r.vectors().length);
    }
  }
}
