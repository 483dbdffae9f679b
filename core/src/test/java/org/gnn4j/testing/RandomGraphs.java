package org.gnn4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.RandomGraph;

/**
 * The graphs every graph op is tested on: random ones and the edge cases that break kernels
 * (no edges, isolated nodes, one hub with 5,000 in-edges, duplicate edges, self-loops).
 */
public final class RandomGraphs {
  private RandomGraphs() {}

  /** A named test graph. */
  public record Case(String name, EdgeIndex edges) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** E edges with endpoints uniform in [0, n): duplicates and self-loops occur naturally. */
  public static EdgeIndex uniform(int n, int e, long seed) {
    return RandomGraph.uniform(n, e, new SplittableRandom(seed));
  }

  /** The standard edge cases, small enough for finite differences unless noted. */
  public static List<Case> edgeCases(long seed) {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("random-7x20", uniform(7, 20, seed)));
    cases.add(new Case("no-edges", EdgeIndex.of(new int[0], new int[0], 5)));
    // nodes 3 and 4 have neither in- nor out-edges
    cases.add(new Case("isolated-nodes",
        EdgeIndex.of(new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 2}, 5)));
    cases.add(new Case("duplicates",
        EdgeIndex.of(new int[] {0, 0, 0, 1, 2, 2}, new int[] {1, 1, 1, 2, 0, 0}, 3)));
    cases.add(new Case("self-loops",
        EdgeIndex.of(new int[] {0, 1, 1, 2, 2}, new int[] {0, 1, 2, 2, 0}, 3)));
    cases.add(new Case("hub-5000-in-edges", hub(5000, seed)));
    return cases;
  }

  /** Node 0 receives {@code inEdges} edges from nodes spread over [1, 64); plus a few others. */
  public static EdgeIndex hub(int inEdges, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 64;
    int[] src = new int[inEdges + 3];
    int[] dst = new int[inEdges + 3];
    for (int i = 0; i < inEdges; i++) {
      src[i] = 1 + r.nextInt(n - 1);
      dst[i] = 0;
    }
    src[inEdges] = 0;     dst[inEdges] = 5;
    src[inEdges + 1] = 5; dst[inEdges + 1] = 6;
    src[inEdges + 2] = 6; dst[inEdges + 2] = 6;
    return EdgeIndex.of(src, dst, n);
  }
}
