package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise math whose bits do not depend on the JIT: VectorOperators.EXP is Math.exp per lane
 * in the interpreter and a SIMD library in C2, and reduceLanes(ADD) adds float lanes in an
 * unspecified order that also changes once C2 compiles, so a kernel using them gives different
 * bits before and after compilation, breaking "same seed and threads, same result". These
 * versions use exact lane operations (add, fma, min/max, integer bit operations) in a fixed order.
 * Small and static so that C2 inlines them and no vector is boxed across a call.
 */
final class Lanes {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final float LOG2E = 1.442695041f;
  private static final float LN2_HI = 0.693359375f;          // ln 2 = LN2_HI - LN2_LO; n * LN2_HI
  private static final float LN2_LO = 2.12194440e-4f;        // is exact (9 significant bits)
  private static final float ROUNDER = 12582912f;            // 1.5 * 2^23
  private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  static final VectorShuffle<Float> ROT1 = VectorShuffle.iota(S, 1, 1, true);
  static final VectorShuffle<Float> ROT2 = VectorShuffle.iota(S, 2, 1, true);
  static final VectorShuffle<Float> ROT4 = VectorShuffle.iota(S, 4, 1, true);
  static final VectorShuffle<Float> ROT8 = VectorShuffle.iota(S, 8, 1, true);

  private Lanes() {}

  /**
   * e^x within 3 ulp on [-87, 88]: x = n ln2 + r, n = round(x / ln2), e^r by a degree-6 Taylor
   * polynomial on |r| <= ln2 / 2, then 2^n added to the exponent bits. Below -87 (and for
   * -infinity) it gives about 1.6e-38 rather than a smaller number or 0; above 88, e^88.
   */
  static FloatVector exp(FloatVector v) {
    FloatVector x = v.max(-87f).min(88f);
    FloatVector t = x.fma(LOG2E, ROUNDER);                   // ROUNDER + round(x / ln2)
    FloatVector m = t.sub(ROUNDER);
    FloatVector r = m.fma(FloatVector.broadcast(S, -LN2_HI), x);
    r = m.fma(FloatVector.broadcast(S, LN2_LO), r);
    FloatVector p = r.fma(1f / 720, 1f / 120);
    p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(S, 0.5f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    IntVector twoM = t.reinterpretAsInts().sub(ROUNDER_BITS).lanewise(VectorOperators.LSHL, 23);
    return p.reinterpretAsInts().add(twoM).reinterpretAsFloats();
  }

  /** Sum of the lanes in a fixed tree order (see the class comment). */
  static float sum(FloatVector a) {
    if (L >= 16) a = a.add(a.rearrange(ROT8));
    if (L >= 8) a = a.add(a.rearrange(ROT4));
    a = a.add(a.rearrange(ROT2));
    a = a.add(a.rearrange(ROT1));
    return a.lane(0);
  }
}
