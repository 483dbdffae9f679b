package org.gnn4j.internal.kernel.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.Parallel;

/**
 * SGEMM for products with one short side, on 16-lane vectors: the products of 64-wide layers on
 * many rows and the Performer's per-head products (16 channels against a few hundred random
 * features). There C's rows fit a few registers and op(B) fits L1, so no packing of A and no
 * cache blocking is needed; OpenBLAS, which served these shapes, packs both operands on every
 * call and split the weight gradients by rows of C, each thread reading both [k, 64] operands
 * whole. Two shapes:
 * <ul>
 *   <li>{@link #tall}: C[m, n] = alpha A op(B) + beta C with A [m, k] plain and op(B) small
 *       (a layer's forward {@code x W^T}, its input gradient {@code dY W}, the feature map
 *       {@code x W^T} with k = 16). op(B) is copied once as [k, n] rows padded to whole vectors;
 *       four rows of A broadcast against strips of four vectors of it (sixteen accumulators), or
 *       of one vector at the right edge.</li>
 *   <li>{@link #reduce}: C[m, n] = alpha A^T B + beta C with A stored [k, m], B stored [k, n] and
 *       n at most {@link #MAX_REDUCE_N} (a weight gradient {@code dY^T x}, k = the graph's rows).
 *       k is cut into blocks that depend on k alone, each block's partial C is summed by one
 *       thread, and the partials are added in block order: the bits do not depend on the thread
 *       count.</li>
 * </ul>
 * Each C element is a chain of FMAs over k in order, so its bits depend on the shape only.
 */
final class SgemmNarrow {
  static final VectorSpecies<Float> S = SgemmVector.S;
  private static final int L = S.length();
  /**
   * Most columns of C and rows of op(B) for {@link #tall}. The Performer's per-head products
   * (266 random features against 64 channels) measured no faster here than on OpenBLAS, which
   * needs no JIT warm-up, so they stay there.
   */
  static final int MAX_TALL_N = 64;
  static final int MAX_TALL_K = 128;
  /** Fewest rows of C for {@link #tall}; fewer go to the kernels for small products. */
  static final int MIN_ROWS = 128;
  /** Fewest rows of the inner dimension for {@link #reduce}. */
  static final int MIN_REDUCE_K = 256;
  /** Most columns of C for {@link #reduce}. */
  static final int MAX_REDUCE_N = 64;
  /** Most rows of C for {@link #reduce} (a layer's width; the Performer's 266 stay on OpenBLAS). */
  static final int MAX_REDUCE_M = 128;
  /** Inner-dimension rows per block of {@link #reduce} (the block count depends on k only). */
  private static final int REDUCE_BLOCK = 512;
  private static final int MAX_REDUCE_BLOCKS = 16;
  /** Rows of the inner dimension a {@link #reduce} tile streams before the next tile: 16 KB. */
  private static final int REDUCE_STRIP = 64;
  /** Rows of C per thread chunk in {@link #tall}. */
  private static final int TALL_GRAIN = 512;

  /**
   * Per calling thread: the packed op(B) of {@link #tall} and the partials of {@link #reduce},
   * kept between calls. A training step otherwise leaves up to a few MB of them per product for
   * the collector, and G1 grew the heap for them (gin at 10k: 155 -> 270-350 MB peak RSS).
   */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private SgemmNarrow() {}

  /** The calling thread's scratch of at least {@code len} floats, contents undefined. */
  private static float[] scratch(int len) {
    float[] s = SCRATCH.get();
    if (s.length < len) {
      s = new float[len];
      SCRATCH.set(s);
    }
    return s;
  }

  /** Whether {@link #tall} takes the call. */
  static boolean tallApplies(int m, int n, int k, boolean transA) {
    return L == 16 && !transA && k >= 1 && k <= MAX_TALL_K && n >= 1 && n <= MAX_TALL_N
        && m >= MIN_ROWS;
  }

  /** Whether {@link #reduce} takes the call. */
  static boolean reduceApplies(int m, int n, int k, boolean transA, boolean transB) {
    return L == 16 && transA && !transB && n >= 1 && n <= MAX_REDUCE_N && m >= 1
        && m <= MAX_REDUCE_M && k >= MIN_REDUCE_K;
  }

  /** n rounded up to whole vectors. */
  private static int padded(int n) {
    return (n + 15) & ~15;
  }

  /**
   * c: [m, n] (ldc); a: [m, k] (lda); b: [n, k] (ldb) when transB, else [k, n]. beta = 0
   * overwrites C (which may hold NaN).
   */
  static void tall(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, boolean transB, float alpha, int m, int n,
                   int k, Parallel par) {
    int ldp = padded(n);
    float[] bp = scratch(k * ldp);                           // alpha op(B): [k, ldp], zero-padded
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bp[p * ldp + j] = alpha * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
      }
      for (int j = n; j < ldp; j++) bp[p * ldp + j] = 0f;
    }
    par.forRange(m, TALL_GRAIN, (chunk, r0, r1) -> {
      int j0 = 0;
      for (; j0 + 64 <= n; j0 += 64) tall4(c, cOff + j0, ldc, beta, a, aOff, lda, bp, j0, ldp, k, r0, r1);
      for (; j0 < n; j0 += 16) {
        tall1(c, cOff + j0, ldc, beta, a, aOff, lda, bp, j0, ldp, k, r0, r1, S.indexInRange(j0, n));
      }
    });
  }

  /**
   * Columns [j0, j0 + 64) of rows [r0, r1): four rows at a time, then one by one. One call per
   * tile, not one loop over all tiles: the JIT compiles a method after a few hundred calls but a
   * loop only after tens of thousands of iterations, and until C2 has it every vector operation
   * is a heap object (a first training step of gin at 10k took seconds with the single loop).
   */
  private static void tall4(float[] c, int cOff, int ldc, float beta, float[] a, int aOff,
                            int lda, float[] bp, int j0, int ldp, int k, int r0, int r1) {
    int i = r0;
    for (; i + 4 <= r1; i += 4) tall4x4(c, cOff + i * ldc, ldc, beta, a, aOff + i * lda, lda, bp, j0, ldp, k);
    for (; i < r1; i++) tall4x1(c, cOff + i * ldc, beta, a, aOff + i * lda, bp, j0, ldp, k);
  }

  /** Four rows of C from a0 (at o0), 64 columns: sixteen accumulators. */
  private static void tall4x4(float[] c, int o0, int ldc, float beta, float[] a, int a0, int lda,
                              float[] bp, int j0, int ldp, int k) {
    {
      int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
      FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
      FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
      FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
      FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
      for (int p = 0; p < k; p++) {
        int q = p * ldp + j0;
        FloatVector b0 = FloatVector.fromArray(S, bp, q);
        FloatVector b1 = FloatVector.fromArray(S, bp, q + 16);
        FloatVector b2 = FloatVector.fromArray(S, bp, q + 32);
        FloatVector b3 = FloatVector.fromArray(S, bp, q + 48);
        FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        c02 = x.fma(b2, c02);
        c03 = x.fma(b3, c03);
        x = FloatVector.broadcast(S, a[a1 + p]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        c12 = x.fma(b2, c12);
        c13 = x.fma(b3, c13);
        x = FloatVector.broadcast(S, a[a2 + p]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        c22 = x.fma(b2, c22);
        c23 = x.fma(b3, c23);
        x = FloatVector.broadcast(S, a[a3 + p]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
        c32 = x.fma(b2, c32);
        c33 = x.fma(b3, c33);
      }
      // the stores written out: a helper taking the accumulators, if C2 did not inline it,
      // would box them
      int o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc;
      if (beta != 0f) {
        c00 = c00.add(FloatVector.fromArray(S, c, o0).mul(beta));
        c01 = c01.add(FloatVector.fromArray(S, c, o0 + 16).mul(beta));
        c02 = c02.add(FloatVector.fromArray(S, c, o0 + 32).mul(beta));
        c03 = c03.add(FloatVector.fromArray(S, c, o0 + 48).mul(beta));
        c10 = c10.add(FloatVector.fromArray(S, c, o1).mul(beta));
        c11 = c11.add(FloatVector.fromArray(S, c, o1 + 16).mul(beta));
        c12 = c12.add(FloatVector.fromArray(S, c, o1 + 32).mul(beta));
        c13 = c13.add(FloatVector.fromArray(S, c, o1 + 48).mul(beta));
        c20 = c20.add(FloatVector.fromArray(S, c, o2).mul(beta));
        c21 = c21.add(FloatVector.fromArray(S, c, o2 + 16).mul(beta));
        c22 = c22.add(FloatVector.fromArray(S, c, o2 + 32).mul(beta));
        c23 = c23.add(FloatVector.fromArray(S, c, o2 + 48).mul(beta));
        c30 = c30.add(FloatVector.fromArray(S, c, o3).mul(beta));
        c31 = c31.add(FloatVector.fromArray(S, c, o3 + 16).mul(beta));
        c32 = c32.add(FloatVector.fromArray(S, c, o3 + 32).mul(beta));
        c33 = c33.add(FloatVector.fromArray(S, c, o3 + 48).mul(beta));
      }
      c00.intoArray(c, o0);
      c01.intoArray(c, o0 + 16);
      c02.intoArray(c, o0 + 32);
      c03.intoArray(c, o0 + 48);
      c10.intoArray(c, o1);
      c11.intoArray(c, o1 + 16);
      c12.intoArray(c, o1 + 32);
      c13.intoArray(c, o1 + 48);
      c20.intoArray(c, o2);
      c21.intoArray(c, o2 + 16);
      c22.intoArray(c, o2 + 32);
      c23.intoArray(c, o2 + 48);
      c30.intoArray(c, o3);
      c31.intoArray(c, o3 + 16);
      c32.intoArray(c, o3 + 32);
      c33.intoArray(c, o3 + 48);
    }
  }

  /** One row of C from a0 (at o0), 64 columns. */
  private static void tall4x1(float[] c, int o0, float beta, float[] a, int a0, float[] bp,
                              int j0, int ldp, int k) {
    {
      FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
      for (int p = 0; p < k; p++) {
        int q = p * ldp + j0;
        FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
        c00 = x.fma(FloatVector.fromArray(S, bp, q), c00);
        c01 = x.fma(FloatVector.fromArray(S, bp, q + 16), c01);
        c02 = x.fma(FloatVector.fromArray(S, bp, q + 32), c02);
        c03 = x.fma(FloatVector.fromArray(S, bp, q + 48), c03);
      }
      if (beta != 0f) {
        c00 = c00.add(FloatVector.fromArray(S, c, o0).mul(beta));
        c01 = c01.add(FloatVector.fromArray(S, c, o0 + 16).mul(beta));
        c02 = c02.add(FloatVector.fromArray(S, c, o0 + 32).mul(beta));
        c03 = c03.add(FloatVector.fromArray(S, c, o0 + 48).mul(beta));
      }
      c00.intoArray(c, o0);
      c01.intoArray(c, o0 + 16);
      c02.intoArray(c, o0 + 32);
      c03.intoArray(c, o0 + 48);
    }
  }

  /**
   * Columns [j0, j0 + 16) of rows [r0, r1), the lanes outside C masked off: four rows at a
   * time, then one by one.
   */
  private static void tall1(float[] c, int cOff, int ldc, float beta, float[] a, int aOff,
                            int lda, float[] bp, int j0, int ldp, int k, int r0, int r1,
                            VectorMask<Float> mask) {
    int i = r0;
    for (; i + 4 <= r1; i += 4) {
      int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
      FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
      for (int p = 0; p < k; p++) {
        FloatVector bv = FloatVector.fromArray(S, bp, p * ldp + j0);
        c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
        c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
        c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
        c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
      }
      int o0 = cOff + i * ldc, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc;
      if (beta != 0f) {
        c0 = c0.add(FloatVector.fromArray(S, c, o0, mask).mul(beta));
        c1 = c1.add(FloatVector.fromArray(S, c, o1, mask).mul(beta));
        c2 = c2.add(FloatVector.fromArray(S, c, o2, mask).mul(beta));
        c3 = c3.add(FloatVector.fromArray(S, c, o3, mask).mul(beta));
      }
      c0.intoArray(c, o0, mask);
      c1.intoArray(c, o1, mask);
      c2.intoArray(c, o2, mask);
      c3.intoArray(c, o3, mask);
    }
    for (; i < r1; i++) {
      int a0 = aOff + i * lda;
      FloatVector c0 = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        c0 = FloatVector.broadcast(S, a[a0 + p]).fma(FloatVector.fromArray(S, bp, p * ldp + j0), c0);
      }
      int o0 = cOff + i * ldc;
      if (beta != 0f) c0 = c0.add(FloatVector.fromArray(S, c, o0, mask).mul(beta));
      c0.intoArray(c, o0, mask);
    }
  }

  /**
   * c: [m, n] (ldc) = alpha a^T b + beta c; a: stored [k, m] (lda); b: stored [k, n] (ldb).
   * beta = 0 overwrites C (which may hold NaN).
   */
  static void reduce(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float alpha, int m, int n, int k,
                     Parallel par) {
    int blocks = Math.max(1, Math.min(MAX_REDUCE_BLOCKS, k / REDUCE_BLOCK));
    int ldp = padded(n);
    int tile = m * ldp;
    float[] part = scratch(blocks * tile);                   // part: [blocks, m, ldp]
    Arrays.fill(part, 0, blocks * tile, 0f);
    int[] bounds = new int[blocks + 1];
    for (int t = 0; t <= blocks; t++) bounds[t] = t;
    par.forBounds(bounds, (chunk, t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        int p0 = (int) ((long) k * t / blocks), p1 = (int) ((long) k * (t + 1) / blocks);
        for (int s0 = p0; s0 < p1; s0 += REDUCE_STRIP) {
          int s1 = Math.min(p1, s0 + REDUCE_STRIP);
          int j0 = 0;
          for (; j0 + 64 <= n; j0 += 64) reduce4(part, t * tile + j0, ldp, a, aOff, lda, b, bOff + j0, ldb, m, s0, s1);
          for (; j0 < n; j0 += 16) {
            reduce1(part, t * tile + j0, ldp, a, aOff, lda, b, bOff + j0, ldb, m, s0, s1,
                S.indexInRange(j0, n));
          }
        }
      }
    });
    for (int i = 0; i < m; i++) {
      int o = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        float s = part[i * ldp + j];
        for (int t = 1; t < blocks; t++) s += part[t * tile + i * ldp + j];
        c[o + j] = beta == 0f ? alpha * s : alpha * s + beta * c[o + j];
      }
    }
  }

  /**
   * part[pOff ..] (row stride ldp) += rows [s0, s1) of a^T b, 64 columns of b from bOff; one
   * call per tile of four rows (why: {@link #tall4}).
   */
  private static void reduce4(float[] part, int pOff, int ldp, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, int m, int s0, int s1) {
    int i = 0;
    for (; i + 4 <= m; i += 4) reduce4x4(part, pOff + i * ldp, ldp, a, aOff + i, lda, b, bOff, ldb, s0, s1);
    for (; i < m; i++) reduce4x1(part, pOff + i * ldp, a, aOff + i, lda, b, bOff, ldb, s0, s1);
  }

  /** Rows o0.. of part (four, stride ldp) += a's columns from ai0 (four) times b's 64 columns. */
  private static void reduce4x4(float[] part, int o0, int ldp, float[] a, int ai0, int lda,
                                float[] b, int bOff, int ldb, int s0, int s1) {
    {
      int o1 = o0 + ldp, o2 = o1 + ldp, o3 = o2 + ldp;
      FloatVector c00 = FloatVector.fromArray(S, part, o0);
      FloatVector c01 = FloatVector.fromArray(S, part, o0 + 16);
      FloatVector c02 = FloatVector.fromArray(S, part, o0 + 32);
      FloatVector c03 = FloatVector.fromArray(S, part, o0 + 48);
      FloatVector c10 = FloatVector.fromArray(S, part, o1);
      FloatVector c11 = FloatVector.fromArray(S, part, o1 + 16);
      FloatVector c12 = FloatVector.fromArray(S, part, o1 + 32);
      FloatVector c13 = FloatVector.fromArray(S, part, o1 + 48);
      FloatVector c20 = FloatVector.fromArray(S, part, o2);
      FloatVector c21 = FloatVector.fromArray(S, part, o2 + 16);
      FloatVector c22 = FloatVector.fromArray(S, part, o2 + 32);
      FloatVector c23 = FloatVector.fromArray(S, part, o2 + 48);
      FloatVector c30 = FloatVector.fromArray(S, part, o3);
      FloatVector c31 = FloatVector.fromArray(S, part, o3 + 16);
      FloatVector c32 = FloatVector.fromArray(S, part, o3 + 32);
      FloatVector c33 = FloatVector.fromArray(S, part, o3 + 48);
      for (int p = s0; p < s1; p++) {
        int q = bOff + p * ldb;
        int ai = ai0 + p * lda;
        FloatVector b0 = FloatVector.fromArray(S, b, q);
        FloatVector b1 = FloatVector.fromArray(S, b, q + 16);
        FloatVector b2 = FloatVector.fromArray(S, b, q + 32);
        FloatVector b3 = FloatVector.fromArray(S, b, q + 48);
        FloatVector x = FloatVector.broadcast(S, a[ai]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        c02 = x.fma(b2, c02);
        c03 = x.fma(b3, c03);
        x = FloatVector.broadcast(S, a[ai + 1]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        c12 = x.fma(b2, c12);
        c13 = x.fma(b3, c13);
        x = FloatVector.broadcast(S, a[ai + 2]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        c22 = x.fma(b2, c22);
        c23 = x.fma(b3, c23);
        x = FloatVector.broadcast(S, a[ai + 3]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
        c32 = x.fma(b2, c32);
        c33 = x.fma(b3, c33);
      }
      c00.intoArray(part, o0);
      c01.intoArray(part, o0 + 16);
      c02.intoArray(part, o0 + 32);
      c03.intoArray(part, o0 + 48);
      c10.intoArray(part, o1);
      c11.intoArray(part, o1 + 16);
      c12.intoArray(part, o1 + 32);
      c13.intoArray(part, o1 + 48);
      c20.intoArray(part, o2);
      c21.intoArray(part, o2 + 16);
      c22.intoArray(part, o2 + 32);
      c23.intoArray(part, o2 + 48);
      c30.intoArray(part, o3);
      c31.intoArray(part, o3 + 16);
      c32.intoArray(part, o3 + 32);
      c33.intoArray(part, o3 + 48);
    }
  }

  /** Row o0 of part += a's column ai0 times b's 64 columns. */
  private static void reduce4x1(float[] part, int o0, float[] a, int ai0, int lda, float[] b,
                                int bOff, int ldb, int s0, int s1) {
    {
      FloatVector c00 = FloatVector.fromArray(S, part, o0);
      FloatVector c01 = FloatVector.fromArray(S, part, o0 + 16);
      FloatVector c02 = FloatVector.fromArray(S, part, o0 + 32);
      FloatVector c03 = FloatVector.fromArray(S, part, o0 + 48);
      for (int p = s0; p < s1; p++) {
        int q = bOff + p * ldb;
        FloatVector x = FloatVector.broadcast(S, a[ai0 + p * lda]);
        c00 = x.fma(FloatVector.fromArray(S, b, q), c00);
        c01 = x.fma(FloatVector.fromArray(S, b, q + 16), c01);
        c02 = x.fma(FloatVector.fromArray(S, b, q + 32), c02);
        c03 = x.fma(FloatVector.fromArray(S, b, q + 48), c03);
      }
      c00.intoArray(part, o0);
      c01.intoArray(part, o0 + 16);
      c02.intoArray(part, o0 + 32);
      c03.intoArray(part, o0 + 48);
    }
  }

  /**
   * part[pOff ..] (row stride ldp) += rows [s0, s1) of a^T b, 16 columns of b from bOff, the
   * lanes past b's last column masked off (they stay zero).
   */
  private static void reduce1(float[] part, int pOff, int ldp, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, int m, int s0, int s1,
                              VectorMask<Float> mask) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int o0 = pOff + i * ldp, o1 = o0 + ldp, o2 = o1 + ldp, o3 = o2 + ldp;
      FloatVector c0 = FloatVector.fromArray(S, part, o0);
      FloatVector c1 = FloatVector.fromArray(S, part, o1);
      FloatVector c2 = FloatVector.fromArray(S, part, o2);
      FloatVector c3 = FloatVector.fromArray(S, part, o3);
      for (int p = s0; p < s1; p++) {
        int ai = aOff + p * lda + i;
        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb, mask);
        c0 = FloatVector.broadcast(S, a[ai]).fma(bv, c0);
        c1 = FloatVector.broadcast(S, a[ai + 1]).fma(bv, c1);
        c2 = FloatVector.broadcast(S, a[ai + 2]).fma(bv, c2);
        c3 = FloatVector.broadcast(S, a[ai + 3]).fma(bv, c3);
      }
      c0.intoArray(part, o0);
      c1.intoArray(part, o1);
      c2.intoArray(part, o2);
      c3.intoArray(part, o3);
    }
    for (; i < m; i++) {
      int o0 = pOff + i * ldp;
      FloatVector c0 = FloatVector.fromArray(S, part, o0);
      for (int p = s0; p < s1; p++) {
        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb, mask);
        c0 = FloatVector.broadcast(S, a[aOff + p * lda + i]).fma(bv, c0);
      }
      c0.intoArray(part, o0);
    }
  }
}
