package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = alpha A B^T + beta C for few rows of A (a linear layer on one small graph: a molecule's
 * ~25 nodes times a [96, 96] weight). Row i of A and row j of B (the weight's row, PyTorch's
 * layout) are both contiguous, so each C[i, j] is a dot product over k: no packing of B, which
 * for so few rows costs more than the product itself (the packed {@link SgemmVector} copies all
 * of B, strided, on every call). Two rows of A against four rows of B share their loads. Lane
 * sums go through {@link Lanes#sum} (a fixed order), never {@code reduceLanes}, whose order
 * changes once C2 compiles the loop.
 */
final class SgemmSmallRows {
  static final VectorSpecies<Float> S = SgemmVector.S;
  private static final int L = S.length();
  /** Up to this many rows of A the dot-product form beats packing B. */
  static final int MAX_M = 64;

  private SgemmSmallRows() {}

  /** Whether the call is one this kernel takes: A plain, B transposed, few rows. */
  static boolean applies(int m, boolean transA, boolean transB) {
    return m <= MAX_M && !transA && transB;
  }

  /** c: [m, n] (row stride ldc); a: [m, k] (lda); b: [n, k] (ldb). */
  static void sgemm(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float alpha, int m, int n, int k) {
    int i = 0;
    for (; i + 2 <= m; i += 2) {
      int a0 = aOff + i * lda;
      int j = 0;
      for (; j + 4 <= n; j += 4) block2x4(c, cOff + i * ldc + j, ldc, beta, a, a0, lda, b, bOff + j * ldb, ldb, alpha, k);
      for (; j < n; j++) {
        int bj = bOff + j * ldb;
        store(c, cOff + i * ldc + j, beta, alpha * dot(a, a0, b, bj, k));
        store(c, cOff + (i + 1) * ldc + j, beta, alpha * dot(a, a0 + lda, b, bj, k));
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) store(c, cOff + i * ldc + j, beta, alpha * dot(a, ai, b, bOff + j * ldb, k));
    }
  }

  /** C[i..i+2, j..j+4]: eight running vector sums over k, then the scalar tail. */
  private static void block2x4(float[] c, int cIdx, int ldc, float beta, float[] a, int a0, int lda,
                               float[] b, int b0, int ldb, float alpha, int k) {
    int a1 = a0 + lda;
    int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
    FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    int p = 0;
    for (int bound = S.loopBound(k); p < bound; p += L) {
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
      FloatVector w = FloatVector.fromArray(S, b, b0 + p);
      s00 = x0.fma(w, s00);
      s10 = x1.fma(w, s10);
      w = FloatVector.fromArray(S, b, b1 + p);
      s01 = x0.fma(w, s01);
      s11 = x1.fma(w, s11);
      w = FloatVector.fromArray(S, b, b2 + p);
      s02 = x0.fma(w, s02);
      s12 = x1.fma(w, s12);
      w = FloatVector.fromArray(S, b, b3 + p);
      s03 = x0.fma(w, s03);
      s13 = x1.fma(w, s13);
    }
    // Lanes.sum's fixed tree, written out here: eight calls exhaust C2's inlining budget for this
    // method, and an accumulator passed to a call that is not inlined is boxed (two vectors per
    // block, most of a molecule's allocation).
    if (L >= 16) {
      s00 = s00.add(s00.rearrange(Lanes.ROT8));
      s01 = s01.add(s01.rearrange(Lanes.ROT8));
      s02 = s02.add(s02.rearrange(Lanes.ROT8));
      s03 = s03.add(s03.rearrange(Lanes.ROT8));
      s10 = s10.add(s10.rearrange(Lanes.ROT8));
      s11 = s11.add(s11.rearrange(Lanes.ROT8));
      s12 = s12.add(s12.rearrange(Lanes.ROT8));
      s13 = s13.add(s13.rearrange(Lanes.ROT8));
    }
    if (L >= 8) {
      s00 = s00.add(s00.rearrange(Lanes.ROT4));
      s01 = s01.add(s01.rearrange(Lanes.ROT4));
      s02 = s02.add(s02.rearrange(Lanes.ROT4));
      s03 = s03.add(s03.rearrange(Lanes.ROT4));
      s10 = s10.add(s10.rearrange(Lanes.ROT4));
      s11 = s11.add(s11.rearrange(Lanes.ROT4));
      s12 = s12.add(s12.rearrange(Lanes.ROT4));
      s13 = s13.add(s13.rearrange(Lanes.ROT4));
    }
    s00 = s00.add(s00.rearrange(Lanes.ROT2));
    s01 = s01.add(s01.rearrange(Lanes.ROT2));
    s02 = s02.add(s02.rearrange(Lanes.ROT2));
    s03 = s03.add(s03.rearrange(Lanes.ROT2));
    s10 = s10.add(s10.rearrange(Lanes.ROT2));
    s11 = s11.add(s11.rearrange(Lanes.ROT2));
    s12 = s12.add(s12.rearrange(Lanes.ROT2));
    s13 = s13.add(s13.rearrange(Lanes.ROT2));
    s00 = s00.add(s00.rearrange(Lanes.ROT1));
    s01 = s01.add(s01.rearrange(Lanes.ROT1));
    s02 = s02.add(s02.rearrange(Lanes.ROT1));
    s03 = s03.add(s03.rearrange(Lanes.ROT1));
    s10 = s10.add(s10.rearrange(Lanes.ROT1));
    s11 = s11.add(s11.rearrange(Lanes.ROT1));
    s12 = s12.add(s12.rearrange(Lanes.ROT1));
    s13 = s13.add(s13.rearrange(Lanes.ROT1));
    float r00 = s00.lane(0), r01 = s01.lane(0), r02 = s02.lane(0), r03 = s03.lane(0);
    float r10 = s10.lane(0), r11 = s11.lane(0), r12 = s12.lane(0), r13 = s13.lane(0);
    for (; p < k; p++) {
      float x0 = a[a0 + p], x1 = a[a1 + p];
      r00 += x0 * b[b0 + p];
      r01 += x0 * b[b1 + p];
      r02 += x0 * b[b2 + p];
      r03 += x0 * b[b3 + p];
      r10 += x1 * b[b0 + p];
      r11 += x1 * b[b1 + p];
      r12 += x1 * b[b2 + p];
      r13 += x1 * b[b3 + p];
    }
    // store()'s two cases written out, for the same reason as the lane sums (it was not inlined)
    int c1 = cIdx + ldc;
    if (beta == 0f) {
      c[cIdx] = alpha * r00;
      c[cIdx + 1] = alpha * r01;
      c[cIdx + 2] = alpha * r02;
      c[cIdx + 3] = alpha * r03;
      c[c1] = alpha * r10;
      c[c1 + 1] = alpha * r11;
      c[c1 + 2] = alpha * r12;
      c[c1 + 3] = alpha * r13;
    } else {
      c[cIdx] = alpha * r00 + beta * c[cIdx];
      c[cIdx + 1] = alpha * r01 + beta * c[cIdx + 1];
      c[cIdx + 2] = alpha * r02 + beta * c[cIdx + 2];
      c[cIdx + 3] = alpha * r03 + beta * c[cIdx + 3];
      c[c1] = alpha * r10 + beta * c[c1];
      c[c1 + 1] = alpha * r11 + beta * c[c1 + 1];
      c[c1 + 2] = alpha * r12 + beta * c[c1 + 2];
      c[c1 + 3] = alpha * r13 + beta * c[c1 + 3];
    }
  }

  private static float dot(float[] a, int ai, float[] b, int bj, int k) {
    FloatVector s = FloatVector.zero(S);
    int p = 0;
    for (int bound = S.loopBound(k); p < bound; p += L) {
      s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s);
    }
    float r = Lanes.sum(s);
    for (; p < k; p++) r += a[ai + p] * b[bj + p];
    return r;
  }

  /** beta = 0 overwrites (C may hold NaN and is never read). */
  private static void store(float[] c, int idx, float beta, float v) {
    c[idx] = beta == 0f ? v : v + beta * c[idx];
  }
}
