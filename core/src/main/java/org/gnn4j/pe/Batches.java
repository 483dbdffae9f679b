package org.gnn4j.pe;

/** Checks a per-graph node count array and turns it into node offsets. */
final class Batches {
  private Batches() {}

  /**
   * @return [G + 1] offsets, graph g owning nodes [offsets[g], offsets[g+1])
   * @throws IllegalArgumentException naming {@code op} if a count is negative or the counts do
   *     not add up to n
   */
  static int[] offsets(String op, int n, int[] nodesPerGraph) {
    if (nodesPerGraph == null) {
      throw new IllegalArgumentException(op + ": nodesPerGraph is null (expected [G] counts)");
    }
    int[] off = new int[nodesPerGraph.length + 1];
    for (int g = 0; g < nodesPerGraph.length; g++) {
      if (nodesPerGraph[g] < 0) {
        throw new IllegalArgumentException(op + ": nodesPerGraph[" + g + "] = " + nodesPerGraph[g]
            + " is negative (expected >= 0)");
      }
      off[g + 1] = off[g] + nodesPerGraph[g];
    }
    if (off[nodesPerGraph.length] != n) {
      throw new IllegalArgumentException(op + ": nodesPerGraph adds up to "
          + off[nodesPerGraph.length] + " nodes (expected " + n + ", the graph's node count)");
    }
    return off;
  }
}
