package org.gnn4j.internal.kernel.vector;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.BlockAttentionKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Exact within-graph attention (FlashAttention's scheme, Dao et al. arXiv:2205.14135) with
 * register-blocked Vector API micro-kernels. The lanes of every vector run over a tile of
 * {@link #W} queries (forward, dq) or W keys (dk, dv); that tile is packed transposed, [C, W],
 * once per tile, and the other side streams through as rows of a head-major copy, [H, N, C].
 * Then a score block is {@code sT[j, w] = sum_d a[j, d] xT[d, w]}: 4 rows x 2 vectors of
 * partial sums stay in registers over the C steps, one broadcast of a[j, d] feeding two FMAs; and
 * the value product is {@code accT[d, w] += sum_j a[j, d] pT[j, w]}: 4 channels x 2 vectors of
 * the output tile in registers over the streamed rows. The online softmax runs lane-wise (one
 * running max and sum per query lane), so no horizontal reduction is ever needed and any C
 * works. Threads take tiles from a shared counter (a thread that another process slows down on
 * this shared machine takes fewer of them, where a static split waits for it); every tile is
 * computed by one thread in a fixed order whichever it is, so the bits do not depend on the
 * schedule or the thread count, and exp is {@link Lanes#exp}, whose bits do not depend on the
 * JIT.
 */
final class VectorBlockAttention implements BlockAttentionKernels {
  private static final VectorSpecies<Float> S = Lanes.S;
  private static final int L = S.length();
  /** Lanes of a tile: two vectors, so each broadcast feeds two FMAs. */
  static final int W = 2 * L;
  /** Rows streamed per step: the [BK, W] score blocks stay in L1. */
  static final int BK = 64;

  static final VectorBlockAttention INSTANCE = new VectorBlockAttention();

  private VectorBlockAttention() {}

  @Override
  public void forward(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] graphPtr,
                      int heads, int c, float scale, Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int hc = heads * c;
    float[] kh = headMajor(k, n, heads, c);                 // kh, vh: [H, N, C]
    float[] vh = headMajor(v, n, heads, c);
    int[] tiles = tiles(graphPtr);
    AtomicInteger next = new AtomicInteger();
    par.forRange(par.threads(), 1, (chunk, c0, c1) -> {
      float[] qT = new float[c * W];                        // qT: [C, W] scaled queries
      float[] accT = new float[c * W];                      // accT: [C, W] unnormalised output
      float[] sT = new float[BK * W];                       // sT: [BK, W] scores, then weights
      float[] m = new float[W];                             // m, l: [W] running max and sum
      float[] l = new float[W];
      float[] corr = new float[W];                          // corr: [W] rescale of accT
      for (int t = next.getAndIncrement(); t < tiles.length / 2; t = next.getAndIncrement()) {
        int g = tiles[2 * t + 1];
        int r0 = tiles[2 * t];
        int nq = Math.min(W, graphPtr[g + 1] - r0);
        for (int h = 0; h < heads; h++) {
          packT(qT, q, r0, nq, h * c, hc, c, scale);
          Arrays.fill(accT, 0f);
          Arrays.fill(m, Float.NEGATIVE_INFINITY);
          Arrays.fill(l, 0f);
          int base = h * n * c;
          for (int j0 = graphPtr[g]; j0 < graphPtr[g + 1]; j0 += BK) {
            int nk = Math.min(BK, graphPtr[g + 1] - j0);
            rowsTimesTile(sT, kh, base + j0 * c, nk, c, qT);
            onlineSoftmax(sT, nk, m, l, corr);
            tileAccumulate(accT, corr, vh, base + j0 * c, nk, c, sT);
          }
          for (int w = 0; w < nq; w++) {
            float inv = 1f / l[w];
            int o = (r0 + w) * hc + h * c;
            for (int d = 0; d < c; d++) out[o + d] = accT[d * W + w] * inv;
            lse[(r0 + w) * heads + h] = m[w] + (float) Math.log(l[w]);
          }
        }
      }
    });
  }

  @Override
  public void backwardQuery(float[] dq, float[] dOut, float[] dd, float[] lse, float[] q,
                            float[] k, float[] v, int[] graphPtr, int heads, int c, float scale,
                            Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int hc = heads * c;
    float[] kh = headMajor(k, n, heads, c);
    float[] vh = headMajor(v, n, heads, c);
    int[] tiles = tiles(graphPtr);
    AtomicInteger next = new AtomicInteger();
    par.forRange(par.threads(), 1, (chunk, c0, c1) -> {
      float[] qT = new float[c * W];                        // qT: [C, W] scaled queries
      float[] oT = new float[c * W];                        // oT: [C, W] dOut of the queries
      float[] accT = new float[c * W];                      // accT: [C, W] dq / scale
      float[] sT = new float[BK * W];                       // sT: [BK, W] scores, then p
      float[] dsT = new float[BK * W];                      // dsT: [BK, W] dp, then ds
      float[] lseW = new float[W];                          // lseW, dW: [W] per query lane
      float[] dW = new float[W];
      for (int t = next.getAndIncrement(); t < tiles.length / 2; t = next.getAndIncrement()) {
        int g = tiles[2 * t + 1];
        int r0 = tiles[2 * t];
        int nq = Math.min(W, graphPtr[g + 1] - r0);
        for (int h = 0; h < heads; h++) {
          packT(qT, q, r0, nq, h * c, hc, c, scale);
          packT(oT, dOut, r0, nq, h * c, hc, c, 1f);
          Arrays.fill(lseW, 0f);
          Arrays.fill(dW, 0f);
          for (int w = 0; w < nq; w++) {
            lseW[w] = lse[(r0 + w) * heads + h];
            dW[w] = dd[(r0 + w) * heads + h];
          }
          Arrays.fill(accT, 0f);
          int base = h * n * c;
          for (int j0 = graphPtr[g]; j0 < graphPtr[g + 1]; j0 += BK) {
            int nk = Math.min(BK, graphPtr[g + 1] - j0);
            rowsTimesTile(sT, kh, base + j0 * c, nk, c, qT);
            rowsTimesTile(dsT, vh, base + j0 * c, nk, c, oT);
            gradScoresPerLane(sT, dsT, nk, lseW, dW);
            tileAccumulate(accT, null, kh, base + j0 * c, nk, c, dsT);
          }
          unpackT(dq, accT, r0, nq, h * c, hc, c, scale);
        }
      }
    });
  }

  @Override
  public void backwardKey(float[] dk, float[] dv, float[] dOut, float[] dd, float[] lse,
                          float[] q, float[] k, float[] v, int[] graphPtr, int heads, int c,
                          float scale, Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int hc = heads * c;
    float[] qh = headMajor(q, n, heads, c);                 // qh, oh: [H, N, C]
    float[] oh = headMajor(dOut, n, heads, c);
    int[] tiles = tiles(graphPtr);
    AtomicInteger next = new AtomicInteger();
    par.forRange(par.threads(), 1, (chunk, c0, c1) -> {
      float[] kT = new float[c * W];                        // kT: [C, W] scaled keys
      float[] vT = new float[c * W];                        // vT: [C, W] values of those keys
      float[] dkT = new float[c * W];                       // dkT: [C, W] dk / scale
      float[] dvT = new float[c * W];                       // dvT: [C, W] dv
      float[] sT = new float[BK * W];                       // sT: [BK, W] scores, then p
      float[] dsT = new float[BK * W];                      // dsT: [BK, W] dp, then ds
      for (int t = next.getAndIncrement(); t < tiles.length / 2; t = next.getAndIncrement()) {
        int g = tiles[2 * t + 1];
        int r0 = tiles[2 * t];
        int nk = Math.min(W, graphPtr[g + 1] - r0);
        for (int h = 0; h < heads; h++) {
          packT(kT, k, r0, nk, h * c, hc, c, scale);
          packT(vT, v, r0, nk, h * c, hc, c, 1f);
          Arrays.fill(dkT, 0f);
          Arrays.fill(dvT, 0f);
          int base = h * n * c;
          for (int i0 = graphPtr[g]; i0 < graphPtr[g + 1]; i0 += BK) {
            int ni = Math.min(BK, graphPtr[g + 1] - i0);
            rowsTimesTile(sT, qh, base + i0 * c, ni, c, kT);
            rowsTimesTile(dsT, oh, base + i0 * c, ni, c, vT);
            gradScoresPerRow(sT, dsT, ni, lse, dd, i0 * heads + h, heads);
            tileAccumulate(dvT, null, oh, base + i0 * c, ni, c, sT);
            tileAccumulate(dkT, null, qh, base + i0 * c, ni, c, dsT);
          }
          unpackT(dk, dkT, r0, nk, h * c, hc, c, scale);
          unpackT(dv, dvT, r0, nk, h * c, hc, c, 1f);
        }
      }
    });
  }

  // ---- micro-kernels: vectors live only inside each method, so none is boxed across a call --

  /**
   * sT[j * W + w] = sum_d a[aOff + j * c + d] * xT[d * W + w] for j < nr: rows times a packed
   * tile, 4 rows x 2 vectors of sums in registers.
   */
  private static void rowsTimesTile(float[] sT, float[] a, int aOff, int nr, int c, float[] xT) {
    int j = 0;
    for (; j + 4 <= nr; j += 4) {
      FloatVector s00 = FloatVector.zero(S);
      FloatVector s01 = s00;
      FloatVector s10 = s00;
      FloatVector s11 = s00;
      FloatVector s20 = s00;
      FloatVector s21 = s00;
      FloatVector s30 = s00;
      FloatVector s31 = s00;
      int a0 = aOff + j * c;
      for (int d = 0; d < c; d++) {
        FloatVector x0 = FloatVector.fromArray(S, xT, d * W);
        FloatVector x1 = FloatVector.fromArray(S, xT, d * W + L);
        FloatVector b = FloatVector.broadcast(S, a[a0 + d]);
        s00 = x0.fma(b, s00);
        s01 = x1.fma(b, s01);
        b = FloatVector.broadcast(S, a[a0 + c + d]);
        s10 = x0.fma(b, s10);
        s11 = x1.fma(b, s11);
        b = FloatVector.broadcast(S, a[a0 + 2 * c + d]);
        s20 = x0.fma(b, s20);
        s21 = x1.fma(b, s21);
        b = FloatVector.broadcast(S, a[a0 + 3 * c + d]);
        s30 = x0.fma(b, s30);
        s31 = x1.fma(b, s31);
      }
      int o = j * W;
      s00.intoArray(sT, o);
      s01.intoArray(sT, o + L);
      s10.intoArray(sT, o + W);
      s11.intoArray(sT, o + W + L);
      s20.intoArray(sT, o + 2 * W);
      s21.intoArray(sT, o + 2 * W + L);
      s30.intoArray(sT, o + 3 * W);
      s31.intoArray(sT, o + 3 * W + L);
    }
    for (; j < nr; j++) {
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      int a0 = aOff + j * c;
      for (int d = 0; d < c; d++) {
        FloatVector b = FloatVector.broadcast(S, a[a0 + d]);
        s0 = FloatVector.fromArray(S, xT, d * W).fma(b, s0);
        s1 = FloatVector.fromArray(S, xT, d * W + L).fma(b, s1);
      }
      s0.intoArray(sT, j * W);
      s1.intoArray(sT, j * W + L);
    }
  }

  /**
   * accT[d * W + w] = accT[d * W + w] * corr[w] + sum_{j < nr} a[aOff + j * c + d] pT[j * W + w]
   * (corr null: 1): 4 channels x 2 vectors of the tile in registers over the streamed rows.
   */
  private static void tileAccumulate(float[] accT, float[] corr, float[] a, int aOff, int nr,
                                     int c, float[] pT) {
    FloatVector c0 = corr == null ? FloatVector.broadcast(S, 1f)
        : FloatVector.fromArray(S, corr, 0);
    FloatVector c1 = corr == null ? c0 : FloatVector.fromArray(S, corr, L);
    int d = 0;
    for (; d + 4 <= c; d += 4) {
      int o = d * W;
      FloatVector t00 = FloatVector.fromArray(S, accT, o).mul(c0);
      FloatVector t01 = FloatVector.fromArray(S, accT, o + L).mul(c1);
      FloatVector t10 = FloatVector.fromArray(S, accT, o + W).mul(c0);
      FloatVector t11 = FloatVector.fromArray(S, accT, o + W + L).mul(c1);
      FloatVector t20 = FloatVector.fromArray(S, accT, o + 2 * W).mul(c0);
      FloatVector t21 = FloatVector.fromArray(S, accT, o + 2 * W + L).mul(c1);
      FloatVector t30 = FloatVector.fromArray(S, accT, o + 3 * W).mul(c0);
      FloatVector t31 = FloatVector.fromArray(S, accT, o + 3 * W + L).mul(c1);
      for (int j = 0; j < nr; j++) {
        FloatVector p0 = FloatVector.fromArray(S, pT, j * W);
        FloatVector p1 = FloatVector.fromArray(S, pT, j * W + L);
        int aj = aOff + j * c + d;
        FloatVector b = FloatVector.broadcast(S, a[aj]);
        t00 = p0.fma(b, t00);
        t01 = p1.fma(b, t01);
        b = FloatVector.broadcast(S, a[aj + 1]);
        t10 = p0.fma(b, t10);
        t11 = p1.fma(b, t11);
        b = FloatVector.broadcast(S, a[aj + 2]);
        t20 = p0.fma(b, t20);
        t21 = p1.fma(b, t21);
        b = FloatVector.broadcast(S, a[aj + 3]);
        t30 = p0.fma(b, t30);
        t31 = p1.fma(b, t31);
      }
      t00.intoArray(accT, o);
      t01.intoArray(accT, o + L);
      t10.intoArray(accT, o + W);
      t11.intoArray(accT, o + W + L);
      t20.intoArray(accT, o + 2 * W);
      t21.intoArray(accT, o + 2 * W + L);
      t30.intoArray(accT, o + 3 * W);
      t31.intoArray(accT, o + 3 * W + L);
    }
    for (; d < c; d++) {
      int o = d * W;
      FloatVector t0 = FloatVector.fromArray(S, accT, o).mul(c0);
      FloatVector t1 = FloatVector.fromArray(S, accT, o + L).mul(c1);
      for (int j = 0; j < nr; j++) {
        FloatVector b = FloatVector.broadcast(S, a[aOff + j * c + d]);
        t0 = FloatVector.fromArray(S, pT, j * W).fma(b, t0);
        t1 = FloatVector.fromArray(S, pT, j * W + L).fma(b, t1);
      }
      t0.intoArray(accT, o);
      t1.intoArray(accT, o + L);
    }
  }

  /**
   * One online-softmax step per query lane over nr rows of scores: m_new = max(m, max_j s),
   * corr = exp(m - m_new), sT becomes p = exp(s - m_new), l = l corr + sum_j p. On the first
   * step m = -inf and Lanes.exp gives a tiny corr that multiplies zeros.
   */
  private static void onlineSoftmax(float[] sT, int nr, float[] m, float[] l, float[] corr) {
    for (int v = 0; v < W; v += L) {
      FloatVector mx = FloatVector.fromArray(S, sT, v);
      for (int j = 1; j < nr; j++) mx = mx.max(FloatVector.fromArray(S, sT, j * W + v));
      FloatVector mOld = FloatVector.fromArray(S, m, v);
      FloatVector mNew = mOld.max(mx);
      FloatVector sum = FloatVector.zero(S);
      for (int j = 0; j < nr; j++) {
        FloatVector p = Lanes.exp(FloatVector.fromArray(S, sT, j * W + v).sub(mNew));
        p.intoArray(sT, j * W + v);
        sum = sum.add(p);
      }
      FloatVector cr = Lanes.exp(mOld.sub(mNew));
      cr.intoArray(corr, v);
      FloatVector.fromArray(S, l, v).fma(cr, sum).intoArray(l, v);
      mNew.intoArray(m, v);
    }
  }

  /** Lanes are queries: sT becomes p = exp(s - lse), dsT (holding dp) becomes p (dp - D). */
  private static void gradScoresPerLane(float[] sT, float[] dsT, int nr, float[] lseW,
                                        float[] dW) {
    for (int v = 0; v < W; v += L) {
      FloatVector lv = FloatVector.fromArray(S, lseW, v);
      FloatVector dv = FloatVector.fromArray(S, dW, v);
      for (int j = 0; j < nr; j++) {
        int o = j * W + v;
        FloatVector p = Lanes.exp(FloatVector.fromArray(S, sT, o).sub(lv));
        p.intoArray(sT, o);
        p.mul(FloatVector.fromArray(S, dsT, o).sub(dv)).intoArray(dsT, o);
      }
    }
  }

  /** Rows are queries (lse and D at lse[off + i * stride]): as {@link #gradScoresPerLane}. */
  private static void gradScoresPerRow(float[] sT, float[] dsT, int nr, float[] lse, float[] dd,
                                       int off, int stride) {
    for (int i = 0; i < nr; i++) {
      float li = lse[off + i * stride];
      float di = dd[off + i * stride];
      for (int v = 0; v < W; v += L) {
        int o = i * W + v;
        FloatVector p = Lanes.exp(FloatVector.fromArray(S, sT, o).sub(li));
        p.intoArray(sT, o);
        p.mul(FloatVector.fromArray(S, dsT, o).sub(di)).intoArray(dsT, o);
      }
    }
  }

  // ---- packing -------------------------------------------------------------------------------

  /** xT[d * W + w] = f * x[(r0 + w) * hc + off + d] for w < nr, 0 for the padding lanes. */
  private static void packT(float[] xT, float[] x, int r0, int nr, int off, int hc, int c,
                            float f) {
    if (nr < W) Arrays.fill(xT, 0f);
    for (int w = 0; w < nr; w++) {
      int o = (r0 + w) * hc + off;
      for (int d = 0; d < c; d++) xT[d * W + w] = f * x[o + d];
    }
  }

  /** out[(r0 + w) * hc + off + d] = f * accT[d * W + w] for the nr real lanes. */
  private static void unpackT(float[] out, float[] accT, int r0, int nr, int off, int hc, int c,
                              float f) {
    for (int w = 0; w < nr; w++) {
      int o = (r0 + w) * hc + off;
      for (int d = 0; d < c; d++) out[o + d] = f * accT[d * W + w];
    }
  }

  /** [N, H, C] to [H, N, C], so the streamed rows of one head are contiguous. */
  private static float[] headMajor(float[] x, int n, int heads, int c) {
    float[] y = new float[x.length];
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < heads; h++) {
        System.arraycopy(x, (i * heads + h) * c, y, (h * n + i) * c, c);
      }
    }
    return y;
  }

  /** (first row, graph) of every tile: each graph's range cut into pieces of at most W. */
  private static int[] tiles(int[] graphPtr) {
    int count = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      count += (graphPtr[g + 1] - graphPtr[g] + W - 1) / W;
    }
    int[] t = new int[2 * count];
    int p = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      for (int r = graphPtr[g]; r < graphPtr[g + 1]; r += W) {
        t[p++] = r;
        t[p++] = g;
      }
    }
    return t;
  }
}
