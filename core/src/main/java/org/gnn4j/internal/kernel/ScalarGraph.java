package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * Reference graph kernels in plain Java: the correctness reference and the fallback. Each
 * reducing kernel walks CSR rows in order and accumulates one output row at a time, so the
 * summation order is fixed by the CSR (original edge order within a row).
 */
final class ScalarGraph implements GraphKernels {
  @Override
  public void gatherRows(float[] out, float[] x, int[] index, float[] scale, int rows, int f,
                         Parallel par) {
    par.forRange(rows, Math.max(1, 16384 / Math.max(1, f)), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int src = index[r];
        if (scale == null) {
          System.arraycopy(x, src * f, out, r * f, f);
        } else {
          float s = scale[src];
          int xo = src * f;
          int oo = r * f;
          for (int k = 0; k < f; k++) out[oo + k] = x[xo + k] * s;
        }
      }
    });
  }

  @Override
  public void segmentSumCsr(float[] out, int[] rowPtr, int[] edge, float[] src, boolean mean,
                            int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int oo = r * f;
        Arrays.fill(out, oo, oo + f, 0f);
        for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
          int so = edge[p] * f;
          for (int k = 0; k < f; k++) out[oo + k] += src[so + k];
        }
        int deg = rowPtr[r + 1] - rowPtr[r];
        if (mean && deg > 1) {
          float d = deg;                                   // divide, as PyG's scatter mean does
          for (int k = 0; k < f; k++) out[oo + k] /= d;
        }
      }
    });
  }

  @Override
  public void segmentMaxCsr(float[] out, int[] argmax, int[] rowPtr, int[] edge, float[] src,
                            int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int oo = r * f;
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        if (p0 == p1) {
          Arrays.fill(out, oo, oo + f, 0f);
          Arrays.fill(argmax, oo, oo + f, -1);
          continue;
        }
        int e0 = edge[p0];
        System.arraycopy(src, e0 * f, out, oo, f);
        Arrays.fill(argmax, oo, oo + f, e0);
        for (int p = p0 + 1; p < p1; p++) {
          int e = edge[p];
          int so = e * f;
          for (int k = 0; k < f; k++) {
            float v = src[so + k];
            // strict '>' keeps the first maximum on ties, so the gradient route is deterministic
            if (v > out[oo + k]) {
              out[oo + k] = v;
              argmax[oo + k] = e;
            }
          }
        }
      }
    });
  }

  @Override
  public void segmentMaxBackward(float[] dsrc, float[] dout, int[] argmax, int rows, int f,
                                 Parallel par) {
    par.forRange(rows, Math.max(1, 16384 / Math.max(1, f)), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        for (int k = 0, i = r * f; k < f; k++, i++) {
          int e = argmax[i];
          if (e >= 0) dsrc[e * f + k] += dout[i];
        }
      }
    });
  }

  @Override
  public void edgeSoftmaxCsr(float[] out, int[] rowPtr, int[] edge, float[] scores, int rows,
                             int heads, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, 8 * heads), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        for (int h = 0; h < heads; h++) {
          float max = Float.NEGATIVE_INFINITY;
          for (int p = p0; p < p1; p++) max = Math.max(max, scores[edge[p] * heads + h]);
          if (max == Float.NEGATIVE_INFINITY) max = 0f;   // all -inf: exps are 0, not NaN
          float sum = 0f;
          for (int p = p0; p < p1; p++) {
            int i = edge[p] * heads + h;
            float ex = (float) Math.exp(scores[i] - max);
            out[i] = ex;
            sum += ex;
          }
          if (sum > 0f) {
            for (int p = p0; p < p1; p++) out[edge[p] * heads + h] /= sum;
          }                                                // else all exps are 0: the row stays 0
        }
      }
    });
  }

  @Override
  public void edgeSoftmaxBackwardCsr(float[] dScores, int[] rowPtr, int[] edge, float[] p,
                                     float[] dp, int rows, int heads, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, 4 * heads), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int q0 = rowPtr[r];
        int q1 = rowPtr[r + 1];
        for (int h = 0; h < heads; h++) {
          float dot = 0f;                                  // sum over the row of p * dp
          for (int q = q0; q < q1; q++) {
            int i = edge[q] * heads + h;
            dot += p[i] * dp[i];
          }
          for (int q = q0; q < q1; q++) {
            int i = edge[q] * heads + h;
            dScores[i] = p[i] * (dp[i] - dot);
          }
        }
      }
    });
  }

  @Override
  public void spmmCsr(float[] out, int[] rowPtr, int[] col, int[] edge, float[] w, int heads,
                      float[] x, int rows, int f, Parallel par) {
    if (f == 0) return;                                    // also covers heads == 0
    int c = f / heads;
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int oo = r * f;
        Arrays.fill(out, oo, oo + f, 0f);
        for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
          int xo = col[p] * f;
          if (w == null) {
            for (int k = 0; k < f; k++) out[oo + k] += x[xo + k];
          } else {
            int wo = edge[p] * heads;
            for (int h = 0; h < heads; h++) {
              float wv = w[wo + h];
              int base = h * c;
              for (int k = base; k < base + c; k++) out[oo + k] += wv * x[xo + k];
            }
          }
        }
      }
    });
  }

  @Override
  public void sddmmCoo(float[] out, int[] src, int[] dst, float[] a, float[] b, int edges,
                       int heads, int c, Parallel par) {
    int f = heads * c;
    par.forRange(edges, Math.max(1, 16384 / Math.max(1, f)), (chunk, e0, e1) -> {
      for (int e = e0; e < e1; e++) {
        int ao = src[e] * f;
        int bo = dst[e] * f;
        for (int h = 0; h < heads; h++) {
          float s = 0f;
          for (int k = h * c; k < (h + 1) * c; k++) s += a[ao + k] * b[bo + k];
          out[e * heads + h] = s;
        }
      }
    });
  }
}
