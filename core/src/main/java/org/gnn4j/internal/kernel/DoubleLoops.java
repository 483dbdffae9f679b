package org.gnn4j.internal.kernel;

/**
 * The double-precision hot loops of the spectral and random-walk encodings that gain from SIMD:
 * the tall-skinny products of a Lanczos basis (Gram-Schmidt, restart rotation) and the sparse
 * block product of exact random-walk encodings. {@link #scalar()} is the plain-Java reference
 * ({@code ScalarDoubleLoops}), and the default of the loops that have no Vector API version yet
 * (mat-vec, Chebyshev steps, dot); {@code vector.VectorDoubleLoops} runs on the Vector API and
 * comes from {@link Kernels#doubles()}, so the choice follows {@link Kernels#detect()}. Every
 * implementation adds per-chunk partial sums in chunk order: same inputs and thread count, same
 * bits. Kernels trust their arguments (sizes checked by the callers).
 */
public interface DoubleLoops {
  /** "scalar" or "vector(&lt;bits&gt;)". */
  String name();

  /**
   * h[j] = sum_r v[r * ld + j] * w[r] for j &lt; cols: the projections of w on the first
   * {@code cols} columns of the row-major basis v [n, ld]. {@code partial} [threads * (cols + 1)]
   * is scratch.
   */
  void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n, double[] partial,
                 Parallel par);

  /**
   * One fused pass of classical Gram-Schmidt: w[r] -= v[r, 0..cols) . h, then of the updated w
   * the projections h2[j] = sum_r v[r * ld + j] * w[r]; returns the updated ||w||^2.
   * {@code partial} [threads * (cols + 1)] is scratch.
   */
  double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h, double[] h2,
                           int n, double[] partial, Parallel par);

  /**
   * {@link #basisDots} for two vectors in one pass over v: h0 = V^T w0, h1 = V^T w1 (first
   * {@code cols} columns). {@code partial} [threads * 2 * (cols + 1)] is scratch.
   */
  void basisDots2(double[] h0, double[] h1, double[] v, int ld, int cols, double[] w0,
                  double[] w1, int n, double[] partial, Parallel par);

  /**
   * {@link #basisSubtractDots} for two vectors in one pass over v: w0 -= V h0, w1 -= V h1,
   * then g0 = V^T w0, g1 = V^T w1; {@code norms} [2] receives the updated squared norms.
   * {@code partial} [threads * 2 * (cols + 1)] is scratch.
   */
  void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols, double[] h0,
                          double[] h1, double[] g0, double[] g1, double[] norms, int n,
                          double[] partial, Parallel par);

  /**
   * {@link #basisSubtractDots} after storing the columns {@code store[q]} ([n] each, q &lt;
   * count) as columns first + q of v, row by row in the same pass: a row's cache line is read
   * there anyway, where a store of its own costs a line per row and column. The stored columns
   * are among the first {@code cols}, so they take part in the pass.
   */
  default double basisStoreSubtractDots(double[][] store, int first, int count, double[] w,
                                        double[] v, int ld, int cols, double[] h, double[] h2,
                                        int n, double[] partial, Parallel par) {
    storeColumns(store, first, count, v, ld, n);
    return basisSubtractDots(w, v, ld, cols, h, h2, n, partial, par);
  }

  /** {@link #basisSubtractDots2} after storing columns as {@link #basisStoreSubtractDots}. */
  default void basisStoreSubtractDots2(double[][] store, int first, int count, double[] w0,
                                       double[] w1, double[] v, int ld, int cols, double[] h0,
                                       double[] h1, double[] g0, double[] g1, double[] norms,
                                       int n, double[] partial, Parallel par) {
    storeColumns(store, first, count, v, ld, n);
    basisSubtractDots2(w0, w1, v, ld, cols, h0, h1, g0, g1, norms, n, partial, par);
  }

  /** v[r * ld + first + q] = store[q][r] for q &lt; count and every row r &lt; n. */
  static void storeColumns(double[][] store, int first, int count, double[] v, int ld, int n) {
    for (int r = 0; r < n; r++) {
      for (int q = 0; q < count; q++) v[r * ld + first + q] = store[q][r];
    }
  }

  /** w[r] -= sum_{j &lt; cols} v[r * ld + j] * h[j] for every row r. */
  void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n, Parallel par);

  /**
   * Replaces the first {@code keep} columns of every row of v [n, ld] by v[r, 0..cols) * y,
   * y row-major [cols, keep]: the basis rotation of a thick restart.
   */
  void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n, Parallel par);

  /**
   * Y = D^-1/2 A D^-1/2 X for a row-major block X [n, b] (Y [n, b]), A the 0/1 CSR matrix,
   * {@code dinv[i]} = deg(i)^-1/2. On the calling thread (callers parallelise over blocks).
   */
  void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv, double[] x,
                              int n, int b);

  /**
   * y = D^-1/2 A D^-1/2 x for the 0/1 CSR matrix A (no stored values), where {@code dinv[i]} =
   * deg(i)^-1/2 (0 for isolated nodes). {@code z} [n] is scratch.
   *
   * @param bounds row chunks (for example {@link Parallel#balancedBounds})
   */
  default void normalizedMatVec(double[] y, int[] rowPtr, int[] col, double[] dinv, double[] x,
      double[] z, int n, int[] bounds, Parallel par) {
    ScalarDoubleLoops.INSTANCE.normalizedMatVec(y, rowPtr, col, dinv, x, z, n, bounds, par);
  }

  /**
   * One Chebyshev step fused with the mat-vec: out[i] = a * (dinv[i] * sum_{j in row i} z[j]
   * - c * q[i]) - b * p[i] (p unused when b = 0) and zOut[i] = dinv[i] * out[i], where z holds
   * dinv * q; so the next step's scaled input comes out of the same pass.
   */
  default void chebyshevStep(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
    ScalarDoubleLoops.INSTANCE.chebyshevStep(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b,
        bounds, par);
  }

  /**
   * {@link #chebyshevStep} on two vectors at once, stored interleaved ([n, 2] row-major:
   * element i of vector c at 2 i + c) so that each stored index of A is read once for both and
   * each gathered z row is one 16-byte load. Per vector the sums run in the same order as
   * the single step, so the results are bit-identical to two single steps.
   */
  default void chebyshevStep2(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
    ScalarDoubleLoops.INSTANCE.chebyshevStep2(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b,
        bounds, par);
  }

  /**
   * {@link #chebyshevStep} on four interleaved vectors ([n, 4] row-major): each stored index of
   * A is read once for all four and each gathered z row is 32 contiguous bytes, which halves
   * the time per vector against one at a time (the gathers miss the cache; their count is what
   * costs). One accumulator per vector, summed in entry order.
   */
  default void chebyshevStep4(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
    ScalarDoubleLoops.INSTANCE.chebyshevStep4(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b,
        bounds, par);
  }

  /** Dot product x . y over [0, n), per-chunk partials added in chunk order. */
  default double dot(double[] x, double[] y, int n, Parallel par) {
    return ScalarDoubleLoops.INSTANCE.dot(x, y, n, par);
  }

  /** The plain-Java reference. */
  static DoubleLoops scalar() {
    return ScalarDoubleLoops.INSTANCE;
  }
}
