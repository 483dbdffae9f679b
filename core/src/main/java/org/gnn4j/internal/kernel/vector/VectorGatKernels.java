package org.gnn4j.internal.kernel.vector;

import static org.gnn4j.internal.kernel.vector.GatRows.L;
import static org.gnn4j.internal.kernel.vector.GatRows.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
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

  private VectorGatKernels() {}

  private static float leaky(float z, float slope) {
    return z > 0 ? z : slope * z;
  }

  /** Per-chunk scratch: per-edge [deg, H] arrays and row buffers. */
  private static final class Scratch {
    float[] a;                                               // a, b: [deg, H] + padding
    float[] b;
    final float[] row;                                       // row: [HC] products
    final float[] lanes = new float[L];
    final float[] heads;                                     // heads: [H] + padding

    Scratch(int heads, int hc) {
      this.row = new float[hc];
      this.heads = new float[heads + L];
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
    VectorShuffle<Float> spread = GatRows.spread(channels);
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
        aggregate(out, lse, i, w, deg, h, col, e0, heads, channels, spread);
      }
    });
  }

  /**
   * Softmax over the scores w.a [deg, H] of row i's in-edges, then out[i] = the weighted sum of
   * x[col] rows and lse[i] = max + log(sum).
   */
  private static void aggregate(float[] out, float[] lse, int i, Scratch w, int deg, float[] x,
                                int[] col, int e0, int heads, int channels,
                                VectorShuffle<Float> spread) {
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
    for (int p = 0; p < deg; p++) {
      GatRows.axpyHeads(out, oRow, s, p * heads, x, col[e0 + p] * hc, hc, channels, spread);
    }
    GatRows.scaleHeads(out, oRow, mx, hc, channels, spread);
  }

  /** dDot[i,h] = dOut[i,h] . out[i,h] for rows [i0, i1). */
  private static void rowDots(float[] dDot, float[] dOut, float[] out, int i0, int i1, int heads,
                              int channels, Scratch w) {
    int hc = heads * channels;
    for (int i = i0; i < i1; i++) {
      GatRows.products(w.row, dOut, i * hc, out, i * hc, hc);
      GatRows.headSums(dDot, i * heads, w.row, hc, channels, w.lanes);
    }
  }

  @Override
  public void gatBackwardDst(float[] dsd, float[] dDot, float[] dOut, float[] out, float[] lse,
                             float[] h, float[] ss, float[] sd, int[] rowPtr, int[] col,
                             float slope, int numDst, int heads, int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.gatBackwardDst(dsd, dDot, dOut, out, lse, h, ss, sd, rowPtr, col, slope, numDst,
          heads, channels, par);
      return;
    }
    int hc = heads * channels;
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, hc);
      rowDots(dDot, dOut, out, i0, i1, heads, channels, w);
      if (dsd == null) return;
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        w.ensure(deg * heads);
        gatEdgeDs(w, deg, e0, col, i, true, dOut, h, ss, sd, lse, dDot, slope, heads,
            channels);
        for (int a = 0; a < heads; a++) {
          float acc = 0f;
          for (int k = a; k < deg * heads; k += heads) acc += w.b[k];
          dsd[i * heads + a] = acc;
        }
      }
    });
  }

  /**
   * For the deg edges at CSR positions [e0, e0 + deg) of node {@code node}: w.a = softmax weights
   * p [deg, H] and w.b = ds = p (dOut[i] . h[j] - dDot[i]) leaky'(ss[j] + sd[i]) [deg, H]. The
   * other endpoint is col[e]; {@code byDst} says whether node is the destination i or source j.
   */
  private static void gatEdgeDs(Scratch w, int deg, int e0, int[] col, int node, boolean byDst, float[] dOut, float[] h, float[] ss, float[] sd,
                                float[] lse, float[] dDot, float slope, int heads,
                                int channels) {
    int hc = heads * channels;
    for (int p = 0; p < deg; p++) {
      int other = col[e0 + p];
      int i = byDst ? node : other;
      int j = byDst ? other : node;
      for (int a = 0; a < heads; a++) {
        float raw = ss[j * heads + a] + sd[i * heads + a];
        w.a[p * heads + a] = leaky(raw, slope) - lse[i * heads + a];
      }
      GatRows.products(w.row, dOut, i * hc, h, j * hc, hc);
      GatRows.headSums(w.b, p * heads, w.row, hc, channels, w.lanes);
    }
    GatRows.expInPlace(w.a, deg * heads);
    for (int p = 0; p < deg; p++) {
      int other = col[e0 + p];
      int i = byDst ? node : other;
      int j = byDst ? other : node;
      for (int a = 0; a < heads; a++) {
        int k = p * heads + a;
        float raw = ss[j * heads + a] + sd[i * heads + a];
        w.b[k] = w.a[k] * (w.b[k] - dDot[i * heads + a]) * (raw > 0 ? 1f : slope);
      }
    }
  }

  @Override
  public void gatBackwardSrc(float[] dh, float[] dss, float[] dOut, float[] dDot, float[] lse,
                             float[] h, float[] ss, float[] sd, int[] rowPtr, int[] col,
                             float slope, int numSrc, int heads, int channels, Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.gatBackwardSrc(dh, dss, dOut, dDot, lse, h, ss, sd, rowPtr, col, slope, numSrc,
          heads, channels, par);
      return;
    }
    int hc = heads * channels;
    VectorShuffle<Float> spread = GatRows.spread(channels);
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      Scratch w = new Scratch(heads, hc);
      for (int j = j0; j < j1; j++) {
        int e0 = rowPtr[j];
        int deg = rowPtr[j + 1] - e0;
        w.ensure(deg * heads);
        gatEdgeDs(w, deg, e0, col, j, false, dOut, h, ss, sd, lse, dDot, slope, heads,
            channels);
        if (dh != null) {
          Arrays.fill(dh, j * hc, (j + 1) * hc, 0f);
          for (int p = 0; p < deg; p++) {
            GatRows.axpyHeads(dh, j * hc, w.a, p * heads, dOut, col[e0 + p] * hc, hc, channels,
                spread);
          }
        }
        if (dss != null) {
          for (int a = 0; a < heads; a++) {
            float acc = 0f;
            for (int k = a; k < deg * heads; k += heads) acc += w.b[k];
            dss[j * heads + a] = acc;
          }
        }
      }
    });
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
    VectorShuffle<Float> spread = GatRows.spread(channels);
    par.forBounds(Parallel.balancedBounds(rowPtr, numDst, par.threads()), (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, hc);
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        w.ensure(deg * heads);
        for (int p = 0; p < deg; p++) {
          GatRows.v2Terms(w.row, att, xl, col[e0 + p] * hc, xr, i * hc, slope, hc);
          GatRows.headSums(w.a, p * heads, w.row, hc, channels, w.lanes);
        }
        aggregate(out, lse, i, w, deg, xl, col, e0, heads, channels, spread);
      }
    });
  }

  /**
   * For the deg edges at CSR positions [e0, e0 + deg) of {@code node} (destination i when byDst,
   * else source j; the other endpoint is col[e]): w.a = p [deg, H] and w.b = ds = p (dOut[i] .
   * xl[j] - dDot[i]) [deg, H], scores recomputed from xl, xr and att.
   */
  private static void v2EdgeDs(Scratch w, int deg, int e0, int[] col, int node, boolean byDst,
                               float[] dOut, float[] xl, float[] xr, float[] att, float[] lse,
                               float[] dDot, float slope, int heads, int channels) {
    int hc = heads * channels;
    for (int p = 0; p < deg; p++) {
      int other = col[e0 + p];
      int i = byDst ? node : other;
      int j = byDst ? other : node;
      GatRows.v2Terms(w.row, att, xl, j * hc, xr, i * hc, slope, hc);
      GatRows.headSums(w.a, p * heads, w.row, hc, channels, w.lanes);
      for (int a = 0; a < heads; a++) w.a[p * heads + a] -= lse[i * heads + a];
      GatRows.products(w.row, dOut, i * hc, xl, j * hc, hc);
      GatRows.headSums(w.b, p * heads, w.row, hc, channels, w.lanes);
    }
    GatRows.expInPlace(w.a, deg * heads);
    for (int p = 0; p < deg; p++) {
      int i = byDst ? node : col[e0 + p];
      for (int a = 0; a < heads; a++) {
        int k = p * heads + a;
        w.b[k] = w.a[k] * (w.b[k] - dDot[i * heads + a]);
      }
    }
  }

  @Override
  public void v2BackwardDst(float[] dxr, float[] dAtt, float[] dDot, float[] dOut, float[] out,
                            float[] lse, float[] xl, float[] xr, float[] att, int[] rowPtr,
                            int[] col, float slope, int numDst, int heads, int channels,
                            Parallel par) {
    if (!GatRows.fits(heads, channels)) {
      SCALAR.v2BackwardDst(dxr, dAtt, dDot, dOut, out, lse, xl, xr, att, rowPtr, col, slope,
          numDst, heads, channels, par);
      return;
    }
    int hc = heads * channels;
    VectorShuffle<Float> spread = GatRows.spread(channels);
    int[] bounds = Parallel.balancedBounds(rowPtr, numDst, par.threads());
    float[][] attParts = new float[bounds.length - 1][];    // per chunk: [H, C]
    par.forBounds(bounds, (chunk, i0, i1) -> {
      Scratch w = new Scratch(heads, hc);
      rowDots(dDot, dOut, out, i0, i1, heads, channels, w);
      if (dxr == null && dAtt == null) return;
      float[] part = new float[hc];
      for (int i = i0; i < i1; i++) {
        int e0 = rowPtr[i];
        int deg = rowPtr[i + 1] - e0;
        int ro = i * hc;
        w.ensure(deg * heads);
        v2EdgeDs(w, deg, e0, col, i, true, dOut, xl, xr, att, lse, dDot, slope, heads, channels);
        if (dxr != null) Arrays.fill(dxr, ro, ro + hc, 0f);
        for (int p = 0; p < deg; p++) {
          int lo = col[e0 + p] * hc;
          for (int v = 0; v < hc; v += L) {
            FloatVector z = FloatVector.fromArray(S, xl, lo + v)
                .add(FloatVector.fromArray(S, xr, ro + v));
            FloatVector ds = GatRows.expand(w.b, p * heads, v, channels, spread);
            if (dxr != null) {
              FloatVector g = ds.mul(FloatVector.fromArray(S, att, v)).mul(GatRows.leakyGrad(z, slope));
              g.add(FloatVector.fromArray(S, dxr, ro + v)).intoArray(dxr, ro + v);
            }
            ds.fma(GatRows.leaky(z, slope), FloatVector.fromArray(S, part, v)).intoArray(part, v);
          }
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
    VectorShuffle<Float> spread = GatRows.spread(channels);
    par.forBounds(Parallel.balancedBounds(rowPtr, numSrc, par.threads()), (chunk, j0, j1) -> {
      Scratch w = new Scratch(heads, hc);
      for (int j = j0; j < j1; j++) {
        int e0 = rowPtr[j];
        int deg = rowPtr[j + 1] - e0;
        int lo = j * hc;
        w.ensure(deg * heads);
        v2EdgeDs(w, deg, e0, col, j, false, dOut, xl, xr, att, lse, dDot, slope, heads,
            channels);
        Arrays.fill(dxl, lo, lo + hc, 0f);
        for (int p = 0; p < deg; p++) {
          int ro = col[e0 + p] * hc;
          for (int v = 0; v < hc; v += L) {
            FloatVector z = FloatVector.fromArray(S, xl, lo + v)
                .add(FloatVector.fromArray(S, xr, ro + v));
            FloatVector ds = GatRows.expand(w.b, p * heads, v, channels, spread);
            FloatVector pv = GatRows.expand(w.a, p * heads, v, channels, spread);
            FloatVector g = ds.mul(FloatVector.fromArray(S, att, v)).mul(GatRows.leakyGrad(z, slope));
            pv.fma(FloatVector.fromArray(S, dOut, ro + v), g)
                .add(FloatVector.fromArray(S, dxl, lo + v)).intoArray(dxl, lo + v);
          }
        }
      }
    });
  }
}
