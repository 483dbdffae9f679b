package org.gnn4j.internal.kernel;

/**
 * The fixed-order sums both {@link DoubleLoops} implementations share: per-chunk partials added
 * in chunk order, even row chunks, and the four-accumulator row dot product. One home for the
 * summation order is what makes the scalar and Vector API loops agree bit for bit. Pure
 * functions, no state.
 */
public final class DoubleSums {
  private DoubleSums() {}

  /**
   * sum_j v[base + j] * h[j] for j &lt; cols with four independent accumulators: a single
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
