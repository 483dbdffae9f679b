package org.gnn4j.internal.kernel.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Fused graph attention on the Vector API, vectorized over the C channels of one head: full
 * vectors, then one masked vector for the tail, so C = 16 is one 512-bit operation and C = 8 or
 * C = 3 one masked one. Edges are taken in blocks of {@link #BLOCK}. Each block first copies the
 * rows of its other endpoints (k and v in the forward) into a small L1 scratch: a copy is a few
 * instructions per cache line, so the random-row misses overlap, where the dot products and
 * reductions in between would keep only a couple in flight (this alone made the forward ~1.9x
 * faster on N = 200k, E = 4M). Then come the scores of the block, one online-softmax update per
 * head with a SIMD exp, and the weighted value rows. Ownership matches the scalar reference
 * (each chunk writes only its rows, edges in CSR order), and every reduction has a fixed order,
 * so results are bit-identical across runs, thread counts and JIT tiers; they differ from the
 * scalar kernels only by rounding. The species is a static constant because the Vector API
 * compiles to SIMD only when C2 sees it as one.
 */
final class VectorAttentionKernels implements AttentionKernels {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  // Edges per block: enough rows gathered at once to overlap their cache misses, one rescale per
  // block at most, and the gathered rows (2 x BLOCK x H x C floats) stay in L1.
  private static final int BLOCK = 16;
  // Rotations for the fixed-order horizontal sum (see sum): lane i takes lane (i + r) mod L.

  @Override
  public void forward(float[] out, float[] lse,
                      float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                      int[] rowPtr, int[] col, int[] edge,
                      float scale, int numDst, int heads, int channels, Parallel par) {
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      float[] mx = new float[heads];                       // mx: [H] running max score
      float[] sum = new float[heads];                      // sum: [H] sum of exp(s - mx)
      float[] blk = blockScratch(heads);                   // blk: [BLOCK, H] scores, then weights
      float[] kRows = new float[BLOCK * hc];               // kRows, vRows: [BLOCK, H, C] rows
      float[] vRows = new float[BLOCK * hc];               // of the block's sources
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
        for (int b0 = e0; b0 < e1; b0 += BLOCK) {
          forwardBlock(out, qRow, mx, sum, blk, kRows, vRows, b0, Math.min(e1, b0 + BLOCK), q,
              k, v, edgeKv, bias, col, edge, scale, heads, channels);
        }
        for (int h = 0; h < heads; h++) {
          scaleInPlace(out, qRow + h * channels, 1f / sum[h], channels);
          lse[i * heads + h] = mx[h] + (float) Math.log(sum[h]);
        }
      }
    });
  }

  /**
   * One block [b0, b1) of destination row qRow's in-edges: scores, the online-softmax update of
   * mx and sum (rescaling the accumulated out row when the maximum grows), then the weighted
   * value rows. A method of its own so C2 compiles it early, not just the long chunk loop.
   */
  private static void forwardBlock(float[] out, int qRow, float[] mx, float[] sum, float[] blk,
                                   float[] kRows, float[] vRows, int b0, int b1, float[] q,
                                   float[] k, float[] v,
                                   float[] edgeKv, float[] bias, int[] col, int[] edge,
                                   float scale, int heads, int channels) {
    int hc = heads * channels;
    // 0) copy the block's keys k[j] + edgeKv[e] and values v[j] + edgeKv[e] close together: a
    // few instructions per cache line, so many misses are in flight at once (class comment).
    gatherRows(kRows, k, col, edgeKv, edge, b0, b1, hc);
    gatherRows(vRows, v, col, edgeKv, edge, b0, b1, hc);
    // 1) scores of the block.
    for (int p = b0; p < b1; p++) {
      int kRow = (p - b0) * hc;
      int id = edge[p];
      int sb = (p - b0) * heads;
      for (int h = 0; h < heads; h++) {
        int o = h * channels;
        float dot = dot(q, qRow + o, kRows, kRow + o, channels);
        blk[sb + h] = scale * dot + (bias == null ? 0f : bias[id * heads + h]);
      }
    }
    // 2) online softmax per head over the block: one rescale at most, then weights.
    int nb = (b1 - b0) * heads;
    for (int h = 0; h < heads; h++) {
      float bm = Float.NEGATIVE_INFINITY;
      for (int sb = h; sb < nb; sb += heads) bm = Math.max(bm, blk[sb]);
      if (bm > mx[h]) {
        // New maximum: rescale what was accumulated under the old one.
        if (mx[h] != Float.NEGATIVE_INFINITY) {
          float f = (float) Math.exp(mx[h] - bm);
          sum[h] *= f;
          scaleInPlace(out, qRow + h * channels, f, channels);
        }
        mx[h] = bm;
      }
      for (int sb = h; sb < nb; sb += heads) blk[sb] -= mx[h];
    }
    expInPlace(blk, nb);
    for (int h = 0; h < heads; h++) {
      float acc = sum[h];
      for (int sb = h; sb < nb; sb += heads) acc += blk[sb];
      sum[h] = acc;
    }
    // 3) weighted value rows.
    for (int p = b0; p < b1; p++) {
      int kRow = (p - b0) * hc;
      int sb = (p - b0) * heads;
      for (int h = 0; h < heads; h++) {
        int o = h * channels;
        axpy(out, qRow + o, blk[sb + h], vRows, kRow + o, channels);
      }
    }
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
      float[] pBlk = blockScratch(heads);                  // pBlk: [BLOCK, H] softmax weights
      float[] gBlk = blockScratch(heads);                  // gBlk: [BLOCK, H] ds of the block
      float[] rowsA = new float[BLOCK * hc];               // rowsA, rowsB: [BLOCK, H, C] rows
      float[] rowsB = new float[BLOCK * hc];               // of the block's other endpoints
      for (int i = i0; i < i1; i++) {
        int qRow = i * hc;
        if (dq != null) Arrays.fill(dq, qRow, qRow + hc, 0f);
        for (int h = 0; h < heads; h++) {
          int o = qRow + h * channels;
          dDot[i * heads + h] = dot(dOut, o, out, o, channels);
        }
        if (!edgeGrads) continue;
        for (int b0 = rowPtr[i], e1 = rowPtr[i + 1]; b0 < e1; b0 += BLOCK) {
          int b1 = Math.min(e1, b0 + BLOCK);
          // 1) p and ds of the block from its gathered key and value rows (as in the forward)...
          gatherRows(rowsA, k, col, edgeKv, edge, b0, b1, hc);
          gatherRows(rowsB, v, col, edgeKv, edge, b0, b1, hc);
          weights(pBlk, gBlk, b0, b1, false, i, rowsA, rowsB, null, dOut, dDot, lse, q, k, v,
              bias, col, edge, scale, heads, channels);
          // 2) ...then the gradients that need them, while the block's rows are still in L1.
          dstGradsBlock(dq, dEdgeKv, dBias, pBlk, gBlk, b0, b1, qRow, rowsA, dOut, q, edge,
              scale, heads, channels);
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
      float[] pBlk = blockScratch(heads);                  // pBlk: [BLOCK, H] softmax weights
      float[] gBlk = blockScratch(heads);                  // gBlk: [BLOCK, H] ds of the block
      float[] rowsA = new float[BLOCK * hc];               // rowsA, rowsB: [BLOCK, H, C] rows
      float[] rowsB = new float[BLOCK * hc];               // of the block's other endpoints
      float[] rowsE = edgeKv == null ? null : new float[BLOCK * hc];  // the block's edgeKv rows
      for (int j = j0; j < j1; j++) {
        int kRow = j * hc;
        if (dk != null) Arrays.fill(dk, kRow, kRow + hc, 0f);
        if (dv != null) Arrays.fill(dv, kRow, kRow + hc, 0f);
        for (int b0 = rowPtr[j], e1 = rowPtr[j + 1]; b0 < e1; b0 += BLOCK) {
          int b1 = Math.min(e1, b0 + BLOCK);
          // The destination pass's p and ds, recomputed here: cheaper than E x H arrays.
          gatherRows(rowsA, q, col, null, null, b0, b1, hc);
          gatherRows(rowsB, dOut, col, null, null, b0, b1, hc);
          if (edgeKv != null) gatherRows(rowsE, edgeKv, edge, null, null, b0, b1, hc);
          weights(pBlk, gBlk, b0, b1, true, j, rowsA, rowsB, edgeKv == null ? null : rowsE, dOut,
              dDot, lse, q, k, v, bias, col, edge, scale, heads, channels);
          srcGradsBlock(dk, dv, pBlk, gBlk, b0, b1, kRow, rowsA, rowsB, scale, heads, channels);
        }
      }
    });
  }

  /**
   * dq, d edgeKv and d bias from one block's p and ds (see {@link #weights}); kRows holds the
   * block's gathered keys k[j] + edgeKv[e].
   */
  private static void dstGradsBlock(float[] dq, float[] dEdgeKv, float[] dBias, float[] pBlk,
                                    float[] gBlk, int b0, int b1, int qRow, float[] kRows,
                                    float[] dOut, float[] q, int[] edge, float scale, int heads,
                                    int channels) {
    int hc = heads * channels;
    for (int e = b0; e < b1; e++) {
      int kRow = (e - b0) * hc;
      int id = edge[e];
      int eRow = id * hc;
      int sb = (e - b0) * heads;
      for (int h = 0; h < heads; h++) {
        int o = h * channels;
        float dse = gBlk[sb + h];
        if (dBias != null) dBias[id * heads + h] = dse;
        float g = scale * dse;
        if (dq != null) axpy(dq, qRow + o, g, kRows, kRow + o, channels);
        if (dEdgeKv != null) {
          combine(dEdgeKv, eRow + o, g, q, qRow + o, pBlk[sb + h], dOut, qRow + o, channels);
        }
      }
    }
  }

  /**
   * dk and dv of source row kRow from one block of its out-edges' p and ds; qRows and dOutRows
   * hold the block's gathered destination rows of q and dOut.
   */
  private static void srcGradsBlock(float[] dk, float[] dv, float[] pBlk, float[] gBlk, int b0,
                                    int b1, int kRow, float[] qRows, float[] dOutRows,
                                    float scale, int heads, int channels) {
    int hc = heads * channels;
    for (int e = b0; e < b1; e++) {
      int qRow = (e - b0) * hc;
      int sb = (e - b0) * heads;
      for (int h = 0; h < heads; h++) {
        int o = h * channels;
        if (dk != null) axpy(dk, kRow + o, scale * gBlk[sb + h], qRows, qRow + o, channels);
        if (dv != null) axpy(dv, kRow + o, pBlk[sb + h], dOutRows, qRow + o, channels);
      }
    }
  }

  /**
   * Softmax weights p = exp(s - lse[i]) into pBlk and ds = p (dOut[i] . (v[j] + ekv[e]) - dDot[i])
   * into gBlk (both [BLOCK, H]) for CSR positions [b0, b1). The row's own node is fixed: with
   * {@code bySource} false it is destination {@code node}, and rowsA, rowsB hold the block's
   * gathered keys k[j] + ekv[e] and values v[j] + ekv[e]; with it true, it is source
   * {@code node}, rowsA, rowsB hold the gathered q and dOut rows and eRows (null without edge
   * features) the gathered edgeKv rows. Both passes share this code and add k + ekv in the same
   * order, so they recompute identical values.
   */
  private static void weights(float[] pBlk, float[] gBlk, int b0, int b1, boolean bySource,
                              int node, float[] rowsA, float[] rowsB, float[] eRows,
                              float[] dOut, float[] dDot, float[] lse, float[] q, float[] k,
                              float[] v, float[] bias, int[] col, int[] edge, float scale,
                              int heads, int channels) {
    int hc = heads * channels;
    for (int e = b0; e < b1; e++) {
      int i = bySource ? col[e] : node;
      int gathered = (e - b0) * hc;
      int id = edge[e];
      int sb = (e - b0) * heads;
      for (int h = 0; h < heads; h++) {
        int o = h * channels;
        int ih = i * heads + h;
        float dot;
        float dp;
        if (!bySource) {
          dot = dot(q, node * hc + o, rowsA, gathered + o, channels);
          dp = dot(dOut, node * hc + o, rowsB, gathered + o, channels);
        } else if (eRows == null) {
          dot = dot(rowsA, gathered + o, k, node * hc + o, channels);
          dp = dot(rowsB, gathered + o, v, node * hc + o, channels);
        } else {
          dot = dotSum(rowsA, gathered + o, k, node * hc + o, eRows, gathered + o, channels);
          dp = dotSum(rowsB, gathered + o, v, node * hc + o, eRows, gathered + o, channels);
        }
        pBlk[sb + h] = scale * dot + (bias == null ? 0f : bias[id * heads + h]) - lse[ih];
        gBlk[sb + h] = dp - dDot[ih];
      }
    }
    expInPlace(pBlk, (b1 - b0) * heads);
    for (int sb = 0, nb = (b1 - b0) * heads; sb < nb; sb++) gBlk[sb] *= pBlk[sb];
  }

  // ---- exp: a fixed sequence of exact lane-wise operations, so bits never depend on the JIT --

  /**
   * a[0..n) = e^a[0..n) for the softmax weights, in whole vectors: a.length must be at least n
   * rounded up to the vector length (lanes past n get garbage, which nobody reads). No mask and
   * no vector crosses a call, so C2 keeps everything in registers.
   *
   * <p>e^x is within 3 ulp (2.7 measured over [-87, 0]) and built from add, fma, min/max and
   * integer bit operations only: VectorOperators.EXP differs between the interpreter (Math.exp
   * per lane) and C2 (a SIMD library), which would make results depend on the JIT. x = n ln2 + r
   * with n = round(x / ln2) (rounded by adding 1.5 * 2^23), e^r by a degree-6 Taylor polynomial
   * on |r| <= ln2 / 2, then 2^n added to the exponent bits. Arguments below -87, -infinity
   * included, give about 1.6e-38 instead of a smaller number or 0: no softmax sum (whose largest
   * term is 1) can notice.
   */
  private static void expInPlace(float[] a, int n) {
    for (int i = 0; i < n; i += L) Lanes.exp(FloatVector.fromArray(S, a, i)).intoArray(a, i);
  }


  /**
   * dst[(p - b0) * hc ..] = src row idx[p], plus add row addIdx[p] when add is non-null, for p
   * in [b0, b1): rows of hc floats.
   */
  private static void gatherRows(float[] dst, float[] src, int[] idx, float[] add, int[] addIdx,
                                 int b0, int b1, int hc) {
    int full = S.loopBound(hc);
    for (int p = b0; p < b1; p++) {
      int from = idx[p] * hc;
      int to = (p - b0) * hc;
      if (add == null) {
        for (int c = 0; c < full; c += L) {
          FloatVector.fromArray(S, src, from + c).intoArray(dst, to + c);
        }
        for (int c = full; c < hc; c++) dst[to + c] = src[from + c];
      } else {
        int plus = addIdx[p] * hc;
        for (int c = 0; c < full; c += L) {
          FloatVector.fromArray(S, src, from + c).add(FloatVector.fromArray(S, add, plus + c))
              .intoArray(dst, to + c);
        }
        for (int c = full; c < hc; c++) dst[to + c] = src[from + c] + add[plus + c];
      }
    }
  }

  /** Scratch for [BLOCK, H] values, padded to whole vectors for {@link #expInPlace}. */
  private static float[] blockScratch(int heads) {
    return new float[(BLOCK * heads + L - 1) / L * L];
  }

  // ---- per-head row helpers. They take arrays and return floats: a vector or mask passed to a
  // call that C2 does not inline would be boxed on the heap, once per edge. Tail masks are made
  // where they are used, only for C not a multiple of the vector length.

  /**
   * Sum of the lanes in a fixed tree order. reduceLanes(ADD) may not be used: its order for
   * floats is unspecified and differs between the interpreter and C2 code, so results would
   * change bits once the kernel gets compiled.
   */
  private static float sum(FloatVector a) {
    return Lanes.sum(a);
  }


  /** a[ao..ao+n) . b[bo..bo+n). */
  private static float dot(float[] a, int ao, float[] b, int bo, int n) {
    FloatVector acc = FloatVector.zero(S);
    int full = S.loopBound(n);
    for (int c = 0; c < full; c += L) {
      acc = FloatVector.fromArray(S, a, ao + c).fma(FloatVector.fromArray(S, b, bo + c), acc);
    }
    if (full < n) {
      VectorMask<Float> m = S.indexInRange(full, n);
      acc = FloatVector.fromArray(S, a, ao + full, m)
          .fma(FloatVector.fromArray(S, b, bo + full, m), acc);
    }
    return sum(acc);
  }

  /** a . (b + e) over n elements at the given offsets. */
  private static float dotSum(float[] a, int ao, float[] b, int bo, float[] e, int eo, int n) {
    FloatVector acc = FloatVector.zero(S);
    int full = S.loopBound(n);
    for (int c = 0; c < full; c += L) {
      FloatVector be = FloatVector.fromArray(S, b, bo + c).add(FloatVector.fromArray(S, e, eo + c));
      acc = FloatVector.fromArray(S, a, ao + c).fma(be, acc);
    }
    if (full < n) {
      VectorMask<Float> m = S.indexInRange(full, n);
      FloatVector be = FloatVector.fromArray(S, b, bo + full, m)
          .add(FloatVector.fromArray(S, e, eo + full, m));
      acc = FloatVector.fromArray(S, a, ao + full, m).fma(be, acc);
    }
    return sum(acc);
  }

  /** y[yo..yo+n) *= f. */
  private static void scaleInPlace(float[] y, int yo, float f, int n) {
    int full = S.loopBound(n);
    for (int c = 0; c < full; c += L) {
      FloatVector.fromArray(S, y, yo + c).mul(f).intoArray(y, yo + c);
    }
    if (full < n) {
      VectorMask<Float> m = S.indexInRange(full, n);
      FloatVector.fromArray(S, y, yo + full, m).mul(f).intoArray(y, yo + full, m);
    }
  }

  /** y += w * x over n elements. */
  private static void axpy(float[] y, int yo, float w, float[] x, int xo, int n) {
    FloatVector wv = FloatVector.broadcast(S, w);
    int full = S.loopBound(n);
    for (int c = 0; c < full; c += L) {
      FloatVector.fromArray(S, x, xo + c).fma(wv, FloatVector.fromArray(S, y, yo + c))
          .intoArray(y, yo + c);
    }
    if (full < n) {
      VectorMask<Float> m = S.indexInRange(full, n);
      FloatVector.fromArray(S, x, xo + full, m)
          .fma(wv, FloatVector.fromArray(S, y, yo + full, m)).intoArray(y, yo + full, m);
    }
  }

  /** y = a * x + b * z over n elements (overwrites y). */
  private static void combine(float[] y, int yo, float a, float[] x, int xo, float b, float[] z,
                              int zo, int n) {
    int full = S.loopBound(n);
    for (int c = 0; c < full; c += L) {
      FloatVector.fromArray(S, x, xo + c).mul(a)
          .add(FloatVector.fromArray(S, z, zo + c).mul(b)).intoArray(y, yo + c);
    }
    if (full < n) {
      VectorMask<Float> m = S.indexInRange(full, n);
      FloatVector.fromArray(S, x, xo + full, m).mul(a)
          .add(FloatVector.fromArray(S, z, zo + full, m).mul(b)).intoArray(y, yo + full, m);
    }
  }
}
