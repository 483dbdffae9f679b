package org.gnn4j.graph;

import java.util.SplittableRandom;

/**
 * Random graphs for benchmarks, tests and examples, drawn from an explicit seed.
 */
public final class RandomGraph {
  private RandomGraph() {}

  /**
   * {@code e} directed edges whose source and target are each uniform in [0, n), drawn in the
   * order src[0], dst[0], src[1], ... from {@code rng}: the random graphs of the shared benchmark
   * workloads. Duplicate edges and self-loops occur with small probability and are kept.
   *
   * @throws IllegalArgumentException if n &lt; 1 while e > 0, or e &lt; 0
   */
  public static EdgeIndex uniform(int n, int e, SplittableRandom rng) {
    if (e < 0 || n < 0 || (n == 0 && e > 0)) {
      throw new IllegalArgumentException("RandomGraph.uniform: need e >= 0 and n >= 1 when e > 0"
          + " (got n = " + n + ", e = " + e + ")");
    }
    int[] src = new int[e];
    int[] dst = new int[e];
    for (int i = 0; i < e; i++) {
      src[i] = rng.nextInt(n);
      dst[i] = rng.nextInt(n);
    }
    return EdgeIndex.of(src, dst, n);
  }
}
