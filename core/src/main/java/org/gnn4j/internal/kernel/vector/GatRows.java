package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row operations of the fused GAT/GATv2 kernels on rows of H heads x C channels, vectorized over
 * the whole row (HC = H * C floats) rather than per head, so that C = 8 on a 16-lane vector
 * still uses full vectors. Requires HC to be a multiple of the vector length and C to divide it
 * or be a multiple of it ({@link #fits}); the kernels use the scalar reference otherwise.
 * Per-head sums use exact lane operations in a fixed order (rotate-and-add within a head's lanes),
 * so the bits do not depend on the JIT tier.
 */
final class GatRows {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  private static final VectorShuffle<Float> ROT1 = VectorShuffle.iota(S, 1, 1, true);
  private static final VectorShuffle<Float> ROT2 = VectorShuffle.iota(S, 2, 1, true);
  private static final VectorShuffle<Float> ROT4 = VectorShuffle.iota(S, 4, 1, true);
  private static final VectorShuffle<Float> ROT8 = VectorShuffle.iota(S, 8, 1, true);
  // Lane k takes lane k / C: spreads L / C per-head values over C lanes each. Constants, one per
  // C < L, because C2 compiles rearrange to one permute only for a shuffle it sees as constant
  // (a shuffle passed in as an argument ran the Java fallback: GAT's backward was 2x slower).
  private static final VectorShuffle<Float> SPREAD1 = VectorShuffle.fromOp(S, k -> k);
  private static final VectorShuffle<Float> SPREAD2 = VectorShuffle.fromOp(S, k -> k / 2);
  private static final VectorShuffle<Float> SPREAD4 = VectorShuffle.fromOp(S, k -> k / 4);
  private static final VectorShuffle<Float> SPREAD8 = VectorShuffle.fromOp(S, k -> k / 8);
  // Lane k takes lane k * C (wrapping past the end, lanes nobody stores): brings each head's sum,
  // left in the head's first lane, to the front for one masked store.
  private static final VectorShuffle<Float> PICK2 = VectorShuffle.fromOp(S, k -> (k * 2) % L);
  private static final VectorShuffle<Float> PICK4 = VectorShuffle.fromOp(S, k -> (k * 4) % L);
  private static final VectorShuffle<Float> PICK8 = VectorShuffle.fromOp(S, k -> (k * 8) % L);
  private static final VectorMask<Float> FIRST_HALF = S.indexInRange(0, L / 2);
  private static final VectorMask<Float> FIRST_QUARTER = S.indexInRange(0, L / 4);
  private static final VectorMask<Float> FIRST_EIGHTH = S.indexInRange(0, Math.max(1, L / 8));
  // (L / C lanes hold sums: the masks keep L / 2, L / 4 and L / 8 of them for C = 2, 4 and 8.)

  private GatRows() {}

  /** Whether rows of this shape take the vector path. */
  static boolean fits(int heads, int channels) {
    int hc = heads * channels;
    boolean divides = channels >= L ? channels % L == 0 : L % channels == 0;
    return L >= 4 && L <= 16 && hc % L == 0 && divides;
  }

  /**
   * The per-head values w[wo + h] broadcast over the lanes [v, v + L) of a row: lane k gets the
   * head of channel v + k. Reads up to L floats from wo + v / C, so w needs L floats of padding.
   */
  static FloatVector expand(float[] w, int wo, int v, int channels) {
    if (channels >= L) return FloatVector.broadcast(S, w[wo + v / channels]);
    FloatVector a = FloatVector.fromArray(S, w, wo + v / channels);
    return switch (channels) {
      case 8 -> a.rearrange(SPREAD8);
      case 4 -> a.rearrange(SPREAD4);
      case 2 -> a.rearrange(SPREAD2);
      default -> a.rearrange(SPREAD1);
    };
  }

  static FloatVector leaky(FloatVector z, float slope) {
    return z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));
  }

  static FloatVector leakyGrad(FloatVector z, float slope) {
    return FloatVector.broadcast(S, slope).blend(1f, z.compare(VectorOperators.GT, 0f));
  }

  /**
   * dst[dOff + h] = sum of row[h * C .. (h + 1) * C) for h in [0, H): row holds HC floats of
   * per-channel products.
   */
  static void headSums(float[] dst, int dOff, float[] row, int hc, int channels) {
    if (channels >= L) {
      for (int o = 0, h = 0; o < hc; o += channels, h++) {
        FloatVector acc = FloatVector.fromArray(S, row, o);
        for (int c = L; c < channels; c += L) acc = acc.add(FloatVector.fromArray(S, row, o + c));
        dst[dOff + h] = Lanes.sum(acc);
      }
      return;
    }
    for (int v = 0; v < hc; v += L) {
      FloatVector a = FloatVector.fromArray(S, row, v);
      // After these, lane k * C holds the sum of lanes [k * C, (k + 1) * C): the rotations only
      // reach C - 1 lanes ahead, so a head's sum never takes a neighbour's lane.
      if (channels >= 16) a = a.add(a.rearrange(ROT8));
      if (channels >= 8) a = a.add(a.rearrange(ROT4));
      if (channels >= 4) a = a.add(a.rearrange(ROT2));
      if (channels >= 2) a = a.add(a.rearrange(ROT1));
      int h0 = dOff + v / channels;
      // A masked store of the picked lanes: reading them back one by one from a stored vector
      // stalled on store-to-load forwarding (a fifth of GATv2's backward in a profile).
      switch (channels) {
        case 8 -> a.rearrange(PICK8).intoArray(dst, h0, FIRST_EIGHTH);
        case 4 -> a.rearrange(PICK4).intoArray(dst, h0, FIRST_QUARTER);
        case 2 -> a.rearrange(PICK2).intoArray(dst, h0, FIRST_HALF);
        default -> a.intoArray(dst, h0);
      }
    }
  }

  /** row[c] = x[xo + c] * y[yo + c] for c < HC. */
  static void products(float[] row, float[] x, int xo, float[] y, int yo, int hc) {
    for (int v = 0; v < hc; v += L) {
      FloatVector.fromArray(S, x, xo + v).mul(FloatVector.fromArray(S, y, yo + v))
          .intoArray(row, v);
    }
  }

  /** row[c] = att[c] * leaky(xl[lo + c] + xr[ro + c]) for c < HC: GATv2's score terms. */
  static void v2Terms(float[] row, float[] att, float[] xl, int lo, float[] xr, int ro,
                      float slope, int hc) {
    for (int v = 0; v < hc; v += L) {
      FloatVector z = FloatVector.fromArray(S, xl, lo + v).add(FloatVector.fromArray(S, xr, ro + v));
      leaky(z, slope).mul(FloatVector.fromArray(S, att, v)).intoArray(row, v);
    }
  }

  /** y[yo + c] += w[wo + c / C] * x[xo + c] for c < HC. */
  static void axpyHeads(float[] y, int yo, float[] w, int wo, float[] x, int xo, int hc,
                        int channels) {
    for (int v = 0; v < hc; v += L) {
      FloatVector acc = FloatVector.fromArray(S, y, yo + v);
      expand(w, wo, v, channels).fma(FloatVector.fromArray(S, x, xo + v), acc)
          .intoArray(y, yo + v);
    }
  }

  /** y[yo + c] *= w[c / C] for c < HC. */
  static void scaleHeads(float[] y, int yo, float[] w, int hc, int channels) {
    for (int v = 0; v < hc; v += L) {
      FloatVector.fromArray(S, y, yo + v).mul(expand(w, 0, v, channels))
          .intoArray(y, yo + v);
    }
  }

  /** a[0..n) = e^a[0..n) in whole vectors (a has the padding; see {@link Lanes#exp}). */
  static void expInPlace(float[] a, int n) {
    for (int i = 0; i < n; i += L) Lanes.exp(FloatVector.fromArray(S, a, i)).intoArray(a, i);
  }

  /** A scratch of at least n + L floats (the padding expand and expInPlace read). */
  static float[] grow(float[] a, int n) {
    return a != null && a.length >= n + L ? a : new float[2 * n + L];
  }
}
