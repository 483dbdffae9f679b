package org.gnn4j.internal.kernel.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.Parallel;

/**
 * SGEMM for the products of a layer at most 64 wide on many rows, on 16-lane vectors: a row of
 * C is at most four registers, so four rows of C stay in sixteen accumulators while op(B) (or
 * the rows of B being summed) sits in L1; no packing of A, no cache blocking. OpenBLAS, which
 * served these shapes, packs both operands on every call and splits a weight gradient by rows
 * of C, each thread reading both [N, 64] operands whole. Two shapes:
 * <ul>
 *   <li>{@link #tall}: C[m, n] = alpha A op(B) + beta C with A [m, k] plain, n <= 64, k <= 128
 *       (a layer's forward {@code x W^T} and its input gradient {@code dY W}). op(B) is copied
 *       once as [k, 64] rows, zero-padded.</li>
 *   <li>{@link #reduce}: C[m, n] = alpha A^T B + beta C with A stored [k, m], B stored [k, n],
 *       m <= 128, n <= 64 and k large (the weight gradient {@code dY^T x}, k = the graph's rows).
 *       k is cut into blocks that depend on k alone, each block's partial C is summed by one
 *       thread, and the partials are added in block order: the bits do not depend on the thread
 *       count.</li>
 * </ul>
 * Every width runs through the same two register tiles, the columns past n masked off: the
 * launcher's startup cache, recorded on Cora (a 16-wide GCN), then holds their profiles, and C2
 * compiles them in the first step instead of after seconds of C1 code that boxes every vector.
 * Each C element is a chain of FMAs over k in order, so its bits depend on the shape only. The
 * Performer's per-head products (266 random features against 64 channels) measured no faster
 * here than on OpenBLAS, so they stay there.
 */
final class SgemmNarrow {
  static final VectorSpecies<Float> S = SgemmVector.S;
  private static final int L = S.length();
  /** Columns of one register tile (four vectors); C's width at most. */
  static final int WIDTH = 64;
  /** Most rows of op(B) for {@link #tall}. */
  static final int MAX_TALL_K = 128;
  /** Fewest rows of C for {@link #tall}; fewer go to the kernels for small products. */
  static final int MIN_ROWS = 128;
  /** Fewest rows of the inner dimension for {@link #reduce}. */
  static final int MIN_REDUCE_K = 256;
  /** Most rows of C for {@link #reduce} (a layer's width; its partials are blocks x m x 64). */
  static final int MAX_REDUCE_M = 128;
  /** Inner-dimension rows per block of {@link #reduce} (the block count depends on k only). */
  private static final int REDUCE_BLOCK = 512;
  private static final int MAX_REDUCE_BLOCKS = 16;
  /** Rows of the inner dimension a {@link #reduce} tile streams before the next tile: 16 KB of B. */
  private static final int REDUCE_STRIP = 64;
  /** Rows of C per thread chunk in {@link #tall}. */
  private static final int TALL_GRAIN = 512;

  /**
   * Per calling thread: the packed op(B) of {@link #tall} and the partials of {@link #reduce},
   * kept between calls. A training step otherwise leaves them for the collector at every
   * product, and G1 grew the heap for them.
   */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private SgemmNarrow() {}

  /** Whether {@link #tall} takes the call. */
  static boolean tallApplies(int m, int n, int k, boolean transA) {
    return L == 16 && !transA && k >= 1 && k <= MAX_TALL_K && n >= 1 && n <= WIDTH
        && m >= MIN_ROWS;
  }

  /** Whether {@link #reduce} takes the call. */
  static boolean reduceApplies(int m, int n, int k, boolean transA, boolean transB) {
    return L == 16 && transA && !transB && n >= 1 && n <= WIDTH && m >= 1
        && m <= MAX_REDUCE_M && k >= MIN_REDUCE_K;
  }

  /** The calling thread's scratch of at least {@code len} floats, contents undefined. */
  private static float[] scratch(int len) {
    float[] s = SCRATCH.get();
    if (s.length < len) {
      s = new float[len];
      SCRATCH.set(s);
    }
    return s;
  }

  /**
   * Lanes of C's old values to read: n, or 0 when beta is 0 (C is then never read, so NaN there
   * is overwritten). Arithmetic, not a branch: a branch the startup cache's profile never saw
   * taken would send C2's code back to the interpreter on its first use.
   */
  private static int keep(float beta, int n) {
    int bits = Float.floatToRawIntBits(beta) & 0x7fffffff;
    return n * ((bits | -bits) >>> 31);
  }

  /**
   * c: [m, n] (ldc); a: [m, k] (lda); b: [n, k] (ldb) when transB, else [k, n]; n <= 64.
   * beta = 0 overwrites C (which may hold NaN).
   */
  static void tall(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, boolean transB, float alpha, int m, int n,
                   int k, Parallel par) {
    float[] bp = scratch(k * WIDTH);                         // bp: alpha op(B), [k, 64]
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bp[p * WIDTH + j] = alpha * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
      }
      for (int j = n; j < WIDTH; j++) bp[p * WIDTH + j] = 0f;
    }
    int keep = keep(beta, n);
    par.forRange(m, TALL_GRAIN, (chunk, r0, r1) -> {
      // one call per tile, not one loop over the tiles: the JIT compiles a method after a few
      // hundred calls but a loop only after tens of thousands of iterations
      int i = r0;
      for (; i + 4 <= r1; i += 4) {
        tall4x4(c, cOff + i * ldc, ldc, beta, keep, a, aOff + i * lda, lda, bp, 0, WIDTH, k, n);
      }
      for (; i < r1; i++) tall4x1(c, cOff + i * ldc, beta, keep, a, aOff + i * lda, bp, 0, WIDTH, k, n);
    });
  }

  /**
   * Four rows of C (at o0, stride ldc) from rows a0.. of A: columns [j0, j0 + 64) of the packed
   * op(B), the first {@code cols} of them stored, the rest masked off; beta's term through masked
   * loads ({@code keep} lanes: 0 when beta = 0, so C is never read then, NaN included).
   */
  private static void tall4x4(float[] c, int o0, int ldc, float beta, int keep, float[] a,
                              int a0, int lda, float[] bp, int j0, int ldp, int k, int cols) {
    int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
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
    // written out, not in a helper: a helper taking the accumulators would box them if C2 did
    // not inline it
    FloatVector bv = FloatVector.broadcast(S, beta);
    VectorMask<Float> s0 = S.indexInRange(0, cols), l0 = S.indexInRange(0, keep);
    VectorMask<Float> s1 = S.indexInRange(16, cols), l1 = S.indexInRange(16, keep);
    VectorMask<Float> s2 = S.indexInRange(32, cols), l2 = S.indexInRange(32, keep);
    VectorMask<Float> s3 = S.indexInRange(48, cols), l3 = S.indexInRange(48, keep);
    int o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc;
    FloatVector.fromArray(S, c, o0, l0).fma(bv, c00).intoArray(c, o0, s0);
    FloatVector.fromArray(S, c, o0 + 16, l1).fma(bv, c01).intoArray(c, o0 + 16, s1);
    FloatVector.fromArray(S, c, o0 + 32, l2).fma(bv, c02).intoArray(c, o0 + 32, s2);
    FloatVector.fromArray(S, c, o0 + 48, l3).fma(bv, c03).intoArray(c, o0 + 48, s3);
    FloatVector.fromArray(S, c, o1, l0).fma(bv, c10).intoArray(c, o1, s0);
    FloatVector.fromArray(S, c, o1 + 16, l1).fma(bv, c11).intoArray(c, o1 + 16, s1);
    FloatVector.fromArray(S, c, o1 + 32, l2).fma(bv, c12).intoArray(c, o1 + 32, s2);
    FloatVector.fromArray(S, c, o1 + 48, l3).fma(bv, c13).intoArray(c, o1 + 48, s3);
    FloatVector.fromArray(S, c, o2, l0).fma(bv, c20).intoArray(c, o2, s0);
    FloatVector.fromArray(S, c, o2 + 16, l1).fma(bv, c21).intoArray(c, o2 + 16, s1);
    FloatVector.fromArray(S, c, o2 + 32, l2).fma(bv, c22).intoArray(c, o2 + 32, s2);
    FloatVector.fromArray(S, c, o2 + 48, l3).fma(bv, c23).intoArray(c, o2 + 48, s3);
    FloatVector.fromArray(S, c, o3, l0).fma(bv, c30).intoArray(c, o3, s0);
    FloatVector.fromArray(S, c, o3 + 16, l1).fma(bv, c31).intoArray(c, o3 + 16, s1);
    FloatVector.fromArray(S, c, o3 + 32, l2).fma(bv, c32).intoArray(c, o3 + 32, s2);
    FloatVector.fromArray(S, c, o3 + 48, l3).fma(bv, c33).intoArray(c, o3 + 48, s3);
  }

  /** One row of C (at o0) from row a0 of A; otherwise as {@link #tall4x4}. */
  private static void tall4x1(float[] c, int o0, float beta, int keep, float[] a, int a0,
                              float[] bp, int j0, int ldp, int k, int cols) {
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
    for (int p = 0; p < k; p++) {
      int q = p * ldp + j0;
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c0 = x.fma(FloatVector.fromArray(S, bp, q), c0);
      c1 = x.fma(FloatVector.fromArray(S, bp, q + 16), c1);
      c2 = x.fma(FloatVector.fromArray(S, bp, q + 32), c2);
      c3 = x.fma(FloatVector.fromArray(S, bp, q + 48), c3);
    }
    FloatVector bv = FloatVector.broadcast(S, beta);
    FloatVector.fromArray(S, c, o0, S.indexInRange(0, keep)).fma(bv, c0)
        .intoArray(c, o0, S.indexInRange(0, cols));
    FloatVector.fromArray(S, c, o0 + 16, S.indexInRange(16, keep)).fma(bv, c1)
        .intoArray(c, o0 + 16, S.indexInRange(16, cols));
    FloatVector.fromArray(S, c, o0 + 32, S.indexInRange(32, keep)).fma(bv, c2)
        .intoArray(c, o0 + 32, S.indexInRange(32, cols));
    FloatVector.fromArray(S, c, o0 + 48, S.indexInRange(48, keep)).fma(bv, c3)
        .intoArray(c, o0 + 48, S.indexInRange(48, cols));
  }

  /**
   * c: [m, n] (ldc) = alpha a^T b + beta c; a: stored [k, m] (lda); b: stored [k, n] (ldb);
   * n <= 64. beta = 0 overwrites C (which may hold NaN).
   */
  static void reduce(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float alpha, int m, int n, int k,
                     Parallel par) {
    int blocks = Math.max(1, Math.min(MAX_REDUCE_BLOCKS, k / REDUCE_BLOCK));
    int tile = m * WIDTH;
    float[] part = scratch(blocks * tile);                   // part: [blocks, m, 64]
    Arrays.fill(part, 0, blocks * tile, 0f);
    int[] bounds = new int[blocks + 1];
    for (int t = 0; t <= blocks; t++) bounds[t] = t;
    par.forBounds(bounds, (chunk, t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        int p0 = (int) ((long) k * t / blocks), p1 = (int) ((long) k * (t + 1) / blocks);
        for (int s0 = p0; s0 < p1; s0 += REDUCE_STRIP) {
          int s1 = Math.min(p1, s0 + REDUCE_STRIP);
          int i = 0;
          for (; i + 4 <= m; i += 4) {
            reduce4x4(part, t * tile + i * WIDTH, WIDTH, a, aOff + i, lda, b, bOff, ldb, s0, s1, n);
          }
          for (; i < m; i++) reduce4x1(part, t * tile + i * WIDTH, a, aOff + i, lda, b, bOff, ldb, s0, s1, n);
        }
      }
    });
    for (int i = 0; i < m; i++) {
      int o = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        float s = part[i * WIDTH + j];
        for (int t = 1; t < blocks; t++) s += part[t * tile + i * WIDTH + j];
        c[o + j] = beta == 0f ? alpha * s : alpha * s + beta * c[o + j];
      }
    }
  }

  /**
   * Rows o0.. of part (four, stride ldp) += columns ai0.. (four) of a^T times b's columns
   * [bOff, bOff + 64) over rows [s0, s1); b's columns from {@code cols} on read as zero.
   */
  private static void reduce4x4(float[] part, int o0, int ldp, float[] a, int ai0, int lda,
                                float[] b, int bOff, int ldb, int s0, int s1, int cols) {
    VectorMask<Float> m0 = S.indexInRange(0, cols);
    VectorMask<Float> m1 = S.indexInRange(16, cols);
    VectorMask<Float> m2 = S.indexInRange(32, cols);
    VectorMask<Float> m3 = S.indexInRange(48, cols);
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
      FloatVector b0 = FloatVector.fromArray(S, b, q, m0);
      FloatVector b1 = FloatVector.fromArray(S, b, q + 16, m1);
      FloatVector b2 = FloatVector.fromArray(S, b, q + 32, m2);
      FloatVector b3 = FloatVector.fromArray(S, b, q + 48, m3);
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

  /** Row o0 of part += column ai0 of a^T times b's columns; otherwise as {@link #reduce4x4}. */
  private static void reduce4x1(float[] part, int o0, float[] a, int ai0, int lda, float[] b,
                                int bOff, int ldb, int s0, int s1, int cols) {
    VectorMask<Float> m0 = S.indexInRange(0, cols);
    VectorMask<Float> m1 = S.indexInRange(16, cols);
    VectorMask<Float> m2 = S.indexInRange(32, cols);
    VectorMask<Float> m3 = S.indexInRange(48, cols);
    FloatVector c0 = FloatVector.fromArray(S, part, o0);
    FloatVector c1 = FloatVector.fromArray(S, part, o0 + 16);
    FloatVector c2 = FloatVector.fromArray(S, part, o0 + 32);
    FloatVector c3 = FloatVector.fromArray(S, part, o0 + 48);
    for (int p = s0; p < s1; p++) {
      int q = bOff + p * ldb;
      FloatVector x = FloatVector.broadcast(S, a[ai0 + p * lda]);
      c0 = x.fma(FloatVector.fromArray(S, b, q, m0), c0);
      c1 = x.fma(FloatVector.fromArray(S, b, q + 16, m1), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, q + 32, m2), c2);
      c3 = x.fma(FloatVector.fromArray(S, b, q + 48, m3), c3);
    }
    c0.intoArray(part, o0);
    c1.intoArray(part, o0 + 16);
    c2.intoArray(part, o0 + 32);
    c3.intoArray(part, o0 + 48);
  }
}
