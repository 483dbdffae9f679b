package org.gnn4j.internal.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link NormKernels} in plain Java, the per-row math on the kernel set's {@link MathKernels}:
 * row work is split over rows; column statistics are summed per chunk in double and the chunk
 * partials combined in chunk order, so results are fixed for a given thread count.
 */
final class ScalarNorm implements NormKernels {
  private final MathKernels math;

  ScalarNorm(MathKernels math) {
    this.math = math;
  }

  private static final int GRAIN = ElementwiseKernels.GRAIN;

  private static int rowGrain(int cols) {
    return Math.max(1, GRAIN / Math.max(1, cols));
  }

  // ---- softmax ---------------------------------------------------------------------------------

  @Override
  public void softmax(float[] y, float[] x, int rows, int cols, boolean log, Parallel par) {
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        float max = math.max(x, o, cols);
        double sum = math.expSum(y, x, o, cols, max, !log);
        if (log) {
          // (x - max) - log(sum), not x - (max + log(sum)): the latter rounds at max's scale
          float logSum = (float) Math.log(sum);
          for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - max) - logSum;
        } else {
          float inv = (float) (1.0 / sum);
          for (int j = 0; j < cols; j++) y[o + j] *= inv;
        }
      }
    });
  }

  @Override
  public void softmaxBackward(float[] dx, float[] g, float[] y, int rows, int cols, boolean log,
      Parallel par) {
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        double s = 0;
        if (log) {
          for (int j = 0; j < cols; j++) s += g[o + j];
          float sf = (float) s;
          math.expSum(dx, y, o, cols, 0f, true);           // dx = exp(y) = softmax(x)
          for (int j = 0; j < cols; j++) dx[o + j] = g[o + j] - dx[o + j] * sf;
        } else {
          for (int j = 0; j < cols; j++) s += g[o + j] * y[o + j];
          float sf = (float) s;
          for (int j = 0; j < cols; j++) dx[o + j] = y[o + j] * (g[o + j] - sf);
        }
      }
    });
  }

  // ---- layer norm ------------------------------------------------------------------------------

  @Override
  public void layerNorm(float[] y, float[] mean, float[] rstd, float[] x, float[] w, float[] b,
      int rows, int cols, float eps, Parallel par) {
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        // two passes (mean, then squared deviations): no cancellation when |mean| >> std
        float m = (float) (math.sum(x, o, cols) / cols);
        double v = math.sumSquaredDeviations(x, o, cols, m);
        float rs = (float) (1.0 / Math.sqrt(v / cols + eps));
        mean[r] = m;
        rstd[r] = rs;
        math.normalizeRow(y, x, o, cols, m, rs, w, b);
      }
    });
  }

  @Override
  public void layerNormBackward(float[] dx, float[] dw, float[] db, float[] g, float[] x,
      float[] mean, float[] rstd, float[] w, int rows, int cols, Parallel par) {
    int slots = par.threads();
    double[] pw = dw == null ? null : new double[slots * cols];  // pw: [chunk, cols] partials
    double[] pb = db == null ? null : new double[slots * cols];
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      // float row sums for FLUSH rows at a time, then into the double partials: fast and
      // still accurate over many rows
      float[] fw = pw == null ? null : new float[cols];
      float[] fb = pb == null ? null : new float[cols];
      for (int r0 = from; r0 < to; r0 += FLUSH) {
        for (int r = r0, r1 = Math.min(to, r0 + FLUSH); r < r1; r++) {
          math.layerNormRowBackward(dx, fw, fb, g, x, r * cols, cols, mean[r], rstd[r], w);
        }
        flush(pw, fw, c * cols);
        flush(pb, fb, c * cols);
      }
    });
    combine(dw, pw, slots, cols);
    combine(db, pb, slots, cols);
  }

  private static final int FLUSH = 256;

  /** partial[off + j] += f[j]; f[j] = 0. */
  private static void flush(double[] partial, float[] f, int off) {
    if (f == null) return;
    for (int j = 0; j < f.length; j++) {
      partial[off + j] += f[j];
      f[j] = 0f;
    }
  }

  private static void combine(float[] out, double[] partial, int slots, int cols) {
    if (out == null) return;
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int c = 0; c < slots; c++) s += partial[c * cols + j];
      out[j] = (float) s;
    }
  }

  // ---- batch norm ------------------------------------------------------------------------------

  @Override
  public void columnMoments(float[] mean, float[] var, float[] x, int rows, int cols,
      Parallel par) {
    int slots = par.threads();
    double[] p = new double[slots * cols];                 // p: [chunk, cols] partial sums
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      int po = c * cols;
      for (int r = from; r < to; r++) {
        for (int j = 0; j < cols; j++) p[po + j] += x[r * cols + j];
      }
    });
    double[] mu = new double[cols];
    for (int j = 0; j < cols; j++) {
      for (int c = 0; c < slots; c++) mu[j] += p[c * cols + j];
      mu[j] /= rows;
      mean[j] = (float) mu[j];
    }
    Arrays.fill(p, 0);
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      int po = c * cols;
      for (int r = from; r < to; r++) {
        for (int j = 0; j < cols; j++) {
          double d = x[r * cols + j] - mu[j];
          p[po + j] += d * d;
        }
      }
    });
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int c = 0; c < slots; c++) s += p[c * cols + j];
      var[j] = (float) (s / rows);
    }
  }

  @Override
  public void columnNormalize(float[] y, float[] x, float[] mean, float[] rstd, float[] w,
      float[] b, int rows, int cols, Parallel par) {
    float[] scale = new float[cols];                       // scale: rstd * w per column
    for (int j = 0; j < cols; j++) scale[j] = w == null ? rstd[j] : rstd[j] * w[j];
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        if (b == null) for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - mean[j]) * scale[j];
        else for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - mean[j]) * scale[j] + b[j];
      }
    });
  }

  @Override
  public void batchNormBackward(float[] dx, float[] dw, float[] db, float[] g, float[] x,
      float[] mean, float[] rstd, float[] w, int rows, int cols, boolean training, Parallel par) {
    int slots = par.threads();
    double[] pg = new double[slots * cols];                // pg: [chunk, cols] partial sum g
    double[] pgx = new double[slots * cols];               // pgx: partial sum g * xhat
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      int po = c * cols;
      for (int r = from; r < to; r++) {
        int o = r * cols;
        for (int j = 0; j < cols; j++) {
          pg[po + j] += g[o + j];
          pgx[po + j] += g[o + j] * ((x[o + j] - mean[j]) * rstd[j]);
        }
      }
    });
    float[] sg = new float[cols];
    float[] sgx = new float[cols];
    combine(sg, pg, slots, cols);
    combine(sgx, pgx, slots, cols);
    if (dw != null) System.arraycopy(sgx, 0, dw, 0, cols);
    if (db != null) System.arraycopy(sg, 0, db, 0, cols);
    if (dx == null) return;
    float[] k = new float[cols];                           // k: w * rstd per column
    for (int j = 0; j < cols; j++) {
      k[j] = w == null ? rstd[j] : w[j] * rstd[j];
      sg[j] /= rows;
      sgx[j] /= rows;
    }
    par.forRange(rows, rowGrain(cols), (c, from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        if (training) {
          for (int j = 0; j < cols; j++) {
            float h = (x[o + j] - mean[j]) * rstd[j];
            dx[o + j] = k[j] * (g[o + j] - sg[j] - h * sgx[j]);
          }
        } else {
          for (int j = 0; j < cols; j++) dx[o + j] = k[j] * g[o + j];
        }
      }
    });
  }

  // ---- dropout ---------------------------------------------------------------------------------

  @Override
  public void dropoutMask(long[] keep, SplittableRandom rng, double p, int n, Parallel par) {
    int blocks = (n + DROPOUT_BLOCK - 1) / DROPOUT_BLOCK;
    SplittableRandom[] streams = new SplittableRandom[blocks];
    for (int k = 0; k < blocks; k++) streams[k] = rng.split();
    long threshold = (long) Math.ceil(p * 0x1.0p32);      // in [0, 2^32]
    par.forRange(blocks, 1, (c, from, to) -> {
      for (int k = from; k < to; k++) {
        int start = k * DROPOUT_BLOCK;
        maskBlock(keep, streams[k], threshold, start, Math.min(n, start + DROPOUT_BLOCK));
      }
    });
  }

  @Override
  public void dropoutKeepAt(boolean[] keep, int[] pos, int count, SplittableRandom rng, double p, int n) {
    dropoutKeepAt(keep, pos, count, rng, p, n, true);
  }

  /** With {@code jump} false every block's stream is read in order (the fallback; for tests). */
  static void dropoutKeepAt(boolean[] keep, int[] pos, int count, SplittableRandom rng, double p, int n,
                            boolean jump) {
    int blocks = (n + DROPOUT_BLOCK - 1) / DROPOUT_BLOCK;
    long threshold = (long) Math.ceil(p * 0x1.0p32);
    long[] head = new long[3];
    int q = 0;
    for (int k = 0; k < blocks; k++) {
      SplittableRandom s = rng.split();                    // every block's split, as dropoutMask
      int start = k * DROPOUT_BLOCK;
      int end = Math.min(n, start + DROPOUT_BLOCK);
      if (q == count || pos[q] >= end) continue;
      SplitMixJump at = SplitMixJump.of(s, head);
      if (!jump) at = null;
      long drawn = 3;                                      // in-order fallback: values read so far
      long r = 0;
      for (long last = -1; q < count && pos[q] < end; q++) {
        long i = (pos[q] - start) >>> 1;                   // element j uses value j / 2
        if (at != null) {
          r = at.at(i);
        } else if (i != last) {
          while (drawn <= i) { r = s.nextLong(); drawn++; }
          if (i < 3) r = head[(int) i];
        }
        last = i;
        // even elements take the high half, odd ones the low half, as maskBlock
        long u = ((pos[q] - start) & 1) == 0 ? r >>> 32 : r & 0xFFFFFFFFL;
        keep[q] = u >= threshold;
      }
    }
  }

  // A static method, not the lambda body: C2 compiles it on its own and runs ~8x faster.
  private static void maskBlock(long[] keep, SplittableRandom s, long threshold, int from,
                                int end) {
    for (int w = from; w < end; w += 64) {
      long bits = 0;                                       // one mask word built in a register
      int len = Math.min(64, end - w);
      for (int b = 0; b < len; b += 2) {
        long r = s.nextLong();
        // (u - threshold) >>> 63 is 1 exactly when u < threshold (dropped)
        long k1 = 1L - (((r >>> 32) - threshold) >>> 63);
        long k2 = 1L - (((r & 0xFFFFFFFFL) - threshold) >>> 63);
        bits |= (k1 | (k2 << 1)) << b;
      }
      keep[w >>> 6] = len == 64 ? bits : bits & ((1L << len) - 1);
    }
  }

  @Override
  public void dropoutApply(float[] out, float[] x, long[] keep, float scale, int n, Parallel par) {
    int words = (n + 63) >>> 6;
    par.forRange(words, Math.max(1, GRAIN / 64), (c, from, to) -> {
      for (int w = from; w < to; w++) {
        long bits = keep[w];
        int o = w << 6;
        for (int b = 0, len = Math.min(64, n - o); b < len; b++) {
          out[o + b] = x[o + b] * (scale * (float) ((bits >>> b) & 1L));
        }
      }
    });
  }
}
