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
   * Nodes per block when the caller keeps relu(x W^T): the block's products then read the stored
   * maps, and longer inner dimensions (BLOCK) keep OpenBLAS near its speed. Also the least work
   * per thread ({@link #chunkBounds}).
   */
  static final int BLOCK = 512;
  /**
   * Nodes per block when x W^T is recomputed: [block * H, M] floats per buffer, about 0.5 MB at
   * H = 4, M = 266, so that a block's feature maps stay in a core's L2 cache from the product
   * that writes them through the ReLU pass to the products that read them (docs/bench/layers.md
   * has the sizes tried). The two paths therefore sum the blocks' products in other groupings
   * and differ in their last bits.
   *
   * <p>Both paths store r = relu(x W^T), never phi = r + eps: every product that reads phi is
   * linear in it, so it reads r and adds eps times a column sum of its other operand (a rank-one
   * term, a few hundred values per graph and head). A kept r then serves the backward as it is,
   * products and ReLU mask alike (r > 0 exactly where x W^T > 0), with no pass over the maps.
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
    final float[] r;          // r: [block * H, M], relu(x W^T); null when the caller keeps it
    final float[] dphi;       // dphi: [block * H, M], backward only
    final float[] dnum;       // dnum: [block, C], backward only
    final float[] dden;       // dden: [block], backward only
    float[] rSrc;             // where the current block's relu(x W^T) is: r, or the caller's copy
    int rOff;

    Work(int heads, int m, int c, boolean backward, boolean kept, IntFunction<float[]> scratch) {
      block = kept ? BLOCK : RECOMPUTE_BLOCK;
      r = kept ? null : scratch.apply(block * heads * m);
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
    float[] epsKvz = epsColumnSums(kvz, groups, m, c + 1, eps);   // [G * H, C + 1]
    par.forBounds(bounds, (ch, from, to) -> queries(works[ch], out, den, q, w, preQ, kvz, epsKvz,
        graphPtr, from, to, heads, c, m, dense));
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
    double[] vSum = new double[graphs * heads * c];       // vSum: [graphs, H, C], eps's term
    double[] count = new double[graphs * heads];
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, k, w, preK, true, b0, b1, heads, c, m, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          int gh = (g - g0) * heads + h;
          int rOff = wk.rOff + ((s - b0) * heads + h) * m;
          // kv[M, C] += r_h^T [M, rows] v_h [rows, C]
          dense.sgemm(pkv, gh * m * c, c, 1f, wk.rSrc, rOff, hm, true,
              v, (s * heads + h) * c, heads * c, false, 1f, m, c, e - s, serial);
          axpyRows(math, pz, gh * m, null, wk.rSrc, rOff, hm, m, e - s);
          addRows(vSum, gh * c, v, (s * heads + h) * c, heads * c, c, e - s);
          count[gh] += e - s;
        }
        s = e;
      }
    }
    // phi = r + eps: kv += eps 1 (sum of v), ksum += eps (rows)
    addEpsTerms(pkv, pz, vSum, count, graphs * heads, m, c, eps);
    return new Partial(g0, pkv, pz);
  }

  /** out and den of the queries in [from, to). */
  private static void queries(Work wk, float[] out, float[] den, float[] q, float[] w,
                              float[] preQ, float[] kvz, float[] epsKvz, int[] graphPtr, int from,
                              int to, int heads, int c, int m, DenseKernels dense) {
    Parallel serial = new Parallel(1);
    float[] numDen = new float[wk.block * (c + 1)];       // numDen: [block, C + 1]
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, q, w, preQ, true, b0, b1, heads, c, m, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int rOff = wk.rOff + ((s - b0) * heads + h) * m;
          // [num | den] [rows, C + 1] = (r_h + eps) [rows, M] [kv | ksum] [M, C + 1]
          dense.sgemm(numDen, 0, c + 1, 0f, wk.rSrc, rOff, hm, false,
              kvz, gh * m * (c + 1), c + 1, false, 1f, e - s, c + 1, m, serial);
          divideRows(out, den, numDen, epsKvz, gh * (c + 1), s, e, heads, h, c);
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
    float[] epsDKv = dv == null ? null : epsColumnSums(dKv, dKsum.length / m, m, c, eps);  // [G * H, C]
    par.forBounds(bounds, (ch, from, to) -> keyGrads(works[ch], dk, dv, dKv, epsDKv, dKsum, k, v,
        w, preK, graphPtr, from, to, heads, c, m, dense, math));
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
    double[] dnumSum = new double[graphs * heads * c];    // dnumSum: [graphs, H, C], eps's term
    double[] ddenSum = new double[graphs * heads];
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, q, w, preQ, false, b0, b1, heads, c, m, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        int rows = e - s;
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int ph = (g - g0) * heads + h;
          int blockOff = ((s - b0) * heads + h) * m;
          int rOff = wk.rOff + blockOff;
          quotientGrads(wk.dnum, wk.dden, ddenSum, ph, dOut, out, den, s, rows, heads, h, c);
          addRows(dnumSum, ph * c, wk.dnum, 0, c, c, rows);
          // dkv [M, C] += r_h^T [M, rows] dnum [rows, C] (eps's term after the loop)
          dense.sgemm(pdkv, ph * m * c, c, 1f, wk.rSrc, rOff, hm, true, wk.dnum, 0, c, false,
              1f, m, c, rows, serial);
          axpyRows(math, pdz, ph * m, wk.dden, wk.rSrc, rOff, hm, m, rows);
          if (dq == null) continue;
          // dphi_h [rows, M] = dnum [rows, C] kv^T [C, M] + dden ksum^T
          dense.sgemm(wk.dphi, blockOff, hm, 0f, wk.dnum, 0, c, false, kv, gh * m * c, c, true,
              1f, rows, m, c, serial);
          axpyEachRow(math, wk.dphi, blockOff, hm, wk.dden, ksum, gh * m, m, rows);
        }
        s = e;
      }
      if (dq != null) inputGrad(dq, wk, w, b0, b1, heads, c, m, dense, serial);
    }
    addEpsTerms(pdkv, pdz, dnumSum, ddenSum, graphs * heads, m, c, eps);
    return new Partial(g0, pdkv, pdz);
  }

  /** dk and dv of the keys in [from, to), given the complete dkv and dksum. */
  private static void keyGrads(Work wk, float[] dk, float[] dv, float[] dKv, float[] epsDKv,
                               float[] dKsum, float[] k, float[] v, float[] w, float[] preK,
                               int[] graphPtr, int from, int to, int heads, int c, int m,
                               DenseKernels dense, MathKernels math) {
    Parallel serial = new Parallel(1);
    int hm = heads * m;
    for (int b0 = from; b0 < to; b0 += wk.block) {
      int b1 = Math.min(to, b0 + wk.block);
      featureMap(wk, k, w, preK, false, b0, b1, heads, c, m, dense, serial);
      int g = graphOf(graphPtr, b0);
      for (int s = b0; s < b1; ) {
        while (graphPtr[g + 1] <= s) g++;
        int e = Math.min(b1, graphPtr[g + 1]);
        int rows = e - s;
        for (int h = 0; h < heads; h++) {
          int gh = g * heads + h;
          int blockOff = ((s - b0) * heads + h) * m;   // in the block's buffers; r's is rOff + it
          if (dv != null) {
            // dv_h [rows, C] = (r_h + eps) [rows, M] dkv [M, C]
            int o = (s * heads + h) * c;
            dense.sgemm(dv, o, heads * c, 0f, wk.rSrc, wk.rOff + blockOff, hm, false,
                dKv, gh * m * c, c, false, 1f, rows, c, m, serial);
            addToRows(dv, o, heads * c, epsDKv, gh * c, c, rows);
          }
          if (dk == null) continue;
          // dphi_h [rows, M] = v_h [rows, C] dkv^T [C, M] + 1 dksum^T
          dense.sgemm(wk.dphi, blockOff, hm, 0f, v, (s * heads + h) * c, heads * c, false,
              dKv, gh * m * c, c, true, 1f, rows, m, c, serial);
          axpyEachRow(math, wk.dphi, blockOff, hm, null, dKsum, gh * m, m, rows);
        }
        s = e;
      }
      if (dk != null) inputGrad(dk, wk, w, b0, b1, heads, c, m, dense, serial);
    }
  }

  /**
   * relu(x W^T) of the rows of nodes [b0, b1), pointed to by wk.rSrc / wk.rOff. With
   * {@code kept} (the whole [N * H, M] map), the forward ({@code fill}) writes it there and the
   * backward reads it there as it is; otherwise it is computed into the block's buffer.
   */
  private static void featureMap(Work wk, float[] x, float[] w, float[] kept, boolean fill,
                                 int b0, int b1, int heads, int c, int m, DenseKernels dense,
                                 Parallel serial) {
    int rows = (b1 - b0) * heads;
    float[] r = kept != null ? kept : wk.r;
    int off = kept != null ? b0 * heads * m : 0;
    if (kept == null || fill) {
      dense.sgemm(r, off, m, 0f, x, b0 * heads * c, c, false, w, 0, c, true, 1f, rows, m, c,
          serial);
      relu(r, off, rows * m);
    }
    wk.rSrc = r;
    wk.rOff = off;
  }

  // The row loops below are methods of their own so that C2 compiles each as a small unit as soon
  // as it is hot; the block and head loops around them (sumKeys, queries, queryGrads, keyGrads)
  // then iterate too few times to be compiled at all, where inlined they made compilation units of
  // about 30 kB that C2 compiled two or three times (on-stack replacement, then the method) over
  // the first steps of a run, taking a core from the kernels (docs/bench/layers.md, session 11).

  /** y[yOff, + m) += a_i x[xOff + i * ld, + m) for i < rows, a_i = a[i] or 1 if a is null. */
  private static void axpyRows(MathKernels math, float[] y, int yOff, float[] a, float[] x,
                               int xOff, int ld, int m, int rows) {
    for (int i = 0; i < rows; i++) {
      math.axpy(y, yOff, a == null ? 1f : a[i], x, xOff + i * ld, m);
    }
  }

  /** y[yOff + i * ld, + m) += a_i x[xOff, + m) for i < rows, a_i as in {@link #axpyRows}. */
  private static void axpyEachRow(MathKernels math, float[] y, int yOff, int ld, float[] a,
                                  float[] x, int xOff, int m, int rows) {
    for (int i = 0; i < rows; i++) {
      math.axpy(y, yOff + i * ld, a == null ? 1f : a[i], x, xOff, m);
    }
  }

  /** y[yOff + i * ld + f] += x[xOff + f] for i < rows, f < width. */
  private static void addToRows(float[] y, int yOff, int ld, float[] x, int xOff, int width,
                                int rows) {
    for (int i = 0; i < rows; i++) {
      for (int f = 0; f < width; f++) y[yOff + i * ld + f] += x[xOff + f];
    }
  }

  /**
   * out and den of head h for nodes [s, e) from [num | den] [e - s, C + 1] (numDen) plus eps's
   * row at epsKvz[ez, + C + 1).
   */
  private static void divideRows(float[] out, float[] den, float[] numDen, float[] epsKvz, int ez,
                                 int s, int e, int heads, int h, int c) {
    for (int i = s; i < e; i++) {
      int r = (i - s) * (c + 1);
      float d = numDen[r + c] + epsKvz[ez + c];
      den[i * heads + h] = d;
      float inv = 1f / d;
      int o = (i * heads + h) * c;
      for (int f = 0; f < c; f++) out[o + f] = (numDen[r + f] + epsKvz[ez + f]) * inv;
    }
  }

  /**
   * The quotient's gradients of head h for nodes [s, s + rows): dnum = dOut / den and
   * dden = -(dOut . out) / den, each row's dden also added into ddenSum[ph].
   */
  private static void quotientGrads(float[] dnum, float[] dden, double[] ddenSum, int ph,
                                    float[] dOut, float[] out, float[] den, int s, int rows,
                                    int heads, int h, int c) {
    for (int i = 0; i < rows; i++) {
      int r = ((s + i) * heads + h);
      float inv = 1f / den[r];
      float dot = 0;
      for (int f = 0; f < c; f++) {
        float g1 = dOut[r * c + f];
        dnum[i * c + f] = g1 * inv;
        dot += g1 * out[r * c + f];
      }
      dden[i] = -dot * inv;
      ddenSum[ph] += dden[i];
    }
  }

  /** x[off, + len) = max(x, 0). */
  private static void relu(float[] x, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) x[i] = Math.max(x[i], 0f);
  }

  /**
   * dphi[0, len) = 0 where r[off + i] is not positive: relu's mask, the rule of
   * MathKernels.activationBackward without its branch (r sits at an offset of its own, so that
   * kernel's single range does not fit).
   */
  private static void reluMask(float[] dphi, float[] r, int off, int len) {
    for (int i = 0; i < len; i++) {
      int notPositive = SignMask.notPositive(r[off + i]);
      dphi[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dphi[i]) & ~notPositive);
    }
  }

  /** to[at + j] += the sum over rows i of x[from + i * stride + j], j in [0, width). */
  private static void addRows(double[] to, int at, float[] x, int from, int stride, int width,
                              int rows) {
    for (int i = 0; i < rows; i++) {
      int o = from + i * stride;
      for (int j = 0; j < width; j++) to[at + j] += x[o + j];
    }
  }

  /**
   * eps's share of products with phi = r + eps over a thread's rows: kv[gh, f, :] += eps *
   * sum[gh, :] and z[gh, f] += eps * weight[gh], for every feature f.
   */
  private static void addEpsTerms(float[] kv, float[] z, double[] sum, double[] weight, int groups,
                                  int m, int c, float eps) {
    for (int gh = 0; gh < groups; gh++) {
      for (int f = 0; f < m; f++) {
        int o = (gh * m + f) * c;
        for (int j = 0; j < c; j++) kv[o + j] += (float) (eps * sum[gh * c + j]);
        z[gh * m + f] += (float) (eps * weight[gh]);
      }
    }
  }

  /** eps times the sum over the M rows of each [M, width] matrix of x [groups, M, width]. */
  private static float[] epsColumnSums(float[] x, int groups, int m, int width, float eps) {
    float[] out = new float[groups * width];
    double[] acc = new double[width];
    for (int g = 0; g < groups; g++) {
      java.util.Arrays.fill(acc, 0);
      addRows(acc, 0, x, g * m * width, width, width, m);
      for (int j = 0; j < width; j++) out[g * width + j] = (float) (eps * acc[j]);
    }
    return out;
  }

  /** dx[b0 .. b1) = (dphi where r > 0, else 0) W: [rows, M] x [M, C]. */
  private static void inputGrad(float[] dx, Work wk, float[] w, int b0, int b1, int heads,
                                int c, int m, DenseKernels dense, Parallel serial) {
    int rows = (b1 - b0) * heads;
    reluMask(wk.dphi, wk.rSrc, wk.rOff, rows * m);   // relu(x W^T) > 0 exactly where x W^T > 0
    dense.sgemm(dx, b0 * heads * c, c, 0f, wk.dphi, 0, m, false, w, 0, c, false, 1f, rows, c, m,
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
