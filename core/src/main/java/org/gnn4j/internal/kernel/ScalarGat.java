package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * Reference GAT/GATv2 kernels in plain Java (see {@link GatKernels}). Forward: the scores of one
 * destination's in-edges go to a scratch [deg, H] array, then the max per head, the weights and
 * the weighted sum; a score is computed once, with no running-max rescaling. Backward recomputes
 * scores and weights from lse in both passes.
 */
final class ScalarGat implements GatKernels {
  static final ScalarGat INSTANCE = new ScalarGat();

  private ScalarGat() {}

  static float leaky(float z, float slope) {
    return z > 0 ? z : slope * z;
  }

  @Override
  public void gatForward(float[] out, float[] lse, float[] h, float[] ss, float[] sd,
                         int[] rowPtr, int[] col, float slope, int numDst, int heads,
                         int channels, Parallel par) {
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      float[] scores = new float[16 * heads];               // scores: [deg, H], grown on demand
      float[] mx = new float[heads];                        // mx: [H]
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        if (deg * heads > scores.length) scores = new float[deg * heads * 2];
        for (int p = 0; p < deg; p++) {
          int j = col[e0 + p];
          for (int a = 0; a < heads; a++) {
            scores[p * heads + a] = leaky(ss[j * heads + a] + sd[i * heads + a], slope);
          }
        }
        normaliseAndAggregate(out, lse, i, scores, mx, deg, h, col, e0, heads, channels);
      }
    });
  }

  /**
   * From the scores [deg, H] of row i's in-edges: weights exp(s - max), out[i] = weighted sum of
   * x[col] rows divided by the weight sum, lse[i] = max + log(sum).
   */
  static void normaliseAndAggregate(float[] out, float[] lse, int i, float[] scores, float[] mx,
                                    int deg, float[] x, int[] col, int e0, int heads,
                                    int channels) {
    int hc = heads * channels;
    int oRow = i * hc;
    Arrays.fill(out, oRow, oRow + hc, 0f);
    if (deg == 0) {
      Arrays.fill(lse, i * heads, (i + 1) * heads, Float.NEGATIVE_INFINITY);
      return;
    }
    Arrays.fill(mx, Float.NEGATIVE_INFINITY);
    for (int p = 0; p < deg; p++) {
      for (int a = 0; a < heads; a++) mx[a] = Math.max(mx[a], scores[p * heads + a]);
    }
    for (int p = 0; p < deg; p++) {
      for (int a = 0; a < heads; a++) {
        scores[p * heads + a] = (float) Math.exp(scores[p * heads + a] - mx[a]);
      }
    }
    for (int a = 0; a < heads; a++) {
      float sum = 0f;
      for (int p = 0; p < deg; p++) sum += scores[p * heads + a];
      lse[i * heads + a] = mx[a] + (float) Math.log(sum);
      mx[a] = 1f / sum;                                     // mx now holds 1 / sum per head
    }
    for (int p = 0; p < deg; p++) {
      int xRow = col[e0 + p] * hc;
      for (int a = 0; a < heads; a++) {
        float w = scores[p * heads + a];
        int o = a * channels;
        for (int c = 0; c < channels; c++) out[oRow + o + c] += w * x[xRow + o + c];
      }
    }
    for (int a = 0; a < heads; a++) {
      float inv = mx[a];
      for (int c = a * channels; c < (a + 1) * channels; c++) out[oRow + c] *= inv;
    }
  }

  /** dDot[i,h] = dOut[i,h] . out[i,h] for rows [i0, i1). */
  static void rowDots(float[] dDot, float[] dOut, float[] out, int i0, int i1, int heads,
                      int channels) {
    for (int i = i0; i < i1; i++) {
      for (int a = 0; a < heads; a++) {
        int o = (i * heads + a) * channels;
        float d = 0f;
        for (int c = 0; c < channels; c++) d += dOut[o + c] * out[o + c];
        dDot[i * heads + a] = d;
      }
    }
  }

  private static float dot(float[] x, int xo, float[] y, int yo, int n) {
    float d = 0f;
    for (int c = 0; c < n; c++) d += x[xo + c] * y[yo + c];
    return d;
  }

  @Override
  public void headScores(float[] score, float[] x, float[] att, int rows, int heads,
                         int channels, Parallel par) {
    par.forRange(rows, 256, (chunk, r0, r1) -> {
      double[] s = new double[heads];                       // s: [H], one row's running sums
      for (int r = r0; r < r1; r++) {
        // heads innermost: H independent sums in flight instead of one chain of C dependent
        // adds; each head still adds its channels in order, so the bits are the same
        Arrays.fill(s, 0);
        int xr = r * heads * channels;
        for (int c = 0; c < channels; c++) {
          for (int a = 0; a < heads; a++) s[a] += x[xr + a * channels + c] * att[a * channels + c];
        }
        for (int a = 0; a < heads; a++) score[r * heads + a] = (float) s[a];
      }
    });
  }

  @Override
  public void headScoresBackward(float[] dx, float[] dAtt, float[] g, float[] x, float[] att,
                                 int rows, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    int chunks = (int) Math.min(par.threads(), Math.max(1, rows / 256L));
    double[] acc = dAtt == null ? null : new double[chunks * hc];   // acc: [chunk, H, C]
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) rows * c / chunks);
    par.forBounds(bounds, (chunk, r0, r1) -> {
      // one row's g spread over its H x C entries, so the loops below run flat over HC values,
      // which C2 vectorizes (per element the same products and the same order of additions)
      float[] gRow = new float[hc];                        // gRow: [H, C]
      for (int r = r0; r < r1; r++) {
        for (int a = 0; a < heads; a++) {
          Arrays.fill(gRow, a * channels, (a + 1) * channels, g[r * heads + a]);
        }
        int xo = r * hc;
        if (dx != null) for (int j = 0; j < hc; j++) dx[xo + j] = gRow[j] * att[j];
        if (acc != null) {
          int o = chunk * hc;
          for (int j = 0; j < hc; j++) acc[o + j] += gRow[j] * x[xo + j];
        }
      }
    });
    if (dAtt != null) {
      for (int i = 0; i < hc; i++) {
        double v = 0;
        for (int c = 0; c < chunks; c++) v += acc[c * hc + i];
        dAtt[i] = (float) v;
      }
    }
  }

  @Override
  public void headDots(float[] dDot, float[] dOut, float[] out, int rows, int heads,
                       int channels, Parallel par) {
    par.forRange(rows, 256, (chunk, r0, r1) -> rowDots(dDot, dOut, out, r0, r1, heads, channels));
  }

  @Override
  public void gatBackward(float[] dh, float[] dss, float[] dsEdge, float[] dOut, float[] dDot,
                          float[] lse, float[] h, float[] ss, float[] sd, int[] rowPtr,
                          int[] col, int[] edge, float slope, int numSrc, int heads,
                          int channels, Parallel par) {
    int hc = heads * channels;
    boolean wantDs = dss != null || dsEdge != null;
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      for (int j = j0; j < j1; j++) {
        if (dh != null) Arrays.fill(dh, j * hc, (j + 1) * hc, 0f);
        for (int a = 0; a < heads; a++) {
          int ja = j * heads + a;
          int o = a * channels;
          float acc = 0f;
          for (int e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
            int i = col[e];
            int ia = i * heads + a;
            float raw = ss[ja] + sd[ia];
            float p = (float) Math.exp(leaky(raw, slope) - lse[ia]);
            if (dh != null) {
              for (int c = 0; c < channels; c++) dh[j * hc + o + c] += p * dOut[i * hc + o + c];
            }
            if (wantDs) {
              float dal = dot(dOut, i * hc + o, h, j * hc + o, channels);
              float ds = p * (dal - dDot[ia]) * (raw > 0 ? 1f : slope);
              acc += ds;
              if (dsEdge != null) dsEdge[edge[e] * heads + a] = ds;
            }
          }
          if (dss != null) dss[ja] = acc;
        }
      }
    });
  }

  @Override
  public void v2Forward(float[] out, float[] lse, float[] xl, float[] xr, float[] att,
                        int[] rowPtr, int[] col, float slope, int numDst, int heads,
                        int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      float[] scores = new float[16 * heads];               // scores: [deg, H], grown on demand
      float[] mx = new float[heads];                        // mx: [H]
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        if (deg * heads > scores.length) scores = new float[deg * heads * 2];
        for (int p = 0; p < deg; p++) {
          v2Scores(scores, p * heads, xl, col[e0 + p] * hc, xr, i * hc, att, slope, heads,
              channels);
        }
        normaliseAndAggregate(out, lse, i, scores, mx, deg, xl, col, e0, heads, channels);
      }
    });
  }

  /** s[so + h] = sum_c att[h,c] leaky(xl[lo + h*C + c] + xr[ro + h*C + c]). */
  private static void v2Scores(float[] s, int so, float[] xl, int lo, float[] xr, int ro,
                               float[] att, float slope, int heads, int channels) {
    for (int a = 0; a < heads; a++) {
      int o = a * channels;
      float acc = 0f;
      for (int c = 0; c < channels; c++) {
        acc += att[o + c] * leaky(xl[lo + o + c] + xr[ro + o + c], slope);
      }
      s[so + a] = acc;
    }
  }

  @Override
  public void v2BackwardDst(float[] dxr, float[] dAtt, float[] dDot, float[] dOut, float[] lse,
                            float[] xl, float[] xr, float[] att, int[] rowPtr, int[] col,
                            float slope, int numDst, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    int[] bounds = Parallel.balancedBounds(rowPtr, numDst, par.threads());
    float[][] attParts = new float[bounds.length - 1][];   // per chunk: [H, C]
    par.forBounds(bounds, (chunk, i0, i1) -> {
      if (dxr == null && dAtt == null) return;
      float[] part = dAtt == null ? null : new float[hc];
      float[] s = new float[heads];                         // s, ds: [H] of one edge
      for (int i = i0; i < i1; i++) {
        int ro = i * hc;
        if (dxr != null) Arrays.fill(dxr, ro, ro + hc, 0f);
        for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
          int lo = col[e] * hc;
          v2EdgeDs(s, null, xl, lo, xr, ro, att, dOut, ro, dDot, lse, i * heads, slope, heads, channels);
          for (int a = 0; a < heads; a++) {
            float ds = s[a];
            for (int c = a * channels; c < (a + 1) * channels; c++) {
              float z = xl[lo + c] + xr[ro + c];
              if (dxr != null) dxr[ro + c] += ds * att[c] * (z > 0 ? 1f : slope);
              if (part != null) part[c] += ds * leaky(z, slope);
            }
          }
        }
      }
      attParts[chunk] = part;
    });
    if (dAtt != null) sumParts(dAtt, attParts);
  }

  /** dAtt = the chunks' partial sums added in chunk order (a fixed order for a thread count). */
  static void sumParts(float[] dAtt, float[][] parts) {
    Arrays.fill(dAtt, 0f);
    for (float[] part : parts) {
      if (part == null) continue;
      for (int c = 0; c < dAtt.length; c++) dAtt[c] += part[c];
    }
  }

  /**
   * ds[h] = p[h] (dOut[i,h] . xl[j,h] - dDot[i,h]) of one edge, p[h] = exp(s - lse[i,h]) with s
   * recomputed; p may be null when only ds is wanted.
   */
  private static void v2EdgeDs(float[] ds, float[] pOut, float[] xl, int lo, float[] xr, int ro, float[] att,
                               float[] dOut, int go, float[] dDot, float[] lse, int ih,
                               float slope, int heads, int channels) {
    v2Scores(ds, 0, xl, lo, xr, ro, att, slope, heads, channels);
    for (int a = 0; a < heads; a++) {
      float p = (float) Math.exp(ds[a] - lse[ih + a]);
      if (pOut != null) pOut[a] = p;
      float dal = dot(dOut, go + a * channels, xl, lo + a * channels, channels);
      ds[a] = p * (dal - dDot[ih + a]);
    }
  }

  @Override
  public void v2BackwardSrc(float[] dxl, float[] dOut, float[] dDot, float[] lse, float[] xl,
                            float[] xr, float[] att, int[] rowPtr, int[] col, float slope,
                            int numSrc, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      float[] ds = new float[heads];                        // ds, p: [H] of one edge
      float[] p = new float[heads];
      for (int j = j0; j < j1; j++) {
        int lo = j * hc;
        Arrays.fill(dxl, lo, lo + hc, 0f);
        for (int e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
          int i = col[e];
          int ro = i * hc;
          v2EdgeDs(ds, p, xl, lo, xr, ro, att, dOut, ro, dDot, lse, i * heads, slope, heads,
              channels);
          for (int a = 0; a < heads; a++) {
            int o = a * channels;
            for (int c = o; c < o + channels; c++) {
              float z = xl[lo + c] + xr[ro + c];
              dxl[lo + c] += p[a] * dOut[ro + c] + ds[a] * att[c] * (z > 0 ? 1f : slope);
            }
          }
        }
      }
    });
  }
}
