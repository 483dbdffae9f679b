package org.gnn4j.internal.kernel;

import java.util.SplittableRandom;

/**
 * Random access into a {@link SplittableRandom}'s stream of {@code nextLong()} values, so that a
 * dropout mask can be evaluated at a few positions (the non-zeros of a sparse input) and still
 * equal the mask {@link NormKernels#dropoutMask} draws for every position. SplittableRandom is
 * SplitMix64: its i-th value is mix(s + (i + 1) g) for a hidden state s and odd increment g, and
 * mix is a bijection, so two values give s and g back, and a third confirms them. When the
 * confirmation fails (a JDK with another algorithm), {@link #of} returns null and the caller
 * draws the stream in order; the values are the same either way, only the cost differs.
 */
final class SplitMixJump {
  // modular inverses (mod 2^64) of mix's two odd multipliers
  private static final long M1 = 0xbf58476d1ce4e5b9L;
  private static final long M2 = 0x94d049bb133111ebL;
  private static final long M1_INV = inverse(M1);
  private static final long M2_INV = inverse(M2);

  private final long first;       // the state that gave value 0
  private final long gamma;

  private SplitMixJump(long first, long gamma) {
    this.first = first;
    this.gamma = gamma;
  }

  /**
   * Reads values 0, 1 and 2 of {@code s} into {@code head} ([3]) and returns the jump that
   * reproduces them, or null when they do not fit SplitMix64 (then {@code head} holds them for
   * an in-order reader, which continues with {@code s.nextLong()} at value 3).
   */
  static SplitMixJump of(SplittableRandom s, long[] head) {
    head[0] = s.nextLong();
    head[1] = s.nextLong();
    head[2] = s.nextLong();
    long a = unmix(head[0]);
    long g = unmix(head[1]) - a;
    SplitMixJump j = new SplitMixJump(a, g);
    return (g & 1L) == 1L && j.at(2) == head[2] ? j : null;
  }

  /** Value {@code i} of the stream (0-based). */
  long at(long i) {
    return mix(first + i * gamma);
  }

  // SplitMix64's output function (Stafford's variant 13), as SplittableRandom applies it
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * M1;
    z = (z ^ (z >>> 27)) * M2;
    return z ^ (z >>> 31);
  }

  static long unmix(long z) {
    z = unshift(z, 31) * M2_INV;
    z = unshift(z, 27) * M1_INV;
    return unshift(z, 30);
  }

  // inverse of z ^ (z >>> k): each pass recovers k more high bits
  private static long unshift(long z, int k) {
    long x = z;
    for (int done = k; done < 64; done += k) x = z ^ (x >>> k);
    return x;
  }

  // Newton's iteration x <- x (2 - a x) doubles the correct low bits; a is its own inverse mod 8
  private static long inverse(long a) {
    long x = a;
    for (int i = 0; i < 5; i++) x *= 2 - a * x;
    return x;
  }
}
