package org.gnn4j.spark.precompute;

/** SplitMix64's finaliser (Steele et al.), the hash behind node placement and walk draws. */
final class Mix {
  private Mix() {}

  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
