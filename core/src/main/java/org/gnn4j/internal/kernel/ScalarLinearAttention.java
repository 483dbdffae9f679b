package org.gnn4j.internal.kernel;

import java.util.function.IntFunction;

/**
 * {@link LinearAttentionKernels} in plain Java around the kernel set's {@link DenseKernels} (the
 * per-block products, each called single-threaded inside the thread that owns the rows) and
 * {@link MathKernels}. Nodes are split into one contiguous range per thread; each thread sums kv
 * and ksum for its own nodes and the partial sums are added in thread order, so the bits depend
 * only on the thread count.
 */
final class ScalarLinearAttention implements LinearAttentionKernels {
  /**
   * Nodes per block when the caller keeps x W^T: the block's products then read stored
   * pre-activations, and longer inner dimensions (BLOCK) keep OpenBLAS near its speed. Also the
   * least work per thread ({@link #chunkBounds}).
   */
  static final int BLOCK = 512;
  /**
   * Nodes per block when x W^T is recomputed: [block * H, M] floats per buffer, about 0.5 MB at
   * H = 4, M = 266, so that a block's feature maps stay in a core's L2 cache from the product
   * that writes them through the ReLU pass to the products that read them (docs/bench/layers.md
   * has the sizes tried). The two paths therefore sum the blocks' products in other groupings
   * and differ in their last bits.
   */
  static final int RECOMPUTE_BLOCK = 128;

  private final DenseKernels dense;
  private final MathKernels math;

  ScalarLinearAttention(DenseKernels dense, MathKernels math) {
    this.dense = dense;
    this.math = math;
  }

  /** Per-thread buffers for one block of nodes, from the caller's scratch allocator. */
  private static final class Work {
    final int block;          // nodes per block: BLOCK or RECOMPUTE_BLOCK
    final float[] pre;        // pre: [block * H, M], x W^T; null when the caller keeps x W^T
    final float[] phi;        // phi: [block * H, M], relu(pre) + eps
    final float[] dphi;       // dphi: [block * H, M], backward only
    final float[] dnum;       // dnum: [block, C], backward only
    final float[] dden;       // dden: [block], backward only
    float[] preSrc;           // where the current block's x W^T is: pre, or the caller's copy
    int preOff;

    Work(int heads, int m, int c, boolean backward, boolean kept, IntFunction<float[]> scratch) {
      block = kept ? BLOCK : RECOMPUTE_BLOCK;
      pre = kept ? null : scratch.apply(block * heads * m);
      phi = scratch.apply(block * heads * m);
      dphi = backward ? scratch.apply(block * heads * m) : null;
      dnum = backward ? scratch.apply(block * c) : null;
      dden = backward ? scratch.apply(block) : null;
    }

    /** One per chunk, taken here on the calling thread (a step's pool serves that thread only). */
    static Work[] perChunk(int chunks, int heads, int m, int c, boolean backward, boolean kept,
                           IntFunction<float[]> scratch) {
      Work[] w = new Work[chunks];
      for (int i = 0; i < chunks; i++) w[i] = new Work(heads, m, c, backward, kept, scratch);
      return w;
    }
  }

  /** Partial per-graph sums of one thread over graphs first .. first + count - 1. */
  private record Partial(int first, float[] kv, float[] ksum) {}

  @Override
  public void forward(float[] out, float[] den, float[] kv, float[] ksum, float[] q, float[] k,
      float[] v, float[] w, float[] ksumExtra, int[] graphPtr, int heads, int c, int m, float eps,
      float[] preQ, float[] preK, IntFunction<float[]> scratch, Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int[] bounds = chunkBounds(n, par.threads());
    Partial[] parts = new Partial[bounds.length - 1];
    Work[] works = Work.perChunk(bounds.length - 1, heads, m, c, false,
        preQ != null && preK != null, scratch);
    par.forBounds(bounds, (ch, from, to) -> parts[ch] = sumKeys(works[ch], k, v, w, preK,
        graphPtr, from, to, heads, c, m, eps, dense, math));
    reduce(kv, ksum, parts, heads * m * c, heads * m);
    if (ksumExtra != null) for (int i = 0; i < ksum.length; i++) ksum[i] += ksumExtra[i];
    // kvz = [kv | ksum], [G, H, M, C + 1]: numerator and denominator from one product
    int groups = ksum.length / m;
    float[] kvz = new float[groups * m * (c + 1)];
    for (int r = 0; r < groups * m; r++) {
      System.arraycopy(kv, r * c, kvz, r * (c + 1), c);
      kvz[r * (c + 1) + c] = ksum[r];
    }
    par.forBounds(bounds, (ch, from, to) ->
        queries(works[ch], out, den, q, w, preQ, kvz, graphPtr, from, to, heads, c, m, eps, dense));
  }

  /** kv and ksum of the keys in [from, to), for the graphs those nodes belong to. */
  private static Partial sumKeys(Work wk, float[] k, float[] v, float[] w, float[] preK,
                                 int[] graphPtr, int from, int to, int heads, int c, int m,
                                 float eps, DenseKernels dense, MathKernels math) {
    Parallel serial = new Parallel(1);
    int g0 = graphOf(graphPtr, from);
    int graphs = graphOf(graphPtr, to - 1) - g0 + 1;
    float[] pkv = new float[graphs * heads * m * c];      // pkv: [graphs, H, M, C]
    float[] pz = new float[graphs * heads * m];           // pz: [graphs, H, M]
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, k, w, preK, true, b0, b1, heads, c, m, eps, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          int gh = (g - g0) * heads + h;
          int phiOff = ((s - b0) * heads + h) * m;
          // kv[M, C] += phi_h^T [M, rows] v_h [rows, C]
          dense.sgemm(pkv, gh * m * c, c, 1f, wk.phi, phiOff, hm, true,
              v, (s * heads + h) * c, heads * c, false, 1f, m, c, e - s, serial);
          for (int i = 0; i < e - s; i++) math.axpy(pz, gh * m, 1f, wk.phi, phiOff + i * hm, m);
        }
        s = e;
      }
    }
    return new Partial(g0, pkv, pz);
  }

  /** out and den of the queries in [from, to). */
  private static void queries(Work wk, float[] out, float[] den, float[] q, float[] w,
                              float[] preQ, float[] kvz, int[] graphPtr, int from, int to,
                              int heads, int c, int m, float eps, DenseKernels dense) {
    Parallel serial = new Parallel(1);
    float[] numDen = new float[wk.block * (c + 1)];       // numDen: [block, C + 1]
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, q, w, preQ, true, b0, b1, heads, c, m, eps, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int phiOff = ((s - b0) * heads + h) * m;
          // [num | den] [rows, C + 1] = phi_h [rows, M] [kv | ksum] [M, C + 1]
          dense.sgemm(numDen, 0, c + 1, 0f, wk.phi, phiOff, hm, false,
              kvz, gh * m * (c + 1), c + 1, false, 1f, e - s, c + 1, m, serial);
          for (int i = s; i < e; i++) {
            int r = (i - s) * (c + 1);
            float d = numDen[r + c];
            den[i * heads + h] = d;
            float inv = 1f / d;
            int o = (i * heads + h) * c;
            for (int f = 0; f < c; f++) out[o + f] = numDen[r + f] * inv;
          }
        }
        s = e;
      }
    }
  }

  @Override
  public void backward(float[] dq, float[] dk, float[] dv, float[] dKsum, float[] dOut,
      float[] out, float[] den, float[] kv, float[] ksum, float[] q, float[] k, float[] v,
      float[] w, int[] graphPtr, int heads, int c, int m, float eps, float[] preQ, float[] preK,
      IntFunction<float[]> scratch, Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int[] bounds = chunkBounds(n, par.threads());
    Partial[] parts = new Partial[bounds.length - 1];
    Work[] works = Work.perChunk(bounds.length - 1, heads, m, c, true,
        preQ != null && preK != null, scratch);
    par.forBounds(bounds, (ch, from, to) -> parts[ch] = queryGrads(works[ch], dq, dOut, out, den,
        kv, ksum, q, w, preQ, graphPtr, from, to, heads, c, m, eps, dense, math));
    float[] dKv = new float[kv.length];                  // dKv: [G, H, M, C]
    reduce(dKv, dKsum, parts, heads * m * c, heads * m);
    if (dk == null && dv == null) return;
    par.forBounds(bounds, (ch, from, to) -> keyGrads(works[ch], dk, dv, dKv, dKsum, k, v, w, preK,
        graphPtr, from, to, heads, c, m, eps, dense, math));
  }

  /** dq of the queries in [from, to) and their partial dkv, dksum. */
  private static Partial queryGrads(Work wk, float[] dq, float[] dOut, float[] out, float[] den,
                                    float[] kv, float[] ksum, float[] q, float[] w, float[] preQ,
                                    int[] graphPtr, int from, int to, int heads, int c, int m,
                                    float eps, DenseKernels dense, MathKernels math) {
    Parallel serial = new Parallel(1);
    int g0 = graphOf(graphPtr, from);
    int graphs = graphOf(graphPtr, to - 1) - g0 + 1;
    float[] pdkv = new float[graphs * heads * m * c];     // pdkv: [graphs, H, M, C]
    float[] pdz = new float[graphs * heads * m];          // pdz: [graphs, H, M]
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, q, w, preQ, false, b0, b1, heads, c, m, eps, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        int rows = e - s;
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int ph = (g - g0) * heads + h;
          int phiOff = ((s - b0) * heads + h) * m;
          for (int i = 0; i < rows; i++) {
            int r = ((s + i) * heads + h);
            float inv = 1f / den[r];
            float dot = 0;
            for (int f = 0; f < c; f++) {
              float g1 = dOut[r * c + f];
              wk.dnum[i * c + f] = g1 * inv;
              dot += g1 * out[r * c + f];
            }
            wk.dden[i] = -dot * inv;
          }
          // dkv [M, C] += phi_h^T [M, rows] dnum [rows, C]
          dense.sgemm(pdkv, ph * m * c, c, 1f, wk.phi, phiOff, hm, true, wk.dnum, 0, c, false,
              1f, m, c, rows, serial);
          for (int i = 0; i < rows; i++) {
            math.axpy(pdz, ph * m, wk.dden[i], wk.phi, phiOff + i * hm, m);
          }
          if (dq == null) continue;
          // dphi_h [rows, M] = dnum [rows, C] kv^T [C, M] + dden ksum^T
          dense.sgemm(wk.dphi, phiOff, hm, 0f, wk.dnum, 0, c, false, kv, gh * m * c, c, true,
              1f, rows, m, c, serial);
          for (int i = 0; i < rows; i++) {
            math.axpy(wk.dphi, phiOff + i * hm, wk.dden[i], ksum, gh * m, m);
          }
        }
        s = e;
      }
      if (dq != null) inputGrad(dq, wk, w, b0, b1, heads, c, m, dense, serial);
    }
    return new Partial(g0, pdkv, pdz);
  }

  /** dk and dv of the keys in [from, to), given the complete dkv and dksum. */
  private static void keyGrads(Work wk, float[] dk, float[] dv, float[] dKv, float[] dKsum,
                               float[] k, float[] v, float[] w, float[] preK, int[] graphPtr,
                               int from, int to, int heads, int c, int m, float eps,
                               DenseKernels dense, MathKernels math) {
    Parallel serial = new Parallel(1);
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, k, w, preK, false, b0, b1, heads, c, m, eps, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        int rows = e - s;
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int phiOff = ((s - b0) * heads + h) * m;
          if (dv != null) {
            // dv_h [rows, C] = phi_h [rows, M] dkv [M, C]
            dense.sgemm(dv, (s * heads + h) * c, heads * c, 0f, wk.phi, phiOff, hm, false,
                dKv, gh * m * c, c, false, 1f, rows, c, m, serial);
          }
          if (dk == null) continue;
          // dphi_h [rows, M] = v_h [rows, C] dkv^T [C, M] + 1 dksum^T
          dense.sgemm(wk.dphi, phiOff, hm, 0f, v, (s * heads + h) * c, heads * c, false,
              dKv, gh * m * c, c, true, 1f, rows, m, c, serial);
          for (int i = 0; i < rows; i++) math.axpy(wk.dphi, phiOff + i * hm, 1f, dKsum, gh * m, m);
        }
        s = e;
      }
      if (dk != null) inputGrad(dk, wk, w, b0, b1, heads, c, m, dense, serial);
    }
  }

  /**
   * wk.phi = relu(x W^T) + eps for the rows of nodes [b0, b1), and where x W^T is in
   * wk.preSrc / wk.preOff (the backward's relu mask). With {@code kept} (the whole [N * H, M]
   * x W^T), the forward ({@code fill}) writes the product there, and the backward reads it there
   * rather than multiplying again (or copying it into a block buffer).
   */
  private static void featureMap(Work wk, float[] x, float[] w, float[] kept, boolean fill,
                                 int b0, int b1, int heads, int c, int m, float eps,
                                 DenseKernels dense, Parallel serial) {
    int rows = (b1 - b0) * heads;
    float[] pre = kept != null ? kept : wk.pre;
    int off = kept != null ? b0 * heads * m : 0;
    if (kept == null || fill) {
      dense.sgemm(pre, off, m, 0f, x, b0 * heads * c, c, false, w, 0, c, true, 1f, rows, m, c,
          serial);
    }
    float[] phi = wk.phi;
    for (int i = 0, len = rows * m; i < len; i++) phi[i] = Math.max(pre[off + i], 0f) + eps;
    wk.preSrc = pre;
    wk.preOff = off;
  }

  /** dx[b0 .. b1) = (dphi where pre > 0, else 0) W: [rows, M] x [M, C]. */
  private static void inputGrad(float[] dx, Work wk, float[] w, int b0, int b1, int heads,
                                int c, int m, DenseKernels dense, Parallel serial) {
    int rows = (b1 - b0) * heads;
    float[] dphi = wk.dphi;
    float[] pre = wk.preSrc;
    int off = wk.preOff;
    // relu's mask, the rule of MathKernels.activationBackward without its branch (pre sits at
    // an offset of its own, so that kernel's single range does not fit)
    for (int i = 0, len = rows * m; i < len; i++) {
      int notPositive = SignMask.notPositive(pre[off + i]);
      dphi[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dphi[i]) & ~notPositive);
    }
    dense.sgemm(dx, b0 * heads * c, c, 0f, dphi, 0, m, false, w, 0, c, false, 1f, rows, c, m,
        serial);
  }

  /** Adds the threads' partial sums into kv [G, ...] and ksum [G, ...], in thread order. */
  private static void reduce(float[] kv, float[] ksum, Partial[] parts, int kvPerGraph,
                             int ksumPerGraph) {
    for (Partial p : parts) {
      if (p == null) continue;
      int kvOff = p.first() * kvPerGraph;
      for (int i = 0; i < p.kv().length; i++) kv[kvOff + i] += p.kv()[i];
      int zOff = p.first() * ksumPerGraph;
      for (int i = 0; i < p.ksum().length; i++) ksum[zOff + i] += p.ksum()[i];
    }
  }

  /** One contiguous node range per thread (a single range for small inputs). */
  static int[] chunkBounds(int n, int threads) {
    int chunks = Math.max(1, Math.min(threads, n / BLOCK));
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    return bounds;
  }

  /** The graph whose node range holds {@code node}: the last g with graphPtr[g] <= node. */
  static int graphOf(int[] graphPtr, int node) {
    int lo = 0;
    int hi = graphPtr.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (graphPtr[mid] <= node) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
