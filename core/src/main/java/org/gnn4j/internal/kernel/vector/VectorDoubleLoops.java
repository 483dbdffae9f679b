package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DoubleSums;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;

/**
 * {@link DoubleLoops} on the Vector API, on the preferred double species (8 lanes with AVX-512).
 * Lanes run over the columns of a row-major block: the basis products and the block product are
 * then lane-wise multiply and add in the reference's order, so they give the same bits as
 * {@code ScalarDoubleLoops}; the row dot products of Gram-Schmidt's subtraction stay the
 * reference's scalar loop (see {@link #rowDot}), so every kernel here matches it bit for bit.
 * The block product keeps up to four vectors of an output row in registers while it walks the
 * row's entries, so each neighbour row is read once per four vectors and the output once.
 */
public final class VectorDoubleLoops implements DoubleLoops {
  /** A constant species, so C2 emits SIMD instead of boxing (see VectorGraphKernels). */
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Two and four interleaved vectors' entries of one node: one 16- or 32-byte load each. */
  private static final VectorSpecies<Double> PAIR = DoubleVector.SPECIES_128;
  private static final VectorSpecies<Double> QUAD = DoubleVector.SPECIES_256;
  /** Without 256-bit registers the four-vector step stays the reference's scalar loop. */
  private static final boolean QUAD_NATIVE = S.vectorBitSize() >= 256;

  private VectorDoubleLoops() {}

  /**
   * The Vector API loops.
   *
   * @throws UnsupportedOperationException if the preferred double vector has fewer than 2 lanes
   */
  public static DoubleLoops create() {
    if (L < 2) {
      throw new UnsupportedOperationException("VectorDoubleLoops: the preferred double vector has "
          + L + " lane (need at least 2)");
    }
    return new VectorDoubleLoops();
  }

  @Override
  public String name() {
    return "vector(" + S.vectorBitSize() + "-bit)";
  }

  @Override
  public void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n,
                        double[] partial, Parallel par) {
    int chunks = par.threads();
    java.util.Arrays.fill(partial, 0, chunks * cols, 0);
    int vecEnd = cols - cols % L;
    par.forBounds(DoubleSums.evenBounds(n, chunks), (c, from, to) -> {
      int o = c * cols;
      int r = from;
      for (; r + 3 < to; r += 4) dots4(partial, o, v, r * ld, ld, w, r, cols, vecEnd);
      for (; r < to; r++) {
        axpyRow(partial, o, v, r * ld, w[r], cols, vecEnd);
      }
    });
    DoubleSums.sumChunks(h, partial, chunks, cols, 0, cols);
  }

  /**
   * partial[o + j] += v[r, j] w[r] + ... + v[r + 3, j] w[r + 3] for j < cols. Per-row (and
   * per-four-rows) helpers are small methods called many times, so C2 compiles them within the
   * first call of a kernel; a whole-chunk loop would wait for on-stack replacement and box every
   * vector until then.
   */
  private static void dots4(double[] partial, int o, double[] v, int b0, int ld, double[] w,
                            int r, int cols, int vecEnd) {
    double w0 = w[r];
    double w1 = w[r + 1];
    double w2 = w[r + 2];
    double w3 = w[r + 3];
    int b1 = b0 + ld;
    int b2 = b1 + ld;
    int b3 = b2 + ld;
    int j = 0;
    for (; j < vecEnd; j += L) {
      DoubleVector t = DoubleVector.fromArray(S, v, b0 + j).mul(w0)
          .add(DoubleVector.fromArray(S, v, b1 + j).mul(w1))
          .add(DoubleVector.fromArray(S, v, b2 + j).mul(w2))
          .add(DoubleVector.fromArray(S, v, b3 + j).mul(w3));
      DoubleVector.fromArray(S, partial, o + j).add(t).intoArray(partial, o + j);
    }
    for (; j < cols; j++) {
      partial[o + j] += v[b0 + j] * w0 + v[b1 + j] * w1 + v[b2 + j] * w2 + v[b3 + j] * w3;
    }
  }

  /** partial[o + j] += v[base + j] * wr for j < cols. */
  private static void axpyRow(double[] partial, int o, double[] v, int base, double wr, int cols,
                              int vecEnd) {
    int j = 0;
    for (; j < vecEnd; j += L) {
      DoubleVector.fromArray(S, partial, o + j)
          .add(DoubleVector.fromArray(S, v, base + j).mul(wr)).intoArray(partial, o + j);
    }
    for (; j < cols; j++) partial[o + j] += v[base + j] * wr;
  }

  /**
   * sum_j v[base + j] * h[j] for j < cols: the reference's eight-accumulator loop. A lane-wise
   * version needs a fixed-order reduction across lanes (rearrange), which measured no faster
   * here and allocated boxed vectors until C2 compiled it (peak RSS 700 MB at 100k nodes).
   */
  private static double rowDot(double[] v, int base, double[] h, int cols, int vecEnd) {
    return DoubleSums.rowDot(v, base, h, cols);
  }

  @Override
  public double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h,
                                  double[] h2, int n, double[] partial, Parallel par) {
    return basisStoreSubtractDots(null, 0, 0, w, v, ld, cols, h, h2, n, partial, par);
  }

  @Override
  public double basisStoreSubtractDots(double[][] store, int first, int count, double[] w,
                                       double[] v, int ld, int cols, double[] h, double[] h2,
                                       int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    int width = cols + 1;
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int vecEnd = cols - cols % L;
    par.forBounds(DoubleSums.evenBounds(n, chunks), (c, from, to) -> {
      int o = c * width;
      double norm = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        for (int q = 0; q < count; q++) v[base + first + q] = store[q][r];
        double wr = w[r] - rowDot(v, base, h, cols, vecEnd);
        w[r] = wr;
        norm += wr * wr;
        axpyRow(partial, o, v, base, wr, cols, vecEnd);
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
    int vecEnd = cols - cols % L;
    par.forBounds(DoubleSums.evenBounds(n, chunks), (c, from, to) -> {
      int o0 = c * 2 * cols;
      for (int r = from; r < to; r++) {
        axpyRow2(partial, o0, o0 + cols, v, r * ld, w0[r], w1[r], cols, vecEnd);
      }
    });
    DoubleSums.sumChunks(h0, partial, chunks, 2 * cols, 0, cols);
    DoubleSums.sumChunks(h1, partial, chunks, 2 * cols, cols, cols);
  }

  /** partial[o0 + j] += v[base + j] * a and partial[o1 + j] += v[base + j] * b, j < cols. */
  private static void axpyRow2(double[] partial, int o0, int o1, double[] v, int base, double a,
                               double b, int cols, int vecEnd) {
    int j = 0;
    for (; j < vecEnd; j += L) {
      DoubleVector x = DoubleVector.fromArray(S, v, base + j);
      DoubleVector.fromArray(S, partial, o0 + j).add(x.mul(a)).intoArray(partial, o0 + j);
      DoubleVector.fromArray(S, partial, o1 + j).add(x.mul(b)).intoArray(partial, o1 + j);
    }
    for (; j < cols; j++) {
      double x = v[base + j];
      partial[o0 + j] += x * a;
      partial[o1 + j] += x * b;
    }
  }

  @Override
  public void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols,
                                 double[] h0, double[] h1, double[] g0, double[] g1,
                                 double[] norms, int n, double[] partial, Parallel par) {
    basisStoreSubtractDots2(null, 0, 0, w0, w1, v, ld, cols, h0, h1, g0, g1, norms, n, partial,
        par);
  }

  @Override
  public void basisStoreSubtractDots2(double[][] store, int first, int count, double[] w0,
                                      double[] w1, double[] v, int ld, int cols, double[] h0,
                                      double[] h1, double[] g0, double[] g1, double[] norms,
                                      int n, double[] partial, Parallel par) {
    int chunks = par.threads();
    int width = 2 * (cols + 1);
    java.util.Arrays.fill(partial, 0, chunks * width, 0);
    int vecEnd = cols - cols % L;
    par.forBounds(DoubleSums.evenBounds(n, chunks), (c, from, to) -> {
      int o0 = c * width;
      double n0 = 0;
      double n1 = 0;
      for (int r = from; r < to; r++) {
        int base = r * ld;
        for (int q = 0; q < count; q++) v[base + first + q] = store[q][r];
        double a = w0[r] - rowDot(v, base, h0, cols, vecEnd);
        double b = w1[r] - rowDot(v, base, h1, cols, vecEnd);
        w0[r] = a;
        w1[r] = b;
        n0 += a * a;
        n1 += b * b;
        axpyRow2(partial, o0, o0 + cols, v, base, a, b, cols, vecEnd);
      }
      partial[o0 + 2 * cols] = n0;
      partial[o0 + 2 * cols + 1] = n1;
    });
    DoubleSums.combinePairPartials(partial, chunks, width, cols, g0, g1, norms);
  }

  @Override
  public void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
                            Parallel par) {
    int vecEnd = cols - cols % L;
    par.forRange(n, 1 << 12, (c, from, to) -> {
      for (int r = from; r < to; r++) w[r] -= rowDot(v, r * ld, h, cols, vecEnd);
    });
  }

  /**
   * The Chebyshev step on two interleaved vectors ([n, 2]): each neighbour's pair is one 128-bit
   * load instead of two scalar ones, added into four accumulators by entry position as the
   * reference does, so the bits are the reference's. The step is a gather over the sparse
   * matrix, most of a filtered Lanczos run's time.
   */
  @Override
  public void chebyshevStep2(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
                             double[] z, double[] q, double[] p, double a, double c, double b,
                             int[] bounds, Parallel par) {
    par.forBounds(bounds, (k, from, to) -> {
      for (int i = from; i < to; i++) pairRow(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b, i);
    });
  }

  /** Row i of {@link #chebyshevStep2}. */
  private static void pairRow(double[] out, double[] zOut, int[] rowPtr, int[] col,
                              double[] dinv, double[] z, double[] q, double[] p, double a,
                              double c, double b, int i) {
    DoubleVector s0 = DoubleVector.zero(PAIR);
    DoubleVector s1 = DoubleVector.zero(PAIR);
    DoubleVector s2 = DoubleVector.zero(PAIR);
    DoubleVector s3 = DoubleVector.zero(PAIR);
    int e = rowPtr[i];
    int end = rowPtr[i + 1];
    for (; e + 3 < end; e += 4) {
      s0 = s0.add(DoubleVector.fromArray(PAIR, z, col[e] << 1));
      s1 = s1.add(DoubleVector.fromArray(PAIR, z, col[e + 1] << 1));
      s2 = s2.add(DoubleVector.fromArray(PAIR, z, col[e + 2] << 1));
      s3 = s3.add(DoubleVector.fromArray(PAIR, z, col[e + 3] << 1));
    }
    for (; e < end; e++) s0 = s0.add(DoubleVector.fromArray(PAIR, z, col[e] << 1));
    int i0 = i << 1;
    double d = dinv[i];
    // out = a (d sum - c q) - b p and zOut = d out: the reference's order of operations
    DoubleVector o = s0.add(s1).add(s2.add(s3)).mul(d)
        .sub(DoubleVector.fromArray(PAIR, q, i0).mul(c)).mul(a);
    if (b != 0) o = o.sub(DoubleVector.fromArray(PAIR, p, i0).mul(b));
    o.intoArray(out, i0);
    o.mul(d).intoArray(zOut, i0);
  }

  /**
   * The Chebyshev step on four interleaved vectors ([n, 4]): one 256-bit load per neighbour,
   * one accumulator summed in entry order (the reference's order and bits).
   */
  @Override
  public void chebyshevStep4(double[] out, double[] zOut, int[] rowPtr, int[] col, double[] dinv,
                             double[] z, double[] q, double[] p, double a, double c, double b,
                             int[] bounds, Parallel par) {
    if (!QUAD_NATIVE) {
      DoubleLoops.scalar().chebyshevStep4(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b, bounds,
          par);
      return;
    }
    par.forBounds(bounds, (k, from, to) -> {
      for (int i = from; i < to; i++) quadRow(out, zOut, rowPtr, col, dinv, z, q, p, a, c, b, i);
    });
  }

  /** Row i of {@link #chebyshevStep4}. */
  private static void quadRow(double[] out, double[] zOut, int[] rowPtr, int[] col,
                              double[] dinv, double[] z, double[] q, double[] p, double a,
                              double c, double b, int i) {
    DoubleVector sum = DoubleVector.zero(QUAD);
    for (int e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
      sum = sum.add(DoubleVector.fromArray(QUAD, z, col[e] << 2));
    }
    double d = dinv[i];
    int i0 = i << 2;
    DoubleVector o = sum.mul(d).sub(DoubleVector.fromArray(QUAD, q, i0).mul(c)).mul(a);
    if (b != 0) o = o.sub(DoubleVector.fromArray(QUAD, p, i0).mul(b));
    o.intoArray(out, i0);
    o.mul(d).intoArray(zOut, i0);
  }

  @Override
  public void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n,
                          Parallel par) {
    int vecEnd = keep - keep % L;
    par.forRange(n, 1 << 10, (c, from, to) -> {
      double[] row = new double[keep];
      for (int r = from; r < to; r++) rotateRow(v, r * ld, cols, y, keep, row, vecEnd);
    });
  }

  /**
   * row = v[base, 0..cols) * y, then copied over v[base, 0..keep). Four vectors of the row are
   * summed at once: each is a chain of adds over j, one at a time it waits on the add latency
   * every step. Past the last full group the four start where the last one ends (overlapping
   * groups compute the same lanes twice, in the same order, so the same bits). The lanes past
   * the last full vector are the reference's scalar sums, also all at once.
   */
  private static void rotateRow(double[] v, int base, int cols, double[] y, int keep,
                                double[] row, int vecEnd) {
    for (int i = 0; i < vecEnd; i += 4 * L) {
      int i1 = Math.min(i + L, vecEnd - L);
      int i2 = Math.min(i + 2 * L, vecEnd - L);
      int i3 = Math.min(i + 3 * L, vecEnd - L);
      DoubleVector a0 = DoubleVector.zero(S);
      DoubleVector a1 = DoubleVector.zero(S);
      DoubleVector a2 = DoubleVector.zero(S);
      DoubleVector a3 = DoubleVector.zero(S);
      for (int j = 0; j < cols; j++) {
        double x = v[base + j];
        int yo = j * keep;
        a0 = a0.add(DoubleVector.fromArray(S, y, yo + i).mul(x));
        a1 = a1.add(DoubleVector.fromArray(S, y, yo + i1).mul(x));
        a2 = a2.add(DoubleVector.fromArray(S, y, yo + i2).mul(x));
        a3 = a3.add(DoubleVector.fromArray(S, y, yo + i3).mul(x));
      }
      a0.intoArray(row, i);
      a1.intoArray(row, i1);
      a2.intoArray(row, i2);
      a3.intoArray(row, i3);
    }
    if (vecEnd < keep) {
      java.util.Arrays.fill(row, vecEnd, keep, 0);
      for (int j = 0; j < cols; j++) {
        double x = v[base + j];
        int yo = j * keep;
        for (int i = vecEnd; i < keep; i++) row[i] += x * y[yo + i];
      }
    }
    System.arraycopy(row, 0, v, base, keep);
  }

  @Override
  public void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv,
                                     double[] x, int n, int b) {
    int quadEnd = b - b % (4 * L);
    int vecEnd = b - b % L;
    for (int i = 0; i < n; i++) productRow(y, rowPtr, col, dinv, x, i, b, quadEnd, vecEnd);
  }

  /** Row i of the block product (see {@link #normalizedBlockProduct}). */
  private static void productRow(double[] y, int[] rowPtr, int[] col, double[] dinv, double[] x,
                                 int i, int b, int quadEnd, int vecEnd) {
    int o = i * b;
    int from = rowPtr[i];
    int to = rowPtr[i + 1];
    double d = dinv[i];
    int c = 0;
    for (; c < quadEnd; c += 4 * L) {
      DoubleVector a0 = DoubleVector.zero(S);
      DoubleVector a1 = DoubleVector.zero(S);
      DoubleVector a2 = DoubleVector.zero(S);
      DoubleVector a3 = DoubleVector.zero(S);
      for (int p = from; p < to; p++) {
        int j = col[p];
        int q = j * b + c;
        double w = dinv[j];
        a0 = a0.add(DoubleVector.fromArray(S, x, q).mul(w));
        a1 = a1.add(DoubleVector.fromArray(S, x, q + L).mul(w));
        a2 = a2.add(DoubleVector.fromArray(S, x, q + 2 * L).mul(w));
        a3 = a3.add(DoubleVector.fromArray(S, x, q + 3 * L).mul(w));
      }
      a0.mul(d).intoArray(y, o + c);
      a1.mul(d).intoArray(y, o + c + L);
      a2.mul(d).intoArray(y, o + c + 2 * L);
      a3.mul(d).intoArray(y, o + c + 3 * L);
    }
    for (; c < vecEnd; c += L) {
      DoubleVector a0 = DoubleVector.zero(S);
      for (int p = from; p < to; p++) {
        int j = col[p];
        a0 = a0.add(DoubleVector.fromArray(S, x, j * b + c).mul(dinv[j]));
      }
      a0.mul(d).intoArray(y, o + c);
    }
    for (; c < b; c++) {
      double s = 0;
      for (int p = from; p < to; p++) {
        int j = col[p];
        s += dinv[j] * x[j * b + c];
      }
      y[o + c] = s * d;
    }
  }
}
