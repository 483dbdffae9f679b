package org.gnn4j.internal.kernel;

/**
 * {@link GineKernels} in plain Java: the reference, and the implementation every kernel set uses
 * until one has its own. Parallel over target nodes (forward) and edges (backward), each row
 * written by one thread in a fixed order, so results are the same bits for a thread count.
 */
final class ScalarGine implements GineKernels {
  static final ScalarGine INSTANCE = new ScalarGine();

  private ScalarGine() {}

  @Override
  public void forward(float[] out, float[] x, float[] e, int[] rowPtr, int[] edge, int[] src,
      int n, int f, Parallel par) {
    par.forRange(n, 64, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        int o = i * f;
        for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          int k = edge[p];
          int xs = src[k] * f;
          int es = k * f;
          for (int j = 0; j < f; j++) {
            float v = x[xs + j] + e[es + j];
            out[o + j] += v > 0 ? v : 0f;
          }
        }
      }
    });
  }

  @Override
  public void edgeGrad(float[] de, float[] dOut, float[] x, float[] e, int[] src, int[] dst,
      int edges, int f, Parallel par) {
    par.forRange(edges, 1024, (c, from, to) -> {
      for (int k = from; k < to; k++) {
        int xs = src[k] * f;
        int gs = dst[k] * f;
        int es = k * f;
        for (int j = 0; j < f; j++) {
          de[es + j] = x[xs + j] + e[es + j] > 0 ? dOut[gs + j] : 0f;
        }
      }
    });
  }

  // ---- GINE with the edge projection fused: e_k = W a_k + b computed per edge, never stored ----

  @Override
  public void forwardProjected(float[] out, float[] x, float[] attr, float[] wT, float[] b,
      int[] rowPtr, int[] edge, int[] src, int n, int f, int d, Parallel par) {
    par.forBounds(Parallel.balancedBounds(rowPtr, n, par.threads()), (c, from, to) -> {
      float[] e = new float[f];
      for (int i = from; i < to; i++) {
        int o = i * f;
        for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          int k = edge[p];
          project(e, attr, k * d, wT, b, d, f);
          int xs = src[k] * f;
          for (int j = 0; j < f; j++) {
            float v = x[xs + j] + e[j];
            out[o + j] += v > 0 ? v : 0f;
          }
        }
      }
    });
  }

  @Override
  public void backwardProjected(float[] dx, float[] dAttr, float[] dWT, float[] db, float[] dOut,
      float[] x, float[] attr, float[] wT, float[] b, int[] rowPtrBySrc, int[] edgeBySrc,
      int[] dst, int n, int f, int d, Parallel par) {
    int[] bounds = Parallel.balancedBounds(rowPtrBySrc, n, par.threads());
    int chunks = bounds.length - 1;
    boolean params = dWT != null || db != null;
    double[] accW = params ? new double[chunks * d * f] : null;   // per chunk: [d, f]
    double[] accB = params ? new double[chunks * f] : null;       // per chunk: [f]
    par.forBounds(bounds, (c, from, to) -> {
      float[] e = new float[f];
      float[] g = new float[f];
      float[] blockW = params ? new float[d * f] : null;  // float partials, flushed to double
      float[] blockB = params ? new float[f] : null;
      int inBlock = 0;
      for (int i = from; i < to; i++) {
        int xs = i * f;
        for (int p = rowPtrBySrc[i]; p < rowPtrBySrc[i + 1]; p++) {
          int k = edgeBySrc[p];
          project(e, attr, k * d, wT, b, d, f);
          int gs = dst[k] * f;
          for (int j = 0; j < f; j++) g[j] = x[xs + j] + e[j] > 0 ? dOut[gs + j] : 0f;
          if (dx != null) {
            for (int j = 0; j < f; j++) dx[xs + j] += g[j];
          }
          if (dAttr != null) {
            for (int t = 0; t < d; t++) {
              float sum = 0f;
              for (int j = 0; j < f; j++) sum += wT[t * f + j] * g[j];
              dAttr[k * d + t] = sum;
            }
          }
          if (params) {
            for (int t = 0; t < d; t++) {
              float a = attr[k * d + t];
              for (int j = 0; j < f; j++) blockW[t * f + j] += a * g[j];
            }
            for (int j = 0; j < f; j++) blockB[j] += g[j];
            if (++inBlock == FLUSH_EDGES) {
              flush(accW, c * d * f, blockW);
              flush(accB, c * f, blockB);
              inBlock = 0;
            }
          }
        }
      }
      if (params) {
        flush(accW, c * d * f, blockW);
        flush(accB, c * f, blockB);
      }
    });
    if (dWT != null) sumChunks(dWT, accW, chunks);
    if (db != null) sumChunks(db, accB, chunks);
  }

  /** Edges summed in float before a flush into the double partials: bounds the rounding. */
  private static final int FLUSH_EDGES = 256;

  private static void project(float[] e, float[] attr, int aOff, float[] wT, float[] b, int d,
                              int f) {
    if (b != null) System.arraycopy(b, 0, e, 0, f);
    else java.util.Arrays.fill(e, 0f);
    for (int t = 0; t < d; t++) {
      float a = attr[aOff + t];
      int w = t * f;
      for (int j = 0; j < f; j++) e[j] += a * wT[w + j];
    }
  }

  private static void flush(double[] acc, int off, float[] block) {
    for (int j = 0; j < block.length; j++) {
      acc[off + j] += block[j];
      block[j] = 0f;
    }
  }

  private static void sumChunks(float[] dst, double[] acc, int chunks) {
    int len = dst.length;
    for (int j = 0; j < len; j++) {
      double v = 0;
      for (int c = 0; c < chunks; c++) v += acc[c * len + j];
      dst[j] = (float) v;
    }
  }
}
