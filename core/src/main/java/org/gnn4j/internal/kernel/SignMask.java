package org.gnn4j.internal.kernel;

/**
 * The ReLU family's "is x positive" as an int mask, for backward loops that select without a
 * branch: on a layer's pre-activations the sign is a coin toss, and {@code x > 0 ? g : 0}
 * compiles to a branch that mispredicts half the time. One home for the rule, so every kernel
 * that masks agrees with the scalar reference ({@code x > 0f}) on zeros, subnormals, infinities
 * and NaNs.
 */
public final class SignMask {
  private SignMask() {}

  /**
   * All ones unless x > 0, else 0: x > 0 exactly when its bits b, as an int, lie in
   * [1, bits of +inf]; -0, negatives and NaNs fall outside, and one of the two differences
   * below is then negative.
   */
  public static int notPositive(float x) {
    int b = Float.floatToRawIntBits(x);
    return ((0x7F800000 - b) | (b - 1)) >> 31;
  }
}
