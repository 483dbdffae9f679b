package org.gnn4j.internal.kernel;

/**
 * Double-precision loops for the spectral and random-walk encodings ({@code org.gnn4j.pe}): the
 * normalised-adjacency mat-vec and block product, and the tall-skinny products of a Lanczos
 * basis. Rows are split into fixed chunks over the {@link Parallel} pool; every reduction adds
 * per-chunk partial sums in chunk order, so results are bit-identical for a thread count.
 */
public final class DoubleKernels {
  private DoubleKernels() {}

  /**
   * y = D^-1/2 A D^-1/2 x for the 0/1 CSR matrix A (no stored values), where {@code dinv[i]} =
   * deg(i)^-1/2 (0 for isolated nodes). {@code z} [n] is scratch.
   *
   * @param bounds row chunks (for example {@link Parallel#balancedBounds})
   */
  public static void normalizedMatVec(double[] y, int[] rowPtr, int[] col, double[] dinv,
                                      double[] x, double[] z, int n, int[] bounds, Parallel par) {
    par.forRange(n, 1 << 14, (c, from, to) -> {
      for (int i = from; i < to; i++) z[i] = dinv[i] * x[i];
    });
    par.forBounds(bounds, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        y[i] = dinv[i] * gatherSum(z, col, rowPtr[i], rowPtr[i + 1]);
      }
    });
  }

  /**
   * One Chebyshev step fused with the mat-vec: out[i] = a * (dinv[i] * sum_{j in row i} z[j]
   * - c * q[i]) - b * p[i] (p unused when b = 0) and zOut[i] = dinv[i] * out[i], where z holds
   * dinv * q; so the next step's scaled input comes out of the same pass.
   */
  public static void chebyshevStep(double[] out, double[] zOut, int[] rowPtr, int[] col,
                                   double[] dinv, double[] z, double[] q, double[] p, double a,
                                   double c, double b, int[] bounds, Parallel par) {
    par.forBounds(bounds, (k, from, to) -> {
      for (int i = from; i < to; i++) {
        double si = dinv[i] * gatherSum(z, col, rowPtr[i], rowPtr[i + 1]);
        double o = a * (si - c * q[i]);
        if (b != 0) o -= b * p[i];
        out[i] = o;
        zOut[i] = dinv[i] * o;
      }
    });
  }

  /**
   * {@link #chebyshevStep} on two vectors at once, stored interleaved ([n, 2] row-major:
   * element i of vector c at 2 i + c) so that each stored index of A is read once for both and
   * each gathered z row is one 16-byte load. Per vector the sums run in the same order as
   * {@link #gatherSum}, so the results are bit-identical to two single steps.
   */
  public static void chebyshevStep2(double[] out, double[] zOut, int[] rowPtr, int[] col,
                                    double[] dinv, double[] z, double[] q, double[] p, double a,
                                    double c, double b, int[] bounds, Parallel par) {
    par.forBounds(bounds, (k, from, to) -> {
      for (int i = from; i < to; i++) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        int e = rowPtr[i];
        int end = rowPtr[i + 1];
        for (; e + 3 < end; e += 4) {
          int j0 = col[e] << 1;
          int j1 = col[e + 1] << 1;
          int j2 = col[e + 2] << 1;
          int j3 = col[e + 3] << 1;
          a0 += z[j0];
          b0 += z[j0 + 1];
          a1 += z[j1];
          b1 += z[j1 + 1];
          a2 += z[j2];
          b2 += z[j2 + 1];
          a3 += z[j3];
          b3 += z[j3 + 1];
        }
        for (; e < end; e++) {
          int j = col[e] << 1;
          a0 += z[j];
          b0 += z[j + 1];
        }
        double d = dinv[i];
        int i0 = i << 1;
        double o0 = a * (d * ((a0 + a1) + (a2 + a3)) - c * q[i0]);
        double o1 = a * (d * ((b0 + b1) + (b2 + b3)) - c * q[i0 + 1]);
        if (b != 0) {
          o0 -= b * p[i0];
          o1 -= b * p[i0 + 1];
        }
        out[i0] = o0;
        out[i0 + 1] = o1;
        zOut[i0] = d * o0;
        zOut[i0 + 1] = d * o1;
      }
    });
  }

  /**
   * {@link #chebyshevStep} on four interleaved vectors ([n, 4] row-major): each stored index of
   * A is read once for all four and each gathered z row is 32 contiguous bytes, which halves
   * the time per vector against one at a time (the gathers miss the cache; their count is what
   * costs). One accumulator per vector, summed in entry order.
   */
  public static void chebyshevStep4(double[] out, double[] zOut, int[] rowPtr, int[] col,
                                    double[] dinv, double[] z, double[] q, double[] p, double a,
                                    double c, double b, int[] bounds, Parallel par) {
    par.forBounds(bounds, (k, from, to) -> {
      for (int i = from; i < to; i++) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
          int j = col[e] << 2;
          s0 += z[j];
          s1 += z[j + 1];
          s2 += z[j + 2];
          s3 += z[j + 3];
        }
        double d = dinv[i];
        int i0 = i << 2;
        double o0 = a * (d * s0 - c * q[i0]);
        double o1 = a * (d * s1 - c * q[i0 + 1]);
        double o2 = a * (d * s2 - c * q[i0 + 2]);
        double o3 = a * (d * s3 - c * q[i0 + 3]);
        if (b != 0) {
          o0 -= b * p[i0];
          o1 -= b * p[i0 + 1];
          o2 -= b * p[i0 + 2];
          o3 -= b * p[i0 + 3];
        }
        out[i0] = o0;
        out[i0 + 1] = o1;
        out[i0 + 2] = o2;
        out[i0 + 3] = o3;
        zOut[i0] = d * o0;
        zOut[i0 + 1] = d * o1;
        zOut[i0 + 2] = d * o2;
        zOut[i0 + 3] = d * o3;
      }
    });
  }

  /**
   * Y = D^-1/2 A D^-1/2 X for a row-major block X [n, b] (Y [n, b]); {@code dinv} as in
   * {@link #normalizedMatVec}. Runs on the calling thread (callers parallelise over blocks).
   */
  public static void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv,
                                            double[] x, int n, int b) {
    for (int i = 0; i < n; i++) {
      int o = i * b;
      for (int c = 0; c < b; c++) y[o + c] = 0;
      for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        int j = col[p];
        int q = j * b;
        double w = dinv[j];
        for (int c = 0; c < b; c++) y[o + c] += w * x[q + c];
      }
      double d = dinv[i];
      for (int c = 0; c < b; c++) y[o + c] *= d;
    }
  }

  /**
   * h[j] = sum_r v[r * ld + j] * w[r] for j < cols: the projections of w on the first
   * {@code cols} columns of the row-major basis v [n, ld]. {@code partial} [chunks * cols] is
   * scratch, chunks = {@code par.threads()}.
   */
  public static void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n,
                               double[] partial, Parallel par) {
    int chunks = par.threads();
    java.util.Arrays.fill(partial, 0, chunks * cols, 0);
    int[] bounds = evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o = c * cols;
      int r = from;
      // Four rows per sweep: one load and store of partial per four products.
      for (; r + 3 < to; r += 4) {
        double w0 = w[r];
        double w1 = w[r + 1];
        double w2 = w[r + 2];
        double w3 = w[r + 3];
        int b0 = r * ld;
        int b1 = b0 + ld;
        int b2 = b1 + ld;
        int b3 = b2 + ld;
        for (int j = 0; j < cols; j++) {
          partial[o + j] += v[b0 + j] * w0 + v[b1 + j] * w1 + v[b2 + j] * w2 + v[b3 + j] * w3;
        }
      }
      for (; r < to; r++) {
        double wr = w[r];
        int base = r * ld;
        for (int j = 0; j < cols; j++) partial[o + j] += v[base + j] * wr;
      }
    });
    sumChunks(h, partial, chunks, cols, 0, cols);
  }

  /**
   * One fused pass of classical Gram-Schmidt: w[r] -= v[r, 0..cols) . h, and of the updated w
   * the projections h2[j] = sum_r v[r * ld + j] * w[r]; returns the updated ||w||^2.
   * {@code partial} [chunks * (cols + 1)] is scratch, chunks = {@code par.threads()}.
   */
  public static double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h,
                                         double[] h2, int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    int width = cols + 1;
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int[] bounds = evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o = c * width;
      double norm = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        double wr = w[r] - rowDot(v, base, h, cols);
        w[r] = wr;
        norm += wr * wr;
        for (int j = 0; j < cols; j++) partial[o + j] += v[base + j] * wr;
      }
      partial[o + cols] = norm;
    });
    sumChunks(h2, partial, chunks, width, 0, cols);
    return sumChunk(partial, chunks, width, cols);
  }

  /** See {@link DoubleLoops#basisDots2}: partial rows [chunk][2][cols], added in chunk order. */
  public static void basisDots2(double[] h0, double[] h1, double[] v, int ld, int cols,
                                double[] w0, double[] w1, int n, double[] partial,
                                Parallel par) {
    int chunks = par.threads();
    java.util.Arrays.fill(partial, 0, chunks * 2 * cols, 0);
    int[] bounds = evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o0 = c * 2 * cols;
      int o1 = o0 + cols;
      for (int r = from; r < to; r++) {
        double a = w0[r];
        double b = w1[r];
        int base = r * ld;
        for (int j = 0; j < cols; j++) {
          double x = v[base + j];
          partial[o0 + j] += x * a;
          partial[o1 + j] += x * b;
        }
      }
    });
    sumChunks(h0, partial, chunks, 2 * cols, 0, cols);
    sumChunks(h1, partial, chunks, 2 * cols, cols, cols);
  }

  /** See {@link DoubleLoops#basisSubtractDots2}. */
  public static void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols,
                                        double[] h0, double[] h1, double[] g0, double[] g1,
                                        double[] norms, int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    int width = 2 * (cols + 1);
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int[] bounds = evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o0 = c * width;
      int o1 = o0 + cols;
      double n0 = 0;
      double n1 = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        double a = w0[r] - rowDot(v, base, h0, cols);
        double b = w1[r] - rowDot(v, base, h1, cols);
        w0[r] = a;
        w1[r] = b;
        n0 += a * a;
        n1 += b * b;
        for (int j = 0; j < cols; j++) {
          double x = v[base + j];
          partial[o0 + j] += x * a;
          partial[o1 + j] += x * b;
        }
      }
      partial[o0 + 2 * cols] = n0;
      partial[o0 + 2 * cols + 1] = n1;
    });
    DoubleKernels.combinePairPartials(partial, chunks, width, cols, g0, g1, norms);
  }

  /** w[r] -= sum_{j < cols} v[r * ld + j] * h[j] for every row r. */
  public static void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
                                   Parallel par) {
    par.forRange(n, 1 << 12, (c, from, to) -> {
      for (int r = from; r < to; r++) {
        w[r] -= rowDot(v, r * ld, h, cols);
      }
    });
  }

  /**
   * Replaces the first {@code keep} columns of every row of v [n, ld] by v[r, 0..cols) * y
   * where y is row-major [cols, keep]: the basis rotation of a thick restart.
   */
  public static void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n,
                                 Parallel par) {
    par.forRange(n, 1 << 10, (c, from, to) -> {
      double[] row = new double[keep];
      for (int r = from; r < to; r++) {
        int base = r * ld;
        java.util.Arrays.fill(row, 0);
        for (int j = 0; j < cols; j++) {
          double vj = v[base + j];
          int yo = j * keep;
          for (int i = 0; i < keep; i++) row[i] += vj * y[yo + i];
        }
        System.arraycopy(row, 0, v, base, keep);
      }
    });
  }

  /** Dot product x . y over [0, n), per-chunk partials added in chunk order. */
  public static double dot(double[] x, double[] y, int n, Parallel par) {
    int chunks = par.threads();
    double[] partial = new double[chunks];
    int[] bounds = evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      double s = 0;
      for (int r = from; r < to; r++) s += x[r] * y[r];
      partial[c] = s;
    });
    double s = 0;
    for (double p : partial) s += p;
    return s;
  }

  /**
   * sum_j v[base + j] * h[j] for j < cols with four independent accumulators: a single
   * accumulator makes the loop wait on the add latency every element.
   */
  public static double rowDot(double[] v, int base, double[] h, int cols) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < cols; j += 4) {
      s0 += v[base + j] * h[j];
      s1 += v[base + j + 1] * h[j + 1];
      s2 += v[base + j + 2] * h[j + 2];
      s3 += v[base + j + 3] * h[j + 3];
    }
    for (; j < cols; j++) s0 += v[base + j] * h[j];
    return (s0 + s1) + (s2 + s3);
  }

  /** sum of z[col[p]] for p in [from, to), four accumulators (see {@link #rowDot}). */
  private static double gatherSum(double[] z, int[] col, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int p = from;
    for (; p + 3 < to; p += 4) {
      s0 += z[col[p]];
      s1 += z[col[p + 1]];
      s2 += z[col[p + 2]];
      s3 += z[col[p + 3]];
    }
    for (; p < to; p++) s0 += z[col[p]];
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Sums per-chunk partials of two vectors' dot products with the basis ([chunk][2 cols + 2]:
   * g0's columns, g1's columns, then the two squared norms) in chunk order, so the scalar and
   * vector loops combine them identically.
   */
  public static void combinePairPartials(double[] partial, int chunks, int width, int cols,
                                         double[] g0, double[] g1, double[] norms) {
    sumChunks(g0, partial, chunks, width, 0, cols);
    sumChunks(g1, partial, chunks, width, cols, cols);
    sumChunks(norms, partial, chunks, width, 2 * cols, 2);
  }

  /** dst[j] = sum over chunks c, in order, of partial[c * width + offset + j], j < count. */
  public static void sumChunks(double[] dst, double[] partial, int chunks, int width, int offset,
                               int count) {
    for (int j = 0; j < count; j++) dst[j] = sumChunk(partial, chunks, width, offset + j);
  }

  /** Sum over chunks c, in order, of partial[c * width + column]. */
  public static double sumChunk(double[] partial, int chunks, int width, int column) {
    double s = 0;
    for (int c = 0; c < chunks; c++) s += partial[c * width + column];
    return s;
  }

  /** Chunk c of n rows split evenly into {@code chunks}: [bounds[c], bounds[c + 1]). */
  public static int[] evenBounds(int n, int chunks) {
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    return bounds;
  }
}
