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
        double s = 0;
        for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) s += z[col[p]];
        y[i] = dinv[i] * s;
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
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o = c * cols;
      for (int r = from; r < to; r++) {
        double wr = w[r];
        int base = r * ld;
        for (int j = 0; j < cols; j++) partial[o + j] += v[base + j] * wr;
      }
    });
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int c = 0; c < chunks; c++) s += partial[c * cols + j];
      h[j] = s;
    }
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
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o = c * width;
      double norm = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        double s = 0;
        for (int j = 0; j < cols; j++) s += v[base + j] * h[j];
        double wr = w[r] - s;
        w[r] = wr;
        norm += wr * wr;
        for (int j = 0; j < cols; j++) partial[o + j] += v[base + j] * wr;
      }
      partial[o + cols] = norm;
    });
    double norm = 0;
    for (int j = 0; j <= cols; j++) {
      double s = 0;
      for (int c = 0; c < chunks; c++) s += partial[c * width + j];
      if (j < cols) h2[j] = s;
      else norm = s;
    }
    return norm;
  }

  /** w[r] -= sum_{j < cols} v[r * ld + j] * h[j] for every row r. */
  public static void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
                                   Parallel par) {
    par.forRange(n, 1 << 12, (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int base = r * ld;
        double s = 0;
        for (int j = 0; j < cols; j++) s += v[base + j] * h[j];
        w[r] -= s;
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
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    par.forBounds(bounds, (c, from, to) -> {
      double s = 0;
      for (int r = from; r < to; r++) s += x[r] * y[r];
      partial[c] = s;
    });
    double s = 0;
    for (double p : partial) s += p;
    return s;
  }
}
