package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * Lanczos takes the first Gram-Schmidt projections of a block's images from the projected
 * matrix (v_i . A v_j = v_j . A v_i) instead of a pass over the basis: the eigenpairs must stay
 * those of the dense solver, the Ritz vectors orthonormal, and the passes over the basis must
 * actually be fewer, one shared subtraction per block with a further pass only now and then
 * (wrong projections from H would make every vector need it).
 */
class LanczosOrthogonalizationTest {
  /** Counts the basis passes of another {@link DoubleLoops}. */
  private static final class CountingLoops implements DoubleLoops {
    final DoubleLoops inner = DoubleLoops.scalar();
    int dotPasses;
    int subtractPasses;

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n,
                          double[] partial, Parallel par) {
      dotPasses++;
      inner.basisDots(h, v, ld, cols, w, n, partial, par);
    }

    @Override
    public double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h,
                                    double[] h2, int n, double[] partial, Parallel par) {
      return inner.basisSubtractDots(w, v, ld, cols, h, h2, n, partial, par);
    }

    @Override
    public void basisDots2(double[] h0, double[] h1, double[] v, int ld, int cols, double[] w0,
                           double[] w1, int n, double[] partial, Parallel par) {
      dotPasses++;
      inner.basisDots2(h0, h1, v, ld, cols, w0, w1, n, partial, par);
    }

    @Override
    public void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols,
                                   double[] h0, double[] h1, double[] g0, double[] g1,
                                   double[] norms, int n, double[] partial, Parallel par) {
      inner.basisSubtractDots2(w0, w1, v, ld, cols, h0, h1, g0, g1, norms, n, partial, par);
    }

    @Override
    public void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
                              Parallel par) {
      subtractPasses++;
      inner.basisSubtract(w, v, ld, cols, h, n, par);
    }

    @Override
    public void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n,
                            Parallel par) {
      inner.basisRotate(v, ld, cols, y, keep, n, par);
    }

    @Override
    public void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv,
                                       double[] x, int n, int b) {
      inner.normalizedBlockProduct(y, rowPtr, col, dinv, x, n, b);
    }
  }

  @Test
  void projectionsFromTheProjectedMatrixKeepTheEigenpairsAndSaveBasisPasses() {
    Adjacency a = Graphs.random(300, 1500, 31);
    int nev = 5;
    DenseEigen.Result dense = DenseEigen.symmetric(Graphs.denseS(a));
    for (int block : new int[] {1, 2, 3}) {
      try (Parallel par = new Parallel(2)) {
        CountingLoops loops = new CountingLoops();
        NormalizedAdjacency s = new NormalizedAdjacency(a, par, loops);
        int dim = a.n() - s.trivialCount();
        // A small basis: many restarts, so projections cross restarted (thick) columns too.
        Lanczos.Options opt = new Lanczos.Options(20, block, 1e-10, 1000);
        Lanczos.Result r = Lanczos.largest(s, nev, dim, s::deflate, opt,
            new SplittableRandom(7), par, loops);
        String what = "block " + block;
        assertTrue(r.converged() && r.restarts() > 3, what + " restarts " + r.restarts());
        // The largest eigenvalues of S are the trivial 1s (deflated); the wanted ones follow.
        for (int j = 0; j < nev; j++) {
          double expected = dense.values()[a.n() - 1 - s.trivialCount() - j];
          assertEquals(expected, r.values()[j], 1e-9, what + " value " + j);
        }
        double[] y = new double[a.n()];
        for (int i = 0; i < nev; i++) {
          for (int j = 0; j < nev; j++) {
            assertEquals(i == j ? 1 : 0, dot(r.vectors()[i], r.vectors()[j]), 1e-12,
                what + " vectors " + i + ", " + j);
          }
          s.apply(r.vectors()[i], y);
          double r2 = 0;
          for (int t = 0; t < y.length; t++) {
            double d = y[t] - r.values()[i] * r.vectors()[i][t];
            r2 += d * d;
          }
          assertTrue(Math.sqrt(r2) < 1e-9, what + " residual " + Math.sqrt(r2));
        }
        // Basis passes only for the start and refill vectors' full Gram-Schmidt, not per block.
        int blocks = (r.matVecs() + block - 1) / block;
        assertTrue(loops.dotPasses <= 2 * block + 4,
            what + ": " + loops.dotPasses + " dot passes for " + blocks + " blocks");
        assertTrue(loops.subtractPasses < r.matVecs() / 2, what + ": " + loops.subtractPasses
            + " further passes for " + r.matVecs() + " vectors");
      }
    }
  }

  private static double dot(double[] x, double[] y) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) sum += x[i] * y[i];
    return sum;
  }
}
