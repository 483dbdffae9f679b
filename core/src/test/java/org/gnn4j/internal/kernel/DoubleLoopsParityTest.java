package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API double loops against the scalar reference ({@link DoubleLoops#scalar()}) on
 * column counts around and between vector widths and row counts that are not multiples of the
 * four-row sweep, with one and two threads: every kernel must give the same bits (lane-wise
 * multiply-add in the reference's order), and the results must match the definitions. Also the
 * pair kernels against two single calls, and the multi-vector Chebyshev steps against the
 * single-vector one.
 */
class DoubleLoopsParityTest {
  private static final int[] COLS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 50};
  private static final int[] ROWS = {1, 3, 4, 5, 37, 203};
  private static final DoubleLoops SCALAR = DoubleLoops.scalar();
  private static final DoubleLoops VECTOR = Kernels.vector().doubles();
  private static Parallel one;
  private static Parallel two;

  @BeforeAll
  static void pools() {
    one = new Parallel(1);
    two = new Parallel(2);
  }

  @AfterAll
  static void closePools() {
    one.close();
    two.close();
  }

  private static double[] rand(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 2 - 1;
    return v;
  }

  @Test
  void vectorIsReallyTheVectorImplementation() {
    assertTrue(VECTOR.name().startsWith("vector("), VECTOR.name());
    assertEquals("scalar", SCALAR.name());
  }

  @Test
  void basisDotsAndRotationGiveTheSameBits() {
    SplittableRandom r = new SplittableRandom(11);
    for (Parallel par : new Parallel[] {one, two}) {
      for (int n : ROWS) {
        for (int cols : COLS) {
          int ld = cols + 3;
          double[] v = rand(r, n * ld);
          double[] w = rand(r, n);
          double[] partial = new double[par.threads() * (cols + 1)];
          double[] hs = new double[cols];
          double[] hv = new double[cols];
          SCALAR.basisDots(hs, v, ld, cols, w, n, partial, par);
          VECTOR.basisDots(hv, v, ld, cols, w, n, partial, par);
          assertArrayEquals(hs, hv, "basisDots n=" + n + " cols=" + cols);
          int keep = Math.max(1, cols - 2);
          double[] y = rand(r, cols * keep);
          double[] vs = v.clone();
          double[] vv = v.clone();
          SCALAR.basisRotate(vs, ld, cols, y, keep, n, par);
          VECTOR.basisRotate(vv, ld, cols, y, keep, n, par);
          assertArrayEquals(vs, vv, "basisRotate n=" + n + " cols=" + cols);
        }
      }
    }
  }

  @Test
  void gramSchmidtSubtractionGivesTheSameBits() {
    SplittableRandom r = new SplittableRandom(12);
    for (Parallel par : new Parallel[] {one, two}) {
      for (int n : ROWS) {
        for (int cols : COLS) {
          int ld = cols + 1;
          double[] v = rand(r, n * ld);
          double[] w = rand(r, n);
          double[] h = rand(r, cols);
          double[] partial = new double[par.threads() * (cols + 1)];
          double[] ws = w.clone();
          double[] wv = w.clone();
          double[] h2s = new double[cols];
          double[] h2v = new double[cols];
          double ns = SCALAR.basisSubtractDots(ws, v, ld, cols, h, h2s, n, partial, par);
          double nv = VECTOR.basisSubtractDots(wv, v, ld, cols, h, h2v, n, partial, par);
          String what = "n=" + n + " cols=" + cols;
          assertArrayEquals(ws, wv, "basisSubtractDots w " + what);
          assertArrayEquals(h2s, h2v, "basisSubtractDots h2 " + what);
          assertEquals(ns, nv, 0, "basisSubtractDots norm " + what);
          // The reference itself: w - V h, computed naively.
          for (int i = 0; i < n; i++) {
            double e = w[i];
            for (int j = 0; j < cols; j++) e -= v[i * ld + j] * h[j];
            assertEquals(e, wv[i], 1e-12 * cols, "row " + i + " " + what);
          }
          double[] ws2 = w.clone();
          double[] wv2 = w.clone();
          SCALAR.basisSubtract(ws2, v, ld, cols, h, n, par);
          VECTOR.basisSubtract(wv2, v, ld, cols, h, n, par);
          assertArrayEquals(ws2, wv2, "basisSubtract " + what);
        }
      }
    }
  }

  @Test
  void pairKernelsMatchTwoSingleCalls() {
    SplittableRandom r = new SplittableRandom(15);
    for (DoubleLoops k : new DoubleLoops[] {SCALAR, VECTOR}) {
      for (Parallel par : new Parallel[] {one, two}) {
        for (int n : ROWS) {
          for (int cols : COLS) {
            int ld = cols + 2;
            double[] v = rand(r, n * ld);
            double[] w0 = rand(r, n);
            double[] w1 = rand(r, n);
            double[] partial = new double[par.threads() * 2 * (cols + 1)];
            double[] a0 = new double[cols];
            double[] a1 = new double[cols];
            double[] b0 = new double[cols];
            double[] b1 = new double[cols];
            k.basisDots2(a0, a1, v, ld, cols, w0, w1, n, partial, par);
            k.basisDots(b0, v, ld, cols, w0, n, partial, par);
            k.basisDots(b1, v, ld, cols, w1, n, partial, par);
            String what = k.name() + " n=" + n + " cols=" + cols;
            assertArrayEquals(b0, a0, 1e-12 * n, "basisDots2 first " + what);
            assertArrayEquals(b1, a1, 1e-12 * n, "basisDots2 second " + what);
            double[] h0 = rand(r, cols);
            double[] h1 = rand(r, cols);
            double[] p0 = w0.clone();
            double[] p1 = w1.clone();
            double[] g0 = new double[cols];
            double[] g1 = new double[cols];
            double[] norms = new double[2];
            k.basisSubtractDots2(p0, p1, v, ld, cols, h0, h1, g0, g1, norms, n, partial, par);
            double[] q0 = w0.clone();
            double[] q1 = w1.clone();
            double[] e0 = new double[cols];
            double[] e1 = new double[cols];
            double m0 = k.basisSubtractDots(q0, v, ld, cols, h0, e0, n, partial, par);
            double m1 = k.basisSubtractDots(q1, v, ld, cols, h1, e1, n, partial, par);
            assertArrayEquals(q0, p0, 0, "basisSubtractDots2 w0 " + what);
            assertArrayEquals(q1, p1, 0, "basisSubtractDots2 w1 " + what);
            assertArrayEquals(e0, g0, 1e-11 * n, "basisSubtractDots2 g0 " + what);
            assertArrayEquals(e1, g1, 1e-11 * n, "basisSubtractDots2 g1 " + what);
            assertEquals(m0, norms[0], 1e-12 * Math.max(1, m0), "norm0 " + what);
            assertEquals(m1, norms[1], 1e-12 * Math.max(1, m1), "norm1 " + what);
          }
        }
      }
    }
  }

  /**
   * The store variants write their columns into the basis and give the same bits as storing
   * first and running the plain pass, on both loops.
   */
  @Test
  void storeVariantsEqualStoreThenPass() {
    SplittableRandom r = new SplittableRandom(41);
    for (DoubleLoops k : new DoubleLoops[] {SCALAR, VECTOR}) {
      for (Parallel par : new Parallel[] {one, two}) {
        for (int n : ROWS) {
          for (int cols : new int[] {1, 2, 3, 9, 17, 33}) {
            for (int count = 0; count <= Math.min(2, cols); count++) {
              int ld = cols + 2;
              int first = cols - count;
              double[] v = rand(r, n * ld);
              double[][] store = new double[count][];
              for (int q = 0; q < count; q++) store[q] = rand(r, n);
              double[] stored = v.clone();
              DoubleLoops.storeColumns(store, first, count, stored, ld, n);
              double[] h0 = rand(r, cols);
              double[] h1 = rand(r, cols);
              double[] w0 = rand(r, n);
              double[] w1 = rand(r, n);
              double[] partial = new double[par.threads() * 2 * (cols + 1)];
              String what = k.name() + " n=" + n + " cols=" + cols + " count=" + count;

              double[] v1 = v.clone();
              double[] a = w0.clone();
              double[] ga = new double[cols];
              double na = k.basisStoreSubtractDots(store, first, count, a, v1, ld, cols, h0, ga,
                  n, partial, par);
              double[] b = w0.clone();
              double[] gb = new double[cols];
              double nb = k.basisSubtractDots(b, stored, ld, cols, h0, gb, n, partial, par);
              assertArrayEquals(stored, v1, 0, "stored columns " + what);
              assertArrayEquals(b, a, 0, "basisStoreSubtractDots w " + what);
              assertArrayEquals(gb, ga, 0, "basisStoreSubtractDots h2 " + what);
              assertEquals(nb, na, 0, "basisStoreSubtractDots norm " + what);

              double[] v2 = v.clone();
              double[] p0 = w0.clone();
              double[] p1 = w1.clone();
              double[] g0 = new double[cols];
              double[] g1 = new double[cols];
              double[] norms = new double[2];
              k.basisStoreSubtractDots2(store, first, count, p0, p1, v2, ld, cols, h0, h1, g0,
                  g1, norms, n, partial, par);
              double[] q0 = w0.clone();
              double[] q1 = w1.clone();
              double[] e0 = new double[cols];
              double[] e1 = new double[cols];
              double[] m = new double[2];
              k.basisSubtractDots2(q0, q1, stored, ld, cols, h0, h1, e0, e1, m, n, partial, par);
              assertArrayEquals(stored, v2, 0, "stored columns (pair) " + what);
              assertArrayEquals(q0, p0, 0, "basisStoreSubtractDots2 w0 " + what);
              assertArrayEquals(q1, p1, 0, "basisStoreSubtractDots2 w1 " + what);
              assertArrayEquals(e0, g0, 0, "basisStoreSubtractDots2 g0 " + what);
              assertArrayEquals(e1, g1, 0, "basisStoreSubtractDots2 g1 " + what);
              assertArrayEquals(m, norms, 0, "basisStoreSubtractDots2 norms " + what);
            }
          }
        }
      }
    }
  }

  @Test
  void pairKernelsVectorMatchesScalar() {
    SplittableRandom r = new SplittableRandom(16);
    for (int n : ROWS) {
      for (int cols : COLS) {
        int ld = cols + 5;
        double[] v = rand(r, n * ld);
        double[] w0 = rand(r, n);
        double[] w1 = rand(r, n);
        double[] partial = new double[two.threads() * 2 * (cols + 1)];
        double[] s0 = new double[cols];
        double[] s1 = new double[cols];
        double[] v0 = new double[cols];
        double[] v1 = new double[cols];
        SCALAR.basisDots2(s0, s1, v, ld, cols, w0, w1, n, partial, two);
        VECTOR.basisDots2(v0, v1, v, ld, cols, w0, w1, n, partial, two);
        // Lane-wise multiply-add in the reference's order: the same bits.
        assertArrayEquals(s0, v0, "basisDots2 n=" + n + " cols=" + cols);
        assertArrayEquals(s1, v1, "basisDots2 n=" + n + " cols=" + cols);
      }
    }
  }

  /** A random 0/1 CSR matrix (possibly with empty rows) and its D^-1/2. */
  private record Csr(int n, int[] rowPtr, int[] col, double[] dinv) {
    static Csr random(int n, int maxDegree, SplittableRandom r) {
      int[] rowPtr = new int[n + 1];
      int[] deg = new int[n];
      for (int i = 0; i < n; i++) deg[i] = r.nextInt(maxDegree + 1);
      for (int i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + deg[i];
      int[] col = new int[rowPtr[n]];
      for (int p = 0; p < col.length; p++) col[p] = r.nextInt(n);
      double[] dinv = new double[n];
      for (int i = 0; i < n; i++) dinv[i] = deg[i] == 0 ? 0 : 1 / Math.sqrt(deg[i]);
      return new Csr(n, rowPtr, col, dinv);
    }
  }

  @Test
  void blockProductGivesTheSameBitsForEveryBlockWidth() {
    SplittableRandom r = new SplittableRandom(13);
    for (int n : new int[] {1, 5, 64}) {
      Csr a = Csr.random(n, 9, r);
      for (int b : COLS) {
        double[] x = rand(r, n * b);
        double[] ys = new double[n * b];
        double[] yv = new double[n * b];
        SCALAR.normalizedBlockProduct(ys, a.rowPtr(), a.col(), a.dinv(), x, n, b);
        VECTOR.normalizedBlockProduct(yv, a.rowPtr(), a.col(), a.dinv(), x, n, b);
        assertArrayEquals(ys, yv, "n=" + n + " b=" + b);
        // and the definition, y_i = d_i sum_j d_j x_j
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < b; c++) {
            double s = 0;
            for (int p = a.rowPtr()[i]; p < a.rowPtr()[i + 1]; p++) {
              s += a.dinv()[a.col()[p]] * x[a.col()[p] * b + c];
            }
            assertEquals(a.dinv()[i] * s, yv[i * b + c], 1e-12, "definition n=" + n);
          }
        }
      }
    }
  }

  @Test
  void vectorChebyshevStepsGiveTheScalarBits() {
    SplittableRandom r = new SplittableRandom(15);
    for (Parallel par : new Parallel[] {one, two}) {
      // degrees 0 to 11 cover the four-entry unrolling's tails; n = 1 and 6 the chunk edges
      for (int n : new int[] {1, 6, 301}) {
        Csr a = Csr.random(n, 11, r);
        int[] bounds = Parallel.balancedBounds(a.rowPtr(), n, par.threads() * 4);
        for (int width : new int[] {2, 4}) {
          double[] z = rand(r, width * n);
          double[] q = rand(r, width * n);
          double[] p = rand(r, width * n);
          for (double b : new double[] {0, 1}) {
            double[][] got = new double[2][];
            double[][] gotZ = new double[2][];
            DoubleLoops[] both = {SCALAR, VECTOR};
            for (int l = 0; l < 2; l++) {
              got[l] = new double[width * n];
              gotZ[l] = new double[width * n];
              if (width == 2) {
                both[l].chebyshevStep2(got[l], gotZ[l], a.rowPtr(), a.col(), a.dinv(), z, q,
                    b == 0 ? null : p, 1.7, 0.3, b, bounds, par);
              } else {
                both[l].chebyshevStep4(got[l], gotZ[l], a.rowPtr(), a.col(), a.dinv(), z, q,
                    b == 0 ? null : p, 1.7, 0.3, b, bounds, par);
              }
            }
            String what = "width " + width + " n=" + n + " b=" + b;
            assertArrayEquals(got[0], got[1], 0, what);
            assertArrayEquals(gotZ[0], gotZ[1], 0, what + " (scaled copy)");
          }
        }
      }
    }
  }

  @Test
  void interleavedChebyshevStepsMatchTheSingleVectorStep() {
    SplittableRandom r = new SplittableRandom(14);
    for (Parallel par : new Parallel[] {one, two}) {
      for (int n : new int[] {1, 6, 301}) {
        Csr a = Csr.random(n, 11, r);
        int[] bounds = Parallel.balancedBounds(a.rowPtr(), n, par.threads() * 4);
        for (int width : new int[] {2, 4}) {
          double[][] z = new double[width][];
          double[][] q = new double[width][];
          double[][] p = new double[width][];
          double[] zi = new double[width * n];
          double[] qi = new double[width * n];
          double[] pi = new double[width * n];
          for (int c = 0; c < width; c++) {
            z[c] = rand(r, n);
            q[c] = rand(r, n);
            p[c] = rand(r, n);
            for (int i = 0; i < n; i++) {
              zi[width * i + c] = z[c][i];
              qi[width * i + c] = q[c][i];
              pi[width * i + c] = p[c][i];
            }
          }
          for (double b : new double[] {0, 1}) {
            double[] out = new double[width * n];
            double[] zOut = new double[width * n];
            if (width == 2) {
              DoubleLoops.scalar().chebyshevStep2(out, zOut, a.rowPtr(), a.col(), a.dinv(), zi, qi,
                  b == 0 ? null : pi, 1.7, 0.3, b, bounds, par);
            } else {
              DoubleLoops.scalar().chebyshevStep4(out, zOut, a.rowPtr(), a.col(), a.dinv(), zi, qi,
                  b == 0 ? null : pi, 1.7, 0.3, b, bounds, par);
            }
            for (int c = 0; c < width; c++) {
              double[] o1 = new double[n];
              double[] z1 = new double[n];
              DoubleLoops.scalar().chebyshevStep(o1, z1, a.rowPtr(), a.col(), a.dinv(), z[c], q[c],
                  b == 0 ? null : p[c], 1.7, 0.3, b, bounds, par);
              for (int i = 0; i < n; i++) {
                String what = "width " + width + " n=" + n + " b=" + b + " col " + c + " row " + i;
                if (width == 2) {
                  // Same summation order as the single step: the same bits.
                  assertEquals(o1[i], out[width * i + c], 0, what);
                  assertEquals(z1[i], zOut[width * i + c], 0, what);
                } else {
                  assertEquals(o1[i], out[width * i + c], 1e-12, what);
                  assertEquals(z1[i], zOut[width * i + c], 1e-12, what);
                }
              }
            }
          }
        }
      }
    }
  }
}
