package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * Reference fused-attention kernels in plain Java: the correctness reference and fallback.
 * Edges are the outer loop and heads the inner one, so each source row k[j], v[j] (H * C
 * contiguous floats) is streamed once per edge. The backward recomputes each edge's weight in
 * both passes rather than keeping per-edge arrays.
 */
final class ScalarAttention implements AttentionKernels {
  @Override
  public void forward(float[] out, float[] lse,
                      float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                      int[] rowPtr, int[] col, int[] edge,
                      float scale, int numDst, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      float[] mx = new float[heads];                       // mx: [H] running max score
      float[] sum = new float[heads];                      // sum: [H] sum of exp(s - mx)
      for (int i = i0; i < i1; i++) {
        int qRow = i * hc;
        int e0 = rowPtr[i];
        int e1 = rowPtr[i + 1];
        // out[i] doubles as the running accumulator: the row is owned by this chunk.
        Arrays.fill(out, qRow, qRow + hc, 0f);
        if (e0 == e1) {
          Arrays.fill(lse, i * heads, (i + 1) * heads, Float.NEGATIVE_INFINITY);
          continue;
        }
        Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0f);
        for (int p = e0; p < e1; p++) {
          int kRow = col[p] * hc;
          int id = edge[p];
          int eRow = id * hc;
          for (int h = 0; h < heads; h++) {
            int o = h * channels;
            float dot = 0f;
            if (edgeKv == null) {
              for (int c = 0; c < channels; c++) dot += q[qRow + o + c] * k[kRow + o + c];
            } else {
              for (int c = 0; c < channels; c++) {
                dot += q[qRow + o + c] * (k[kRow + o + c] + edgeKv[eRow + o + c]);
              }
            }
            float s = scale * dot + (bias == null ? 0f : bias[id * heads + h]);
            float w;
            if (s > mx[h]) {
              // New maximum: rescale what was accumulated under the old one.
              float f = (float) Math.exp(mx[h] - s);
              sum[h] *= f;
              for (int c = 0; c < channels; c++) out[qRow + o + c] *= f;
              mx[h] = s;
              w = 1f;
            } else {
              w = (float) Math.exp(s - mx[h]);
            }
            sum[h] += w;
            if (edgeKv == null) {
              for (int c = 0; c < channels; c++) out[qRow + o + c] += w * v[kRow + o + c];
            } else {
              for (int c = 0; c < channels; c++) {
                out[qRow + o + c] += w * (v[kRow + o + c] + edgeKv[eRow + o + c]);
              }
            }
          }
        }
        for (int h = 0; h < heads; h++) {
          float inv = 1f / sum[h];
          int o = qRow + h * channels;
          for (int c = 0; c < channels; c++) out[o + c] *= inv;
          lse[i * heads + h] = mx[h] + (float) Math.log(sum[h]);
        }
      }
    });
  }

  @Override
  public void backwardDst(float[] dq, float[] dEdgeKv, float[] dBias, float[] dDot,
                          float[] dOut, float[] out, float[] lse,
                          float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                          int[] rowPtr, int[] col, int[] edge,
                          float scale, int numDst, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    boolean edgeGrads = dq != null || dEdgeKv != null || dBias != null;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int qRow = i * hc;
        if (dq != null) Arrays.fill(dq, qRow, qRow + hc, 0f);
        for (int h = 0; h < heads; h++) {
          int o = qRow + h * channels;
          float d = 0f;
          for (int c = 0; c < channels; c++) d += dOut[o + c] * out[o + c];
          dDot[i * heads + h] = d;
        }
        if (!edgeGrads) continue;
        for (int e = rowPtr[i], e1 = rowPtr[i + 1]; e < e1; e++) {
          int kRow = col[e] * hc;
          int id = edge[e];
          int eRow = id * hc;
          for (int h = 0; h < heads; h++) {
            int o = h * channels;
            int ih = i * heads + h;
            float pe = weight(q, qRow + o, k, kRow + o, edgeKv, eRow + o, bias, id * heads + h,
                scale, lse[ih], channels);
            float dse = pe * (dotSum(dOut, qRow + o, v, kRow + o, edgeKv, eRow + o, channels)
                - dDot[ih]);
            if (dBias != null) dBias[id * heads + h] = dse;
            float g = scale * dse;
            if (dq != null) {
              for (int c = 0; c < channels; c++) {
                float ekv = edgeKv == null ? 0f : edgeKv[eRow + o + c];
                dq[qRow + o + c] += g * (k[kRow + o + c] + ekv);
              }
            }
            if (dEdgeKv != null) {
              for (int c = 0; c < channels; c++) {
                dEdgeKv[eRow + o + c] = g * q[qRow + o + c] + pe * dOut[qRow + o + c];
              }
            }
          }
        }
      }
    });
  }

  @Override
  public void backwardSrc(float[] dk, float[] dv, float[] dOut, float[] dDot, float[] lse,
                          float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                          int[] rowPtr, int[] col, int[] edge,
                          float scale, int numSrc, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      for (int j = j0; j < j1; j++) {
        int kRow = j * hc;
        if (dk != null) Arrays.fill(dk, kRow, kRow + hc, 0f);
        if (dv != null) Arrays.fill(dv, kRow, kRow + hc, 0f);
        for (int e = rowPtr[j], e1 = rowPtr[j + 1]; e < e1; e++) {
          int i = col[e];
          int qRow = i * hc;
          int id = edge[e];
          int eRow = id * hc;
          for (int h = 0; h < heads; h++) {
            int o = h * channels;
            int ih = i * heads + h;
            // Same p and ds as the destination pass computed, recomputed from the source side.
            float pe = weight(q, qRow + o, k, kRow + o, edgeKv, eRow + o, bias, id * heads + h,
                scale, lse[ih], channels);
            if (dk != null) {
              float dse = pe * (dotSum(dOut, qRow + o, v, kRow + o, edgeKv, eRow + o, channels)
                  - dDot[ih]);
              float g = scale * dse;
              for (int c = 0; c < channels; c++) dk[kRow + o + c] += g * q[qRow + o + c];
            }
            if (dv != null) {
              for (int c = 0; c < channels; c++) dv[kRow + o + c] += pe * dOut[qRow + o + c];
            }
          }
        }
      }
    });
  }

  /** Softmax weight exp(s - lse) of one edge and head, s = scale * q . (k + ekv) + bias. */
  private static float weight(float[] q, int qo, float[] k, int ko, float[] edgeKv, int eo,
                              float[] bias, int biasAt, float scale, float lse, int channels) {
    float s = scale * dotSum(q, qo, k, ko, edgeKv, eo, channels)
        + (bias == null ? 0f : bias[biasAt]);
    return (float) Math.exp(s - lse);
  }

  /** a . (b + e) over n elements; e may be null. */
  private static float dotSum(float[] a, int ao, float[] b, int bo, float[] e, int eo, int n) {
    float d = 0f;
    if (e == null) {
      for (int c = 0; c < n; c++) d += a[ao + c] * b[bo + c];
    } else {
      for (int c = 0; c < n; c++) d += a[ao + c] * (b[bo + c] + e[eo + c]);
    }
    return d;
  }
}
