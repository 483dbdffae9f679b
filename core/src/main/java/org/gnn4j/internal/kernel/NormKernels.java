package org.gnn4j.internal.kernel;

import java.util.SplittableRandom;

/**
 * The loops behind the row/column normalising ops: softmax and log-softmax over rows, layer
 * norm (statistics per row), batch norm (statistics per column) and dropout's bit mask. Reached
 * through {@link Kernels#norm()}; {@link ScalarNorm} is the plain-Java implementation, its per-row
 * math on the kernel set's {@link MathKernels} (Vector API when available). The ops in
 * {@code org.gnn4j.ops} validate and record autograd; these trust their input.
 */
public interface NormKernels {
  /** Elements per dropout random stream; a multiple of 64 so no mask word spans two streams. */
  int DROPOUT_BLOCK = 1 << 15;

  /**
   * Row-wise softmax (or log-softmax) of x viewed as [rows, cols], shifted by the row max so
   * exp never overflows: y = exp(x - m) / sum exp(x - m), log y = x - m - log sum exp(x - m).
   */
  void softmax(float[] y, float[] x, int rows, int cols, boolean log, Parallel par);

  /**
   * Backward of {@link #softmax} from its output y: softmax dx = y (g - sum_j g y),
   * log-softmax dx = g - exp(y) sum_j g.
   */
  void softmaxBackward(float[] dx, float[] g, float[] y, int rows, int cols, boolean log,
      Parallel par);

  /**
   * y = (x - mean) * rstd * w + b per row of [rows, cols] with the biased variance; saves
   * mean[rows] and rstd[rows] = 1 / sqrt(var + eps). w and b may be null (1 and 0).
   */
  void layerNorm(float[] y, float[] mean, float[] rstd, float[] x, float[] w, float[] b, int rows,
      int cols, float eps, Parallel par);

  /**
   * Backward of {@link #layerNorm}. With xhat = (x - mean) rstd and dxhat = g w:
   * dx = rstd (dxhat - mean_j dxhat - xhat mean_j(dxhat xhat)); dw = sum_rows g xhat;
   * db = sum_rows g. Any of dx, dw, db may be null (not wanted); w may be null.
   */
  void layerNormBackward(float[] dx, float[] dw, float[] db, float[] g, float[] x, float[] mean,
      float[] rstd, float[] w, int rows, int cols, Parallel par);

  /** Column mean[cols] and biased var[cols] of x [rows, cols] (two passes, double sums). */
  void columnMoments(float[] mean, float[] var, float[] x, int rows, int cols, Parallel par);

  /** y = (x - mean[j]) * rstd[j] * w[j] + b[j] over [rows, cols]; w, b may be null. */
  void columnNormalize(float[] y, float[] x, float[] mean, float[] rstd, float[] w, float[] b,
      int rows, int cols, Parallel par);

  /**
   * Backward of batch norm over [rows, cols] with xhat = (x - mean) rstd. Training (statistics
   * from the batch): dx = w rstd (g - mean_rows g - xhat mean_rows(g xhat)); eval (constant
   * statistics): dx = w rstd g. Both: dw = sum_rows g xhat, db = sum_rows g. Null = not wanted.
   */
  void batchNormBackward(float[] dx, float[] dw, float[] db, float[] g, float[] x, float[] mean,
      float[] rstd, float[] w, int rows, int cols, boolean training, Parallel par);

  /**
   * Sets bit i of {@code keep} ([ceil(n / 64)] words) with probability 1 - p: each 64-bit draw
   * of the stream gives two elements a 32-bit uniform u each, kept when u >= ceil(p 2^32) (p is
   * resolved to 2^-32). Branch-free, since a random branch would mispredict half the time.
   * Block k of {@link #DROPOUT_BLOCK} elements draws from the k-th split of {@code rng}, taken in
   * order before any thread starts, so the mask depends on the seed only, not the thread count.
   */
  void dropoutMask(long[] keep, SplittableRandom rng, double p, int n, Parallel par);

  /**
   * keep[q] = bit pos[q] of the mask {@link #dropoutMask} draws from the same stream for n
   * elements, for sorted positions pos ([count]), at a cost proportional to count instead of n
   * (dropout on the non-zeros of a sparse input). Leaves {@code rng} where dropoutMask does.
   */
  void dropoutKeepAt(boolean[] keep, int[] pos, int count, SplittableRandom rng, double p, int n);

  /**
   * out[i] = x[i] * scale * (keep bit i), forward and backward of dropout alike. A product, not
   * a branch, as torch: no mispredictions, and a dropped NaN/inf stays NaN like torch's x * 0.
   */
  void dropoutApply(float[] out, float[] x, long[] keep, float scale, int n, Parallel par);

  /** The plain-Java loops on {@code math}'s row kernels. */
  static NormKernels on(MathKernels math) {
    return new ScalarNorm(math);
  }
}
