package org.gnn4j.internal.kernel.vector;

import static org.gnn4j.internal.kernel.vector.GatRows.L;
import static org.gnn4j.internal.kernel.vector.GatRows.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Fused GAT/GATv2 kernels on the Vector API (contract in {@link GatKernels}). Per destination
 * (or source) node: the per-edge scores go to a [deg, H] scratch, computed with whole-row vector
 * products and fixed-order per-head sums ({@link GatRows}); the softmax weights of all the node's
 * edges come from one vectorized exp over that scratch; then the weighted rows are added with
 * each head's weight spread over its C lanes. Rows of a shape {@link GatRows#fits} rejects (HC
 * not a multiple of the vector length, or C neither dividing nor a multiple of it) go to the
 * scalar reference, decided once per call. Ownership and order as in the scalar kernels, so
 * results are the same bits for the same thread count, and differ from the scalar ones only by
 * rounding.
 */
final class VectorGatKernels implements GatKernels {
  static final VectorGatKernels INSTANCE = new VectorGatKernels();
  private static final GatKernels SCALAR = GatKernels.scalar();
  // Edges per block: their rows are first copied to an L1 scratch, which puts many random-row
  // cache misses in flight at once (as in VectorAttentionKernels), then read from there.
  private static final int BLOCK = 16;
  // GATv2's forward keeps a node's gathered source rows for the weighted sum up to this many
  // in-edges (at most KEEP_ROWS x HC floats of scratch per thread), instead of reading them twice.
  private static final int KEEP_ROWS = 1024;

  private VectorGatKernels() {}

  // Branch-free leaky ReLU and its slope: the scores' signs are random, so a branch mispredicts
  // half the time, and GAT's scalar score loops did twice the unfused path's time at 100k.
  private static float leaky(float z, float slope) {
    return slope <= 1f ? Math.max(z, slope * z) : Math.min(z, slope * z);
  }

  /** 1 for z > 0, else slope, without a branch on z (z = -0 and +0 both give slope). */
  private static float leakyGrad(float z, float slope) {
    float positive = (float) (int) (-(long) Float.floatToRawIntBits(z) >>> 63);
    return slope + (1f - slope) * positive;
  }

  /**
   * Per-chunk scratch: per-edge [deg, H] arrays (forward: a node's whole in-edge list; backward:
   * one block) and row buffers.
   */
  private static final class Scratch {
    float[] a;                                               // a, b: [deg or BLOCK, H] + padding
    float[] b;
    final float[] row;                                       // row: [HC] products
    final float[] heads;                                     // heads: [H] + padding
    final float[] rows;                                      // rows, rows2: [BLOCK, HC] rows of
    final float[] rows2;                                     // a block's other endpoints
    final float[] small;                                     // small: [BLOCK, pw] packed per-node

    Scratch(int heads, int hc) {
      this.small = new float[BLOCK * packWidth(3, heads)];
      this.row = new float[hc];
      this.heads = new float[heads + L];
      this.rows = new float[BLOCK * hc];
      this.rows2 = new float[BLOCK * hc];
      ensure(BLOCK * heads);
    }

    void ensure(int n) {
      a = GatRows.grow(a, n);
      b = GatRows.grow(b, n);
    }
  }

  @Override
  public void gatForward(float[] out, float[] lse, float[] h, float[] ss, float[] sd,
                         int[] rowPtr, int[] col, float slope, int numDst, int heads,
                         int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.gatForward(out, lse, h, ss, sd, rowPtr, col, slope, numDst, heads, channels, par);
      return;
    }
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, heads * channels);
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        w.ensure(deg * heads);
        for (int p = 0; p < deg; p++) {
          int j = col[e0 + p];
          for (int a = 0; a < heads; a++) {
            w.a[p * heads + a] = leaky(ss[j * heads + a] + sd[i * heads + a], slope);
          }
        }
        aggregate(out, lse, i, w, deg, h, col, e0, heads, channels);
      }
    });
  }

  /**
   * Softmax over the scores w.a [deg, H] of row i's in-edges, then out[i] = the weighted sum of
   * x[col] rows and lse[i] = max + log(sum).
   */
  private static void aggregate(float[] out, float[] lse, int i, Scratch w, int deg, float[] x,
                                int[] col, int e0, int heads, int channels) {
    aggregate(out, lse, i, w, deg, x, col, e0, null, heads, channels);
  }

  /**
   * As above; when {@code kept} is non-null it holds the deg source rows already copied
   * ([deg, HC]) and they are read from there instead of gathered again.
   */
  private static void aggregate(float[] out, float[] lse, int i, Scratch w, int deg, float[] x,
                                int[] col, int e0, float[] kept, int heads, int channels) {
    int hc = heads * channels;
    int oRow = i * hc;
    Arrays.fill(out, oRow, oRow + hc, 0f);
    if (deg == 0) {
      Arrays.fill(lse, i * heads, (i + 1) * heads, Float.NEGATIVE_INFINITY);
      return;
    }
    float[] s = w.a;
    float[] mx = w.heads;
    int n = deg * heads;
    Arrays.fill(mx, 0, heads, Float.NEGATIVE_INFINITY);
    for (int k = 0; k < n; k += heads) {
      for (int a = 0; a < heads; a++) mx[a] = Math.max(mx[a], s[k + a]);
    }
    for (int k = 0; k < n; k += heads) {
      for (int a = 0; a < heads; a++) s[k + a] -= mx[a];
    }
    GatRows.expInPlace(s, n);
    for (int a = 0; a < heads; a++) {
      float sum = 0f;
      for (int k = a; k < n; k += heads) sum += s[k];
      lse[i * heads + a] = mx[a] + (float) Math.log(sum);
      mx[a] = 1f / sum;                                     // mx now holds 1 / sum per head
    }
    if (kept != null) {
      for (int p = 0; p < deg; p++) {
        GatRows.axpyHeads(out, oRow, s, p * heads, kept, p * hc, hc, channels);
      }
    } else {
      for (int b0 = 0; b0 < deg; b0 += BLOCK) {
        int nb = Math.min(deg, b0 + BLOCK) - b0;
        gatherRows(w.rows, x, col, e0 + b0, e0 + b0 + nb, hc);
        for (int k = 0; k < nb; k++) {
          GatRows.axpyHeads(out, oRow, s, (b0 + k) * heads, w.rows, k * hc, hc, channels);
        }
      }
    }
    GatRows.scaleHeads(out, oRow, mx, hc, channels);
  }

  /** Row width of {@code parts} per-head arrays packed side by side, rounded up to whole vectors. */
  private static int packWidth(int parts, int heads) {
    return (parts * heads + L - 1) / L * L;
  }

  /**
   * [n, pw] rows of the per-head arrays {@code parts} ([n, H] each) side by side: one edge then
   * reads its destination's values from one or two cache lines instead of one per array, and
   * they are copied to the block scratch together with the edge's other rows.
   */
  private static float[] pack(int n, int heads, Parallel par, float[]... parts) {
    int pw = packWidth(parts.length, heads);
    float[] out = new float[n * pw];
    par.forRange(n, 4096, (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        for (int t = 0; t < parts.length; t++) {
          System.arraycopy(parts[t], r * heads, out, r * pw + t * heads, heads);
        }
      }
    });
    return out;
  }

  /** dst[k] = src row col[b0 + k], for k < b1 - b0: rows of hc floats. */
  private static void gatherRows(float[] dst, float[] src, int[] col, int b0, int b1, int hc) {
    gatherRows(dst, src, col, b0, b1, hc, 0);
  }

  /** As above, the copies starting at dst[base]. */
  private static void gatherRows(float[] dst, float[] src, int[] col, int b0, int b1, int hc,
                                 int base) {
    for (int p = b0; p < b1; p++) {
      int from = col[p] * hc;
      int to = base + (p - b0) * hc;
      for (int v = 0; v < hc; v += L) FloatVector.fromArray(S, src, from + v).intoArray(dst, to + v);
    }
  }

  // Plain loops (the reference's): with C = 8 channels per head a Vector API lane group would
  // span heads, and the loops are memory-bound either way.
  @Override
  public void headScores(float[] score, float[] x, float[] att, int rows, int heads,
                         int channels, Parallel par) {
    SCALAR.headScores(score, x, att, rows, heads, channels, par);
  }

  @Override
  public void headScoresBackward(float[] dx, float[] dAtt, float[] g, float[] x, float[] att,
                                 int rows, int heads, int channels, Parallel par) {
    SCALAR.headScoresBackward(dx, dAtt, g, x, att, rows, heads, channels, par);
  }

  @Override
  public void headDots(float[] dDot, float[] dOut, float[] out, int rows, int heads,
                       int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.headDots(dDot, dOut, out, rows, heads, channels, par);
      return;
    }
    int hc = heads * channels;
    par.forRange(rows, 256, (chunk, r0, r1) -> {
      float[] row = new float[hc];
      for (int r = r0; r < r1; r++) {
        GatRows.products(row, dOut, r * hc, out, r * hc, hc);
        GatRows.headSums(dDot, r * heads, row, hc, channels);
      }
    });
  }

  @Override
  public void gatBackward(float[] dh, float[] dss, float[] dsEdge, float[] dOut, float[] dDot,
                          float[] lse, float[] h, float[] ss, float[] sd, int[] rowPtr,
                          int[] col, int[] edge, float slope, int numSrc, int heads,
                          int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.gatBackward(dh, dss, dsEdge, dOut, dDot, lse, h, ss, sd, rowPtr, col, edge, slope,
          numSrc, heads, channels, par);
      return;
    }
    int hc = heads * channels;
    float[] dst = pack(dDot.length / heads, heads, par, sd, lse, dDot);   // dst: [Nd, pw]
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      Scratch w = new Scratch(heads, hc);
      for (int j = j0; j < j1; j++) {
        if (dh != null) Arrays.fill(dh, j * hc, (j + 1) * hc, 0f);
        Arrays.fill(w.heads, 0, heads, 0f);                  // heads: [H] running sum of ds
        for (int b0 = rowPtr[j], e1 = rowPtr[j + 1]; b0 < e1; b0 += BLOCK) {
          gatBlock(dh, dsEdge, w, j, b0, Math.min(e1, b0 + BLOCK), dOut, dst, h, ss, col, edge,
              slope, heads, channels);
        }
        if (dss != null) System.arraycopy(w.heads, 0, dss, j * heads, heads);
      }
    });
  }

  /**
   * GAT's backward for source j's out-edges at CSR positions [b0, b1): their dOut rows copied to
   * w.rows and their destinations' packed (sd, lse, dDot) to w.small, weights p to w.a, ds to w.b
   * (and dsEdge), ds summed into w.heads, p dOut added to dh[j].
   */
  private static void gatBlock(float[] dh, float[] dsEdge, Scratch w, int j, int b0, int b1,
                               float[] dOut, float[] dst, float[] h, float[] ss, int[] col,
                               int[] edge, float slope, int heads, int channels) {
    int hc = heads * channels;
    int nb = b1 - b0;
    int pw = packWidth(3, heads);
    gatherRows(w.rows, dOut, col, b0, b1, hc);
    gatherRows(w.small, dst, col, b0, b1, pw);
    for (int k = 0; k < nb; k++) {
      int d = k * pw;                                        // sd, lse, dDot at d, d + H, d + 2H
      for (int a = 0; a < heads; a++) {
        w.a[k * heads + a] = leaky(ss[j * heads + a] + w.small[d + a], slope)
            - w.small[d + heads + a];
      }
      GatRows.products(w.row, w.rows, k * hc, h, j * hc, hc);
      GatRows.headSums(w.b, k * heads, w.row, hc, channels);
    }
    GatRows.expInPlace(w.a, nb * heads);
    for (int k = 0; k < nb; k++) {
      int d = k * pw;
      for (int a = 0; a < heads; a++) {
        int q = k * heads + a;
        float raw = ss[j * heads + a] + w.small[d + a];
        float ds = w.a[q] * (w.b[q] - w.small[d + 2 * heads + a]) * leakyGrad(raw, slope);
        w.heads[a] += ds;
        if (dsEdge != null) dsEdge[edge[b0 + k] * heads + a] = ds;
      }
    }
    if (dh != null) {
      for (int k = 0; k < nb; k++) {
        GatRows.axpyHeads(dh, j * hc, w.a, k * heads, w.rows, k * hc, hc, channels);
      }
    }
  }

  @Override
  public void v2Forward(float[] out, float[] lse, float[] xl, float[] xr, float[] att,
                        int[] rowPtr, int[] col, float slope, int numDst, int heads,
                        int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.v2Forward(out, lse, xl, xr, att, rowPtr, col, slope, numDst, heads, channels, par);
      return;
    }
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, hc);
      // kept: [deg, HC] source rows of one node, kept from the scores to the weighted sum so each
      // is read from memory once; nodes with more than KEEP_ROWS in-edges gather per block twice.
      float[] kept = new float[Math.min(KEEP_ROWS, 64) * hc];
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        w.ensure(deg * heads);
        boolean keep = deg <= KEEP_ROWS;
        if (keep && kept.length < deg * hc) kept = new float[deg * hc];
        for (int b0 = 0; b0 < deg; b0 += BLOCK) {
          int nb = Math.min(deg, b0 + BLOCK) - b0;
          float[] rows = keep ? kept : w.rows;
          int base = keep ? b0 * hc : 0;
          gatherRows(rows, xl, col, e0 + b0, e0 + b0 + nb, hc, base);
          for (int k = 0; k < nb; k++) {
            GatRows.v2Terms(w.row, att, rows, base + k * hc, xr, i * hc, slope, hc);
            GatRows.headSums(w.a, (b0 + k) * heads, w.row, hc, channels);
          }
        }
        aggregate(out, lse, i, w, deg, xl, col, e0, keep ? kept : null, heads, channels);
      }
    });
  }

  /**
   * Weights and score gradients of the block of nb edges j -> i: w.a = p [nb, H] and w.b =
   * ds = p (dOut[i] . xl[j] - dDot[i]) [nb, H]. Edge k's rows start at xlBase + k * xlStep in
   * xlArr (likewise xr, dOut: the originals with step 0 for the fixed endpoint, or the block's
   * copies with step HC), and its destination's lse and dDot at w.small[k * nodeStep] and
   * [k * nodeStep + H].
   */
  private static void v2BlockDs(Scratch w, int nb, float[] xlArr, int xlBase, int xlStep,
                                float[] xrArr, int xrBase, int xrStep, float[] dOutArr,
                                int dOutBase, int dOutStep, int nodeStep, float[] att,
                                float slope, int heads, int channels) {
    int hc = heads * channels;
    for (int k = 0; k < nb; k++) {
      int lo = xlBase + k * xlStep;
      int d = k * nodeStep;
      GatRows.v2Terms(w.row, att, xlArr, lo, xrArr, xrBase + k * xrStep, slope, hc);
      GatRows.headSums(w.a, k * heads, w.row, hc, channels);
      for (int a = 0; a < heads; a++) w.a[k * heads + a] -= w.small[d + a];
      GatRows.products(w.row, dOutArr, dOutBase + k * dOutStep, xlArr, lo, hc);
      GatRows.headSums(w.b, k * heads, w.row, hc, channels);
    }
    GatRows.expInPlace(w.a, nb * heads);
    for (int k = 0; k < nb; k++) {
      int d = k * nodeStep + heads;
      for (int a = 0; a < heads; a++) {
        int q = k * heads + a;
        w.b[q] = w.a[q] * (w.b[q] - w.small[d + a]);
      }
    }
  }

  @Override
  public void v2BackwardDst(float[] dxr, float[] dAtt, float[] dDot, float[] dOut, float[] lse,
                            float[] xl, float[] xr, float[] att, int[] rowPtr, int[] col,
                            float slope, int numDst, int heads, int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.v2BackwardDst(dxr, dAtt, dDot, dOut, lse, xl, xr, att, rowPtr, col, slope, numDst,
          heads, channels, par);
      return;
    }
    int hc = heads * channels;
    int[] bounds = Parallel.balancedBounds(rowPtr, numDst, par.threads());
    float[][] attParts = new float[bounds.length - 1][];    // per chunk: [H, C]
    par.forBounds(bounds, (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, hc);
      float[] part = new float[hc];
      for (int i = i0; i < i1; i++) {
        int ro = i * hc;
        if (dxr != null) Arrays.fill(dxr, ro, ro + hc, 0f);
        System.arraycopy(lse, i * heads, w.small, 0, heads);  // small: lse[i], dDot[i]
        System.arraycopy(dDot, i * heads, w.small, heads, heads);
        for (int b0 = rowPtr[i], e1 = rowPtr[i + 1]; b0 < e1; b0 += BLOCK) {
          int nb = Math.min(e1, b0 + BLOCK) - b0;
          gatherRows(w.rows, xl, col, b0, b0 + nb, hc);       // rows: xl of the block's sources
          v2BlockDs(w, nb, w.rows, 0, hc, xr, ro, 0, dOut, ro, 0, 0, att, slope, heads,
              channels);
          v2DstUpdate(dxr, part, w, nb, ro, xr, att, slope, heads, channels);
        }
      }
      attParts[chunk] = part;
    });
    if (dAtt != null) {
      Arrays.fill(dAtt, 0f);
      for (float[] part : attParts) {
        if (part == null) continue;
        for (int c = 0; c < hc; c++) dAtt[c] += part[c];
      }
    }
  }

  /** dxr[i] += ds att leaky'(z) and part += ds leaky(z) over a block, z = xl[j] + xr[i]. */
  private static void v2DstUpdate(float[] dxr, float[] part, Scratch w, int nb, int ro,
                                  float[] xr, float[] att, float slope, int heads, int channels) {
    int hc = heads * channels;
    for (int k = 0; k < nb; k++) {
      for (int v = 0; v < hc; v += L) {
        FloatVector z = FloatVector.fromArray(S, w.rows, k * hc + v)
            .add(FloatVector.fromArray(S, xr, ro + v));
        FloatVector ds = GatRows.expand(w.b, k * heads, v, channels);
        if (dxr != null) {
          ds.mul(FloatVector.fromArray(S, att, v)).mul(GatRows.leakyGrad(z, slope))
              .add(FloatVector.fromArray(S, dxr, ro + v)).intoArray(dxr, ro + v);
        }
        ds.fma(GatRows.leaky(z, slope), FloatVector.fromArray(S, part, v)).intoArray(part, v);
      }
    }
  }

  @Override
  public void v2BackwardSrc(float[] dxl, float[] dOut, float[] dDot, float[] lse, float[] xl,
                            float[] xr, float[] att, int[] rowPtr, int[] col, float slope,
                            int numSrc, int heads, int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.v2BackwardSrc(dxl, dOut, dDot, lse, xl, xr, att, rowPtr, col, slope, numSrc, heads,
          channels, par);
      return;
    }
    int hc = heads * channels;
    int pw = packWidth(2, heads);
    float[] dst = pack(dDot.length / heads, heads, par, lse, dDot);     // dst: [Nd, pw]
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      Scratch w = new Scratch(heads, hc);
      for (int j = j0; j < j1; j++) {
        int lo = j * hc;
        Arrays.fill(dxl, lo, lo + hc, 0f);
        for (int b0 = rowPtr[j], e1 = rowPtr[j + 1]; b0 < e1; b0 += BLOCK) {
          int nb = Math.min(e1, b0 + BLOCK) - b0;
          gatherRows(w.rows, xr, col, b0, b0 + nb, hc);       // rows: xr of the destinations
          gatherRows(w.rows2, dOut, col, b0, b0 + nb, hc);    // rows2: their dOut
          gatherRows(w.small, dst, col, b0, b0 + nb, pw);     // small: their lse, dDot
          v2BlockDs(w, nb, xl, lo, 0, w.rows, 0, hc, w.rows2, 0, hc, pw, att, slope, heads,
              channels);
          v2SrcUpdate(dxl, w, nb, lo, xl, att, slope, heads, channels);
        }
      }
    });
  }

  /** dxl[j] += p dOut[i] + ds att leaky'(z) over a block, z = xl[j] + xr[i]. */
  private static void v2SrcUpdate(float[] dxl, Scratch w, int nb, int lo, float[] xl,
                                  float[] att, float slope, int heads, int channels) {
    int hc = heads * channels;
    for (int k = 0; k < nb; k++) {
      for (int v = 0; v < hc; v += L) {
        FloatVector z = FloatVector.fromArray(S, xl, lo + v)
            .add(FloatVector.fromArray(S, w.rows, k * hc + v));
        FloatVector ds = GatRows.expand(w.b, k * heads, v, channels);
        FloatVector p = GatRows.expand(w.a, k * heads, v, channels);
        FloatVector g = ds.mul(FloatVector.fromArray(S, att, v)).mul(GatRows.leakyGrad(z, slope));
        p.fma(FloatVector.fromArray(S, w.rows2, k * hc + v), g)
            .add(FloatVector.fromArray(S, dxl, lo + v)).intoArray(dxl, lo + v);
      }
    }
  }
}
