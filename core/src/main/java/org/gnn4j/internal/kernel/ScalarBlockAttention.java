package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * Exact multi-head attention among all nodes of each graph, in blocks, never holding an
 * N x N matrix (FlashAttention's scheme, Dao et al. arXiv:2205.14135): per query block, key
 * blocks stream through an online softmax; the forward keeps only the log-sum-exp per query and
 * head; the backward recomputes scores block by block, once by query blocks (dq) and once by key
 * blocks (dk, dv), so every thread writes only rows it owns and results are deterministic.
 * Layout: q, k, v, out are [N, H, C] (row i, head h at (i * H + h) * C); graphs are the
 * contiguous node ranges graphPtr[g] .. graphPtr[g + 1]. The inner steps (axpy over a key
 * block for the scores, axpy over C for the values, the exponentials) go to {@link MathKernels}.
 * This is the readable reference and the scalar fallback ({@link BlockAttentionKernels#reference});
 * the Vector API set uses register-blocked micro-kernels instead (vector.VectorBlockAttention,
 * about 10x faster at N = 10k, H = 4, C = 16), tested against this one.
 */
final class ScalarBlockAttention implements BlockAttentionKernels {
  /** Query rows per parallel work item. */
  static final int BQ = 64;
  /** Key rows streamed at once. */
  static final int BK = 256;

  private final MathKernels math;

  ScalarBlockAttention(MathKernels math) {
    this.math = math;
  }

  /** Start rows of the work blocks: every graph's range cut into pieces of at most {@code b}. */
  static int[] blocks(int[] graphPtr, int b) {
    int count = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) count += (graphPtr[g + 1] - graphPtr[g] + b - 1) / b;
    int[] starts = new int[2 * count];                     // (row start, graph) pairs
    int p = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      for (int r = graphPtr[g]; r < graphPtr[g + 1]; r += b) {
        starts[p++] = r;
        starts[p++] = g;
      }
    }
    return starts;
  }

  @Override
  public void forward(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] graphPtr,
      int heads, int c, float scale, Parallel par) {
    int[] blocks = blocks(graphPtr, BQ);
    int hc = heads * c;
    par.forRange(blocks.length / 2, 1, (chunk, b0, b1) -> {
      float[] kT = new float[c * BK];                      // kT: [C, BK] keys of one block
      float[] s = new float[BK];                           // s: [BK] scores of one query row
      float[] acc = new float[BQ * c];                     // acc: [BQ, C] running outputs
      float[] m = new float[BQ];                           // m: [BQ] running max score
      double[] l = new double[BQ];                         // l: [BQ] running sum of exp
      for (int b = b0; b < b1; b++) {
        int r0 = blocks[2 * b];
        int g = blocks[2 * b + 1];
        int r1 = Math.min(r0 + BQ, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          Arrays.fill(acc, 0f);
          Arrays.fill(m, Float.NEGATIVE_INFINITY);
          Arrays.fill(l, 0);
          for (int j0 = graphPtr[g]; j0 < graphPtr[g + 1]; j0 += BK) {
            int nk = Math.min(BK, graphPtr[g + 1] - j0);
            transposeRows(kT, k, j0, nk, h, hc, c);
            for (int i = r0; i < r1; i++) {
              int a = (i - r0) * c;
              scores(math, s, q, i * hc + h * c, kT, nk, c, scale);
              float mNew = Math.max(m[i - r0], math.max(s, 0, nk));
              // rescale what was accumulated under the old maximum (nothing on the first block)
              float corr = m[i - r0] == Float.NEGATIVE_INFINITY ? 0f
                  : (float) Math.exp(m[i - r0] - mNew);
              l[i - r0] = l[i - r0] * corr + math.expSum(s, s, 0, nk, mNew, true);
              for (int d = 0; d < c; d++) acc[a + d] *= corr;
              for (int jj = 0; jj < nk; jj++) math.axpy(acc, a, s[jj], v, (j0 + jj) * hc + h * c, c);
              m[i - r0] = mNew;
            }
          }
          for (int i = r0; i < r1; i++) {
            float inv = (float) (1 / l[i - r0]);
            int qi = i * hc + h * c;
            for (int d = 0; d < c; d++) out[qi + d] = acc[(i - r0) * c + d] * inv;
            lse[i * heads + h] = (float) (m[i - r0] + Math.log(l[i - r0]));
          }
        }
      }
    });
  }

  @Override
  public void backwardQuery(float[] dq, float[] dOut, float[] dd, float[] lse, float[] q,
      float[] k, float[] v, int[] graphPtr, int heads, int c, float scale, Parallel par) {
    int[] blocks = blocks(graphPtr, BQ);
    int hc = heads * c;
    par.forRange(blocks.length / 2, 1, (chunk, b0, b1) -> {
      float[] kT = new float[c * BK];
      float[] vT = new float[c * BK];
      float[] p = new float[BK];
      float[] dp = new float[BK];
      for (int b = b0; b < b1; b++) {
        int r0 = blocks[2 * b];
        int g = blocks[2 * b + 1];
        int r1 = Math.min(r0 + BQ, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          for (int i = r0; i < r1; i++) Arrays.fill(dq, i * hc + h * c, i * hc + h * c + c, 0f);
          for (int j0 = graphPtr[g]; j0 < graphPtr[g + 1]; j0 += BK) {
            int nk = Math.min(BK, graphPtr[g + 1] - j0);
            transposeRows(kT, k, j0, nk, h, hc, c);
            transposeRows(vT, v, j0, nk, h, hc, c);
            for (int i = r0; i < r1; i++) {
              int qi = i * hc + h * c;
              float dI = dd[i * heads + h];
              scores(math, p, q, qi, kT, nk, c, scale);
              math.expSum(p, p, 0, nk, lse[i * heads + h], true);     // p = exp(s - lse)
              scores(math, dp, dOut, qi, vT, nk, c, 1f);                    // dp = dOut_i . v_j
              for (int jj = 0; jj < nk; jj++) {
                math.axpy(dq, qi, p[jj] * (dp[jj] - dI) * scale, k, (j0 + jj) * hc + h * c, c);
              }
            }
          }
        }
      }
    });
  }

  @Override
  public void backwardKey(float[] dk, float[] dv, float[] dOut, float[] dd, float[] lse,
      float[] q, float[] k, float[] v, int[] graphPtr, int heads, int c, float scale,
      Parallel par) {
    int[] blocks = blocks(graphPtr, BQ);
    int hc = heads * c;
    par.forRange(blocks.length / 2, 1, (chunk, b0, b1) -> {
      float[] qT = new float[c * BK];                      // qT: [C, BK] queries of one block
      float[] oT = new float[c * BK];                      // oT: [C, BK] dOut of those queries
      float[] p = new float[BK];
      float[] dp = new float[BK];
      for (int b = b0; b < b1; b++) {
        int r0 = blocks[2 * b];
        int g = blocks[2 * b + 1];
        int r1 = Math.min(r0 + BQ, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          for (int j = r0; j < r1; j++) {
            Arrays.fill(dk, j * hc + h * c, j * hc + h * c + c, 0f);
            Arrays.fill(dv, j * hc + h * c, j * hc + h * c + c, 0f);
          }
          for (int i0 = graphPtr[g]; i0 < graphPtr[g + 1]; i0 += BK) {
            int nq = Math.min(BK, graphPtr[g + 1] - i0);
            transposeRows(qT, q, i0, nq, h, hc, c);
            transposeRows(oT, dOut, i0, nq, h, hc, c);
            for (int j = r0; j < r1; j++) {
              int kj = j * hc + h * c;
              scores(math, p, k, kj, qT, nq, c, scale);                     // s_ij for this key
              for (int i = 0; i < nq; i++) p[i] -= lse[(i0 + i) * heads + h];
              math.expSum(p, p, 0, nq, 0f, true);                     // p = exp(s - lse_i)
              scores(math, dp, v, kj, oT, nq, c, 1f);                       // dp = dOut_i . v_j
              for (int i = 0; i < nq; i++) {
                int qi = (i0 + i) * hc + h * c;
                math.axpy(dv, kj, p[i], dOut, qi, c);
                math.axpy(dk, kj, p[i] * (dp[i] - dd[(i0 + i) * heads + h]) * scale, q, qi, c);
              }
            }
          }
        }
      }
    });
  }

  /** dst[d * BK + j] = src[(r0 + j) * hc + h * c + d]: one head of n rows, transposed. */
  private static void transposeRows(float[] dst, float[] src, int r0, int n, int h, int hc, int c) {
    for (int j = 0; j < n; j++) {
      int off = (r0 + j) * hc + h * c;
      for (int d = 0; d < c; d++) dst[d * BK + j] = src[off + d];
    }
  }

  /** s[j] = scale * sum_d x[xOff + d] * t[d * BK + j] for j < n: c axpys over the block. */
  private static void scores(MathKernels math, float[] s, float[] x, int xOff, float[] t, int n,
                             int c, float scale) {
    Arrays.fill(s, 0, n, 0f);
    for (int d = 0; d < c; d++) math.axpy(s, 0, x[xOff + d] * scale, t, d * BK, n);
  }
}
