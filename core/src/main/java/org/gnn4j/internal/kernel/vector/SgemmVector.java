package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Blocked SGEMM on the Vector API (C = alpha * op(A) * op(B) + beta * C, row-major), in the
 * GotoBLAS/BLIS scheme: B is packed once per call into column slivers of {@link #NR} = 2 vectors
 * (so every transpose case reads the same layout), each thread packs blocks of its own rows of A
 * into {@link #MR}-row slivers, and a register-blocked micro-kernel keeps an MR x NR tile of C in
 * vector registers over a cache block of {@link #KC} steps of k (12 x 32 floats in 24 zmm
 * registers with AVX-512; 6 x 16 with AVX2). The micro-kernels are written out straight-line,
 * one method per tile shape and store mode, because C2 keeps local FloatVectors in registers
 * only when nothing merges or escapes them; a narrow one-vector variant serves outputs of at
 * most one vector of columns. Threads own contiguous row ranges of C and every element's
 * k-order is fixed, so results do not depend on the thread count. The species is a static
 * constant: the JIT only turns Vector API calls into instructions when it is a constant.
 */
final class SgemmVector {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Columns of C per micro-tile: two vectors. */
  static final int NR = 2 * L;
  /** Rows of C per micro-tile: 12 x 2 zmm accumulators with AVX-512 (32 registers), 6 x 2 else. */
  static final int MR = L >= 16 ? 12 : 6;
  /**
   * k-steps per cache block: the B sliver (KC x NR, 32 KB with AVX-512) stays in L1 while the A
   * slivers of a block stream past it. Tuned on a 48 KB-L1 core; 128..384 were within noise.
   */
  static final int KC = 256;
  /**
   * Rows per packed block of A (MC x k stays in L2 while every B sliver streams past it); small
   * enough that one MC x NR strip of C also stays close. 48..384 were within noise, 1 and 2 threads.
   */
  static final int MC = MR * 8;

  private SgemmVector() {}

  /** Whether the packing buffers of an [m, k] x [k, n] product fit in Java arrays. */
  static boolean fits(int m, int n, int k) {
    long limit = Integer.MAX_VALUE - 64;
    return (long) NR * k < limit && (long) MC * k < limit;
  }

  /**
   * Same contract as {@code DenseKernels.sgemm}, for {@link #fits} sizes with k > 0; callers
   * route tiny problems elsewhere.
   */
  static void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    int nSlivers = (n + NR - 1) / NR;
    // bps[s]: [k][NR], allocated (so zeroed) by the thread that packs it, not serially up front
    float[][] bps = new float[nSlivers][];
    par.forRange(nSlivers, Math.max(1, 16384 / Math.max(1, k)), (chunk, s0, s1) ->
        packB(bps, b, bOff, ldb, transB, n, k, s0, s1));
    int mSlivers = (m + MR - 1) / MR;
    long flopsPerSliver = 2L * MR * n * k;
    int grain = (int) Math.max(1, Math.min(mSlivers, 2_000_000L / Math.max(1, flopsPerSliver)));
    par.forRange(mSlivers, grain, (chunk, r0, r1) ->
        rows(c, cOff, ldc, beta, a, aOff, lda, transA, bps, alpha, r0 * MR,
            Math.min(m, r1 * MR), n, k));
  }

  /**
   * All of C's rows [i0, i1) (i0 a multiple of MR): the loops around the micro-kernel. A block
   * of MC rows of A is packed over all of k, then each NR-column strip of C is finished over
   * all k-blocks before the next: that strip of C (MC x NR) stays in cache between k-blocks,
   * instead of streaming all of C from memory once per k-block.
   */
  private static void rows(float[] c, int cOff, int ldc, float beta,
                           float[] a, int aOff, int lda, boolean transA, float[][] bps,
                           float alpha, int i0, int i1, int n, int k) {
    int mcMax = Math.min(MC, (i1 - i0 + MR - 1) / MR * MR);
    float[] ap = new float[mcMax * k];     // ap: [k-blocks][mcMax / MR][kc][MR]
    float[] tile = new float[MR * NR];     // tile: [MR, NR] for the partial tiles at the edges
    for (int ic = i0; ic < i1; ic += MC) {
      int mc = Math.min(MC, i1 - ic);
      int mcPad = (mc + MR - 1) / MR * MR;
      packA(ap, a, aOff, lda, transA, ic, mc, k);
      for (int j0 = 0; j0 < n; j0 += NR) {
        int nr = Math.min(NR, n - j0);
        // beta = 0: the first k-block stores (C may hold NaN and is never read); otherwise beta
        // is applied once to this strip, which is about to be hot anyway, and all k-blocks add
        boolean overwrite = beta == 0f;
        if (!overwrite) scale(c, cOff + ic * ldc + j0, ldc, mc, nr, beta);
        boolean narrow = nr <= L;             // skip the FMAs on an all-zero second vector
        int tileCols = narrow ? L : NR;
        for (int pc = 0; pc < k; pc += KC) {
          int kc = Math.min(KC, k - pc);
          boolean set = overwrite && pc == 0;
          float[] bp = bps[j0 / NR];
          int bIdx = pc * NR;
          for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int aIdx = pc * mcPad + ir * kc;
            int cIdx = cOff + (ic + ir) * ldc + j0;
            if (mr == MR && nr == tileCols) {
              micro(narrow, set, kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
            } else {
              micro(narrow, true, kc, ap, aIdx, bp, bIdx, tile, 0, NR, alpha);
              for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                  int ci = cIdx + r * ldc + j;
                  c[ci] = set ? tile[r * NR + j] : c[ci] + tile[r * NR + j];
                }
              }
            }
          }
        }
      }
    }
  }

  /** Packs op(B)[:, slivers s0..s1) into bps[s] as [k][NR] (columns past n stay 0). */
  private static void packB(float[][] bps, float[] b, int bOff, int ldb, boolean transB,
                            int n, int k, int s0, int s1) {
    for (int s = s0; s < s1; s++) {
      float[] bp = new float[k * NR];
      bps[s] = bp;
      int j0 = s * NR;
      int nr = Math.min(NR, n - j0);
      if (!transB) {
        int src = bOff + j0;
        if (nr == NR) {
          for (int p = 0, dst = 0; p < k; p++, src += ldb, dst += NR) {
            FloatVector.fromArray(S, b, src).intoArray(bp, dst);
            FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
          }
        } else {
          for (int p = 0; p < k; p++, src += ldb) System.arraycopy(b, src, bp, p * NR, nr);
        }
      } else {
        // B stored as [n, k]: each stored row is one column of op(B)
        for (int j = 0; j < nr; j++) {
          int src = bOff + (j0 + j) * ldb;
          for (int p = 0; p < k; p++) bp[p * NR + j] = b[src + p];
        }
      }
    }
  }

  /**
   * Packs op(A)[i0 .. i0+mc, 0 .. k) into ap as [k-block][mcPad/MR][kc][MR] (rows padded with 0
   * up to mcPad, a multiple of MR), so the slivers one k-block visits in turn are contiguous.
   */
  private static void packA(float[] ap, float[] a, int aOff, int lda, boolean transA,
                            int i0, int mc, int k) {
    int mcPad = (mc + MR - 1) / MR * MR;
    int[] rowIdx = null;                    // rowIdx: [L] element offsets of MR rows of A
    if (L >= 16 && !transA) {
      rowIdx = new int[L];
      for (int r = 0; r < MR; r++) rowIdx[r] = r * lda;
    }
    VectorMask<Float> rowMask = S.indexInRange(0, MR);
    for (int pc = 0; pc < k; pc += KC) {
      int kc = Math.min(KC, k - pc);
      for (int ir = 0; ir < mc; ir += MR) {
        int mr = Math.min(MR, mc - ir);
        int base = pc * mcPad + ir * kc;
        if (!transA) {
          if (rowIdx != null && mr == MR) {
            // one masked gather per k-step picks column p of the MR rows: 5-13% faster than
            // the scalar transpose below on AVX-512 (measured; not tried on AVX2)
            int src = aOff + (i0 + ir) * lda + pc;
            for (int p = 0; p < kc; p++) {
              FloatVector.fromArray(S, a, src + p, rowIdx, 0, rowMask)
                  .intoArray(ap, base + p * MR, rowMask);
            }
          } else {
            for (int r = 0; r < mr; r++) {
              int src = aOff + (i0 + ir + r) * lda + pc;
              for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
            }
          }
        } else {
          // A stored as [k, m]: each k-step holds MR consecutive rows of op(A)
          for (int p = 0; p < kc; p++) {
            System.arraycopy(a, aOff + (pc + p) * lda + i0 + ir, ap, base + p * MR, mr);
          }
        }
        if (mr < MR) {
          for (int p = 0; p < kc; p++) {
            for (int r = mr; r < MR; r++) ap[base + p * MR + r] = 0f;
          }
        }
      }
    }
  }

  /**
   * One micro-tile: C[MR, NR] (NR = one vector when {@code narrow}) += alpha * (A sliver
   * [kc][MR]) * (B sliver [kc][NR]), or = when {@code set} (then C is never read).
   */
  static void micro(boolean narrow, boolean set, int kc, float[] ap, int aIdx, float[] bp,
                    int bIdx, float[] c, int cIdx, int ldc, float alpha) {
    if (MR == 12) {
      if (narrow) {
        if (set) kernel12x1Set(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
        else kernel12x1(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
      } else {
        if (set) kernel12x2Set(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
        else kernel12x2(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
      }
    } else {
      if (narrow) {
        if (set) kernel6x1Set(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
        else kernel6x1(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
      } else {
        if (set) kernel6x2Set(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
        else kernel6x2(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, alpha);
      }
    }
  }

  /** C[rows, cols] *= beta (beta != 0). */
  private static void scale(float[] c, int cIdx, int ldc, int rows, int cols, float beta) {
    if (beta == 1f) return;
    int upper = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int row = cIdx + r * ldc;
      int j = 0;
      for (; j < upper; j += L) FloatVector.fromArray(S, c, row + j).mul(beta).intoArray(c, row + j);
      for (; j < cols; j++) c[row + j] *= beta;
    }
  }

  /** 12 rows x 2 vectors: 24 accumulators, kept in registers; C += alpha * acc. */
  private static void kernel12x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z, c0_1 = z;
    FloatVector c1_0 = z, c1_1 = z;
    FloatVector c2_0 = z, c2_1 = z;
    FloatVector c3_0 = z, c3_1 = z;
    FloatVector c4_0 = z, c4_1 = z;
    FloatVector c5_0 = z, c5_1 = z;
    FloatVector c6_0 = z, c6_1 = z;
    FloatVector c7_0 = z, c7_1 = z;
    FloatVector c8_0 = z, c8_1 = z;
    FloatVector c9_0 = z, c9_1 = z;
    FloatVector c10_0 = z, c10_1 = z;
    FloatVector c11_0 = z, c11_1 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 12;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
      FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
      c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
      FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
      c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
      FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
      c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
      FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
      c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.fma(va, FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
    c0_1.fma(va, FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
    c1_0.fma(va, FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
    c1_1.fma(va, FloatVector.fromArray(S, c, cIdx + ldc + L)).intoArray(c, cIdx + ldc + L);
    c2_0.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
    c2_1.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc + L)).intoArray(c, cIdx + 2 * ldc + L);
    c3_0.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
    c3_1.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc + L)).intoArray(c, cIdx + 3 * ldc + L);
    c4_0.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
    c4_1.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc + L)).intoArray(c, cIdx + 4 * ldc + L);
    c5_0.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
    c5_1.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc + L)).intoArray(c, cIdx + 5 * ldc + L);
    c6_0.fma(va, FloatVector.fromArray(S, c, cIdx + 6 * ldc)).intoArray(c, cIdx + 6 * ldc);
    c6_1.fma(va, FloatVector.fromArray(S, c, cIdx + 6 * ldc + L)).intoArray(c, cIdx + 6 * ldc + L);
    c7_0.fma(va, FloatVector.fromArray(S, c, cIdx + 7 * ldc)).intoArray(c, cIdx + 7 * ldc);
    c7_1.fma(va, FloatVector.fromArray(S, c, cIdx + 7 * ldc + L)).intoArray(c, cIdx + 7 * ldc + L);
    c8_0.fma(va, FloatVector.fromArray(S, c, cIdx + 8 * ldc)).intoArray(c, cIdx + 8 * ldc);
    c8_1.fma(va, FloatVector.fromArray(S, c, cIdx + 8 * ldc + L)).intoArray(c, cIdx + 8 * ldc + L);
    c9_0.fma(va, FloatVector.fromArray(S, c, cIdx + 9 * ldc)).intoArray(c, cIdx + 9 * ldc);
    c9_1.fma(va, FloatVector.fromArray(S, c, cIdx + 9 * ldc + L)).intoArray(c, cIdx + 9 * ldc + L);
    c10_0.fma(va, FloatVector.fromArray(S, c, cIdx + 10 * ldc)).intoArray(c, cIdx + 10 * ldc);
    c10_1.fma(va, FloatVector.fromArray(S, c, cIdx + 10 * ldc + L)).intoArray(c, cIdx + 10 * ldc + L);
    c11_0.fma(va, FloatVector.fromArray(S, c, cIdx + 11 * ldc)).intoArray(c, cIdx + 11 * ldc);
    c11_1.fma(va, FloatVector.fromArray(S, c, cIdx + 11 * ldc + L)).intoArray(c, cIdx + 11 * ldc + L);
  }

  /** As the accumulating 12 x 2-vector kernel, but C = alpha * acc: C is never read. */
  private static void kernel12x2Set(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z, c0_1 = z;
    FloatVector c1_0 = z, c1_1 = z;
    FloatVector c2_0 = z, c2_1 = z;
    FloatVector c3_0 = z, c3_1 = z;
    FloatVector c4_0 = z, c4_1 = z;
    FloatVector c5_0 = z, c5_1 = z;
    FloatVector c6_0 = z, c6_1 = z;
    FloatVector c7_0 = z, c7_1 = z;
    FloatVector c8_0 = z, c8_1 = z;
    FloatVector c9_0 = z, c9_1 = z;
    FloatVector c10_0 = z, c10_1 = z;
    FloatVector c11_0 = z, c11_1 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 12;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
      FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
      c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
      FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
      c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
      FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
      c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
      FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
      c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.mul(va).intoArray(c, cIdx);
    c0_1.mul(va).intoArray(c, cIdx + L);
    c1_0.mul(va).intoArray(c, cIdx + ldc);
    c1_1.mul(va).intoArray(c, cIdx + ldc + L);
    c2_0.mul(va).intoArray(c, cIdx + 2 * ldc);
    c2_1.mul(va).intoArray(c, cIdx + 2 * ldc + L);
    c3_0.mul(va).intoArray(c, cIdx + 3 * ldc);
    c3_1.mul(va).intoArray(c, cIdx + 3 * ldc + L);
    c4_0.mul(va).intoArray(c, cIdx + 4 * ldc);
    c4_1.mul(va).intoArray(c, cIdx + 4 * ldc + L);
    c5_0.mul(va).intoArray(c, cIdx + 5 * ldc);
    c5_1.mul(va).intoArray(c, cIdx + 5 * ldc + L);
    c6_0.mul(va).intoArray(c, cIdx + 6 * ldc);
    c6_1.mul(va).intoArray(c, cIdx + 6 * ldc + L);
    c7_0.mul(va).intoArray(c, cIdx + 7 * ldc);
    c7_1.mul(va).intoArray(c, cIdx + 7 * ldc + L);
    c8_0.mul(va).intoArray(c, cIdx + 8 * ldc);
    c8_1.mul(va).intoArray(c, cIdx + 8 * ldc + L);
    c9_0.mul(va).intoArray(c, cIdx + 9 * ldc);
    c9_1.mul(va).intoArray(c, cIdx + 9 * ldc + L);
    c10_0.mul(va).intoArray(c, cIdx + 10 * ldc);
    c10_1.mul(va).intoArray(c, cIdx + 10 * ldc + L);
    c11_0.mul(va).intoArray(c, cIdx + 11 * ldc);
    c11_1.mul(va).intoArray(c, cIdx + 11 * ldc + L);
  }

  /** 12 rows x 1 vectors: 12 accumulators, kept in registers; C += alpha * acc. */
  private static void kernel12x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c1_0 = z;
    FloatVector c2_0 = z;
    FloatVector c3_0 = z;
    FloatVector c4_0 = z;
    FloatVector c5_0 = z;
    FloatVector c6_0 = z;
    FloatVector c7_0 = z;
    FloatVector c8_0 = z;
    FloatVector c9_0 = z;
    FloatVector c10_0 = z;
    FloatVector c11_0 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 12;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c6_0 = a6.fma(b0, c6_0);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c7_0 = a7.fma(b0, c7_0);
      FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
      c8_0 = a8.fma(b0, c8_0);
      FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
      c9_0 = a9.fma(b0, c9_0);
      FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
      c10_0 = a10.fma(b0, c10_0);
      FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
      c11_0 = a11.fma(b0, c11_0);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.fma(va, FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
    c1_0.fma(va, FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
    c2_0.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
    c3_0.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
    c4_0.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
    c5_0.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
    c6_0.fma(va, FloatVector.fromArray(S, c, cIdx + 6 * ldc)).intoArray(c, cIdx + 6 * ldc);
    c7_0.fma(va, FloatVector.fromArray(S, c, cIdx + 7 * ldc)).intoArray(c, cIdx + 7 * ldc);
    c8_0.fma(va, FloatVector.fromArray(S, c, cIdx + 8 * ldc)).intoArray(c, cIdx + 8 * ldc);
    c9_0.fma(va, FloatVector.fromArray(S, c, cIdx + 9 * ldc)).intoArray(c, cIdx + 9 * ldc);
    c10_0.fma(va, FloatVector.fromArray(S, c, cIdx + 10 * ldc)).intoArray(c, cIdx + 10 * ldc);
    c11_0.fma(va, FloatVector.fromArray(S, c, cIdx + 11 * ldc)).intoArray(c, cIdx + 11 * ldc);
  }

  /** As the accumulating 12 x 1-vector kernel, but C = alpha * acc: C is never read. */
  private static void kernel12x1Set(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c1_0 = z;
    FloatVector c2_0 = z;
    FloatVector c3_0 = z;
    FloatVector c4_0 = z;
    FloatVector c5_0 = z;
    FloatVector c6_0 = z;
    FloatVector c7_0 = z;
    FloatVector c8_0 = z;
    FloatVector c9_0 = z;
    FloatVector c10_0 = z;
    FloatVector c11_0 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 12;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c6_0 = a6.fma(b0, c6_0);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c7_0 = a7.fma(b0, c7_0);
      FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
      c8_0 = a8.fma(b0, c8_0);
      FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
      c9_0 = a9.fma(b0, c9_0);
      FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
      c10_0 = a10.fma(b0, c10_0);
      FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
      c11_0 = a11.fma(b0, c11_0);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.mul(va).intoArray(c, cIdx);
    c1_0.mul(va).intoArray(c, cIdx + ldc);
    c2_0.mul(va).intoArray(c, cIdx + 2 * ldc);
    c3_0.mul(va).intoArray(c, cIdx + 3 * ldc);
    c4_0.mul(va).intoArray(c, cIdx + 4 * ldc);
    c5_0.mul(va).intoArray(c, cIdx + 5 * ldc);
    c6_0.mul(va).intoArray(c, cIdx + 6 * ldc);
    c7_0.mul(va).intoArray(c, cIdx + 7 * ldc);
    c8_0.mul(va).intoArray(c, cIdx + 8 * ldc);
    c9_0.mul(va).intoArray(c, cIdx + 9 * ldc);
    c10_0.mul(va).intoArray(c, cIdx + 10 * ldc);
    c11_0.mul(va).intoArray(c, cIdx + 11 * ldc);
  }

  /** 6 rows x 2 vectors: 12 accumulators, kept in registers; C += alpha * acc. */
  private static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z, c0_1 = z;
    FloatVector c1_0 = z, c1_1 = z;
    FloatVector c2_0 = z, c2_1 = z;
    FloatVector c3_0 = z, c3_1 = z;
    FloatVector c4_0 = z, c4_1 = z;
    FloatVector c5_0 = z, c5_1 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 6;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.fma(va, FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
    c0_1.fma(va, FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
    c1_0.fma(va, FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
    c1_1.fma(va, FloatVector.fromArray(S, c, cIdx + ldc + L)).intoArray(c, cIdx + ldc + L);
    c2_0.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
    c2_1.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc + L)).intoArray(c, cIdx + 2 * ldc + L);
    c3_0.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
    c3_1.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc + L)).intoArray(c, cIdx + 3 * ldc + L);
    c4_0.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
    c4_1.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc + L)).intoArray(c, cIdx + 4 * ldc + L);
    c5_0.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
    c5_1.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc + L)).intoArray(c, cIdx + 5 * ldc + L);
  }

  /** As the accumulating 6 x 2-vector kernel, but C = alpha * acc: C is never read. */
  private static void kernel6x2Set(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z, c0_1 = z;
    FloatVector c1_0 = z, c1_1 = z;
    FloatVector c2_0 = z, c2_1 = z;
    FloatVector c3_0 = z, c3_1 = z;
    FloatVector c4_0 = z, c4_1 = z;
    FloatVector c5_0 = z, c5_1 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 6;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.mul(va).intoArray(c, cIdx);
    c0_1.mul(va).intoArray(c, cIdx + L);
    c1_0.mul(va).intoArray(c, cIdx + ldc);
    c1_1.mul(va).intoArray(c, cIdx + ldc + L);
    c2_0.mul(va).intoArray(c, cIdx + 2 * ldc);
    c2_1.mul(va).intoArray(c, cIdx + 2 * ldc + L);
    c3_0.mul(va).intoArray(c, cIdx + 3 * ldc);
    c3_1.mul(va).intoArray(c, cIdx + 3 * ldc + L);
    c4_0.mul(va).intoArray(c, cIdx + 4 * ldc);
    c4_1.mul(va).intoArray(c, cIdx + 4 * ldc + L);
    c5_0.mul(va).intoArray(c, cIdx + 5 * ldc);
    c5_1.mul(va).intoArray(c, cIdx + 5 * ldc + L);
  }

  /** 6 rows x 1 vectors: 6 accumulators, kept in registers; C += alpha * acc. */
  private static void kernel6x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c1_0 = z;
    FloatVector c2_0 = z;
    FloatVector c3_0 = z;
    FloatVector c4_0 = z;
    FloatVector c5_0 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 6;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.fma(va, FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
    c1_0.fma(va, FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
    c2_0.fma(va, FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
    c3_0.fma(va, FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
    c4_0.fma(va, FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
    c5_0.fma(va, FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
  }

  /** As the accumulating 6 x 1-vector kernel, but C = alpha * acc: C is never read. */
  private static void kernel6x1Set(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                          float[] c, int cIdx, int ldc, float alpha) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c0_0 = z;
    FloatVector c1_0 = z;
    FloatVector c2_0 = z;
    FloatVector c3_0 = z;
    FloatVector c4_0 = z;
    FloatVector c5_0 = z;
    for (int p = 0; p < kc; p++) {
      int ai = aIdx + p * 6;
      int bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c0_0 = a0.fma(b0, c0_0);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c1_0 = a1.fma(b0, c1_0);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c2_0 = a2.fma(b0, c2_0);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c3_0 = a3.fma(b0, c3_0);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c4_0 = a4.fma(b0, c4_0);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c5_0 = a5.fma(b0, c5_0);
    }
    FloatVector va = FloatVector.broadcast(S, alpha);
    c0_0.mul(va).intoArray(c, cIdx);
    c1_0.mul(va).intoArray(c, cIdx + ldc);
    c2_0.mul(va).intoArray(c, cIdx + 2 * ldc);
    c3_0.mul(va).intoArray(c, cIdx + 3 * ldc);
    c4_0.mul(va).intoArray(c, cIdx + 4 * ldc);
    c5_0.mul(va).intoArray(c, cIdx + 5 * ldc);
  }
}
