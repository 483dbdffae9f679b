package org.gnn4j.internal.kernel;

/**
 * The fixed-order sums both {@link DoubleLoops} implementations share: per-chunk partials added
 * in chunk order, even row chunks, and the eight-accumulator row dot product. One home for the
 * summation order is what makes the scalar and Vector API loops agree bit for bit. Pure
 * functions, no state.
 */
public final class DoubleSums {
  private DoubleSums() {}

  /**
   * sum_j v[base + j] * h[j] for j &lt; cols with eight independent accumulators: a single
   * accumulator makes the loop wait on the add latency every element, and with four it still
   * waits (Gram-Schmidt's subtraction pass, which runs this twice per basis row, measured about
   * twice the time of a pass that only reads the rows); with eight the adds of a row of 40-50
   * columns overlap.
   */
  public static double rowDot(double[] v, int base, double[] h, int cols) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int j = 0;
    for (; j + 7 < cols; j += 8) {
      int b = base + j;
      s0 += v[b] * h[j];
      s1 += v[b + 1] * h[j + 1];
      s2 += v[b + 2] * h[j + 2];
      s3 += v[b + 3] * h[j + 3];
      s4 += v[b + 4] * h[j + 4];
      s5 += v[b + 5] * h[j + 5];
      s6 += v[b + 6] * h[j + 6];
      s7 += v[b + 7] * h[j + 7];
    }
    for (; j + 3 < cols; j += 4) {
      int b = base + j;
      s0 += v[b] * h[j];
      s1 += v[b + 1] * h[j + 1];
      s2 += v[b + 2] * h[j + 2];
      s3 += v[b + 3] * h[j + 3];
    }
    for (; j < cols; j++) s4 += v[base + j] * h[j];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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

  /** dst[j] = sum over chunks c, in order, of partial[c * width + offset + j], j &lt; count. */
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
