package org.gnn4j.internal.kernel;

/**
 * {@link DoubleLoops} in plain Java, the reference for the Vector API loops: the
 * normalised-adjacency mat-vec, Chebyshev steps and block product, and the tall-skinny products
 * of a Lanczos basis. Rows are split into fixed chunks over the {@link Parallel} pool; every
 * reduction adds per-chunk partial sums in chunk order ({@link DoubleSums}), so results are
 * bit-identical for a thread count.
 */
final class ScalarDoubleLoops implements DoubleLoops {
  static final ScalarDoubleLoops INSTANCE = new ScalarDoubleLoops();

  private ScalarDoubleLoops() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void normalizedMatVec(double[] y, int[] rowPtr, int[] col, double[] dinv, double[] x,
      double[] z, int n, int[] bounds, Parallel par) {
    par.forRange(n, 1 << 14, (c, from, to) -> {
      for (int i = from; i < to; i++) z[i] = dinv[i] * x[i];
    });
    par.forBounds(bounds, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        y[i] = dinv[i] * gatherSum(z, col, rowPtr[i], rowPtr[i + 1]);
      }
    });
  }

  @Override
  public void chebyshevStep(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
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

  @Override
  public void chebyshevStep2(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
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

  @Override
  public void chebyshevStep4(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
      double[] z, double[] q, double[] p, double a, double c, double b, int[] bounds,
      Parallel par) {
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

  @Override
  public void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv,
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

  @Override
  public void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n,
      double[] partial, Parallel par) {
    int chunks = par.threads();
    java.util.Arrays.fill(partial, 0, chunks * cols, 0);
    int[] bounds = DoubleSums.evenBounds(n, chunks);
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
    DoubleSums.sumChunks(h, partial, chunks, cols, 0, cols);
  }

  @Override
  public double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h,
      double[] h2, int n, double[] partial, Parallel par) {
    return basisStoreSubtractDots(null, 0, 0, w, v, ld, cols, h, h2, n, partial, par);
  }

  @Override
  public double basisStoreSubtractDots(double[][] store, int first, int count, double[] w,
      double[] v, int ld, int cols, double[] h, double[] h2, int n, double[] partial,
      Parallel par) {
    int chunks = par.threads();
    int width = cols + 1;
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int[] bounds = DoubleSums.evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o = c * width;
      double norm = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        for (int q = 0; q < count; q++) v[base + first + q] = store[q][r];
        double wr = w[r] - DoubleSums.rowDot(v, base, h, cols);
        w[r] = wr;
        norm += wr * wr;
        for (int j = 0; j < cols; j++) partial[o + j] += v[base + j] * wr;
      }
      partial[o + cols] = norm;
    });
    DoubleSums.sumChunks(h2, partial, chunks, width, 0, cols);
    return DoubleSums.sumChunk(partial, chunks, width, cols);
  }

  @Override
  public void basisDots2(double[] h0, double[] h1, double[] v, int ld, int cols, double[] w0,
      double[] w1, int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    java.util.Arrays.fill(partial, 0, chunks * 2 * cols, 0);
    int[] bounds = DoubleSums.evenBounds(n, chunks);
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
    DoubleSums.sumChunks(h0, partial, chunks, 2 * cols, 0, cols);
    DoubleSums.sumChunks(h1, partial, chunks, 2 * cols, cols, cols);
  }

  @Override
  public void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols,
      double[] h0, double[] h1, double[] g0, double[] g1, double[] norms, int n, double[] partial,
      Parallel par) {
    basisStoreSubtractDots2(null, 0, 0, w0, w1, v, ld, cols, h0, h1, g0, g1, norms, n, partial,
        par);
  }

  @Override
  public void basisStoreSubtractDots2(double[][] store, int first, int count, double[] w0,
      double[] w1, double[] v, int ld, int cols, double[] h0, double[] h1, double[] g0,
      double[] g1, double[] norms, int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    int width = 2 * (cols + 1);
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int[] bounds = DoubleSums.evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      int o0 = c * width;
      int o1 = o0 + cols;
      double n0 = 0;
      double n1 = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        for (int q = 0; q < count; q++) v[base + first + q] = store[q][r];
        double a = w0[r] - DoubleSums.rowDot(v, base, h0, cols);
        double b = w1[r] - DoubleSums.rowDot(v, base, h1, cols);
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
    DoubleSums.combinePairPartials(partial, chunks, width, cols, g0, g1, norms);
  }

  @Override
  public void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
      Parallel par) {
    par.forRange(n, 1 << 12, (c, from, to) -> {
      for (int r = from; r < to; r++) {
        w[r] -= DoubleSums.rowDot(v, r * ld, h, cols);
      }
    });
  }

  @Override
  public void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n, Parallel par) {
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

  @Override
  public double dot(double[] x, double[] y, int n, Parallel par) {
    int chunks = par.threads();
    double[] partial = new double[chunks];
    int[] bounds = DoubleSums.evenBounds(n, chunks);
    par.forBounds(bounds, (c, from, to) -> {
      double s = 0;
      for (int r = from; r < to; r++) s += x[r] * y[r];
      partial[c] = s;
    });
    double s = 0;
    for (double p : partial) s += p;
    return s;
  }

  /** sum of z[col[p]] for p in [from, to), four independent accumulators. */
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

}
