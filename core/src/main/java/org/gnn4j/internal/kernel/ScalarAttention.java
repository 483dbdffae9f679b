package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * Reference fused-attention kernels in plain Java: the correctness reference and fallback.
 * Edges are the outer loop and heads the inner one, so each source row k[j], v[j] (H * C
 * contiguous floats) is streamed once per edge.
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
  public void backwardDst(float[] dq, float[] dEdgeKv, float[] p, float[] ds,
                          float[] dOut, float[] out, float[] lse,
                          float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                          int[] rowPtr, int[] col, int[] edge,
                          float scale, int numDst, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      float[] dDot = new float[heads];                     // dDot: [H] D = dOut[i,h] . out[i,h]
      for (int i = i0; i < i1; i++) {
        int qRow = i * hc;
        if (dq != null) Arrays.fill(dq, qRow, qRow + hc, 0f);
        for (int h = 0; h < heads; h++) {
          int o = qRow + h * channels;
          float d = 0f;
          for (int c = 0; c < channels; c++) d += dOut[o + c] * out[o + c];
          dDot[h] = d;
        }
        for (int e = rowPtr[i], e1 = rowPtr[i + 1]; e < e1; e++) {
          int kRow = col[e] * hc;
          int id = edge[e];
          int eRow = id * hc;
          for (int h = 0; h < heads; h++) {
            int o = h * channels;
            float dot = 0f;
            float dv = 0f;
            for (int c = 0; c < channels; c++) {
              float ekv = edgeKv == null ? 0f : edgeKv[eRow + o + c];
              dot += q[qRow + o + c] * (k[kRow + o + c] + ekv);
              dv += dOut[qRow + o + c] * (v[kRow + o + c] + ekv);
            }
            int eh = id * heads + h;
            float s = scale * dot + (bias == null ? 0f : bias[eh]);
            float pe = (float) Math.exp(s - lse[i * heads + h]);
            float dse = pe * (dv - dDot[h]);
            p[eh] = pe;
            ds[eh] = dse;
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
  public void backwardSrc(float[] dk, float[] dv, float[] p, float[] ds, float[] dOut, float[] q,
                          int[] rowPtr, int[] col, int[] edge,
                          float scale, int numSrc, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      for (int j = j0; j < j1; j++) {
        int kRow = j * hc;
        if (dk != null) Arrays.fill(dk, kRow, kRow + hc, 0f);
        if (dv != null) Arrays.fill(dv, kRow, kRow + hc, 0f);
        for (int e = rowPtr[j], e1 = rowPtr[j + 1]; e < e1; e++) {
          int qRow = col[e] * hc;
          int eh0 = edge[e] * heads;
          for (int h = 0; h < heads; h++) {
            int o = h * channels;
            if (dk != null) {
              float g = scale * ds[eh0 + h];
              for (int c = 0; c < channels; c++) dk[kRow + o + c] += g * q[qRow + o + c];
            }
            if (dv != null) {
              float w = p[eh0 + h];
              for (int c = 0; c < channels; c++) dv[kRow + o + c] += w * dOut[qRow + o + c];
            }
          }
        }
      }
    });
  }
}
