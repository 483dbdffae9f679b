package org.gnn4j.graph;

/**
 * The directed edges of a graph in COO form: edge e goes from {@code src[e]} (source j) to
 * {@code dst[e]} (target i), and messages flow source to target, as in PyG. Validated once at
 * construction (lengths and ranges), so no op downstream rescans indices; the CSR views by
 * destination (for aggregation and attention) and by source (for their backward) are built on
 * first use and cached. Duplicate edges and self-loops are kept as separate edges. Immutable;
 * the arrays are copied in and must not be modified through {@link #src()}/{@link #dst()}.
 */
public final class EdgeIndex {
  private final int[] src;
  private final int[] dst;
  private final int numSrcNodes;
  private final int numDstNodes;
  private volatile Csr byDst;
  private volatile Csr bySrc;

  private EdgeIndex(int[] src, int[] dst, int numSrcNodes, int numDstNodes) {
    this.src = src;
    this.dst = dst;
    this.numSrcNodes = numSrcNodes;
    this.numDstNodes = numDstNodes;
  }

  /**
   * Edges between {@code numNodes} nodes.
   *
   * @throws IllegalArgumentException if the arrays differ in length or an id is outside
   *     [0, numNodes); the message names the array, position and value
   */
  public static EdgeIndex of(int[] src, int[] dst, int numNodes) {
    return bipartite(src, dst, numNodes, numNodes);
  }

  /** Edges from a set of {@code numSrcNodes} sources to a set of {@code numDstNodes} targets. */
  public static EdgeIndex bipartite(int[] src, int[] dst, int numSrcNodes, int numDstNodes) {
    if (src.length != dst.length) {
      throw new IllegalArgumentException("EdgeIndex: src and dst differ in length (got "
          + src.length + " and " + dst.length + ", expected equal)");
    }
    if (numSrcNodes < 0 || numDstNodes < 0) {
      throw new IllegalArgumentException("EdgeIndex: node counts must be >= 0 (got "
          + numSrcNodes + ", " + numDstNodes + ")");
    }
    checkRange("src", src, numSrcNodes);
    checkRange("dst", dst, numDstNodes);
    return new EdgeIndex(src.clone(), dst.clone(), numSrcNodes, numDstNodes);
  }

  private static void checkRange(String name, int[] ids, int n) {
    for (int e = 0; e < ids.length; e++) {
      if (ids[e] < 0 || ids[e] >= n) {
        throw new IllegalArgumentException("EdgeIndex: " + name + "[" + e + "] = " + ids[e]
            + " is out of range [0, " + n + ") for " + n + " nodes");
      }
    }
  }

  /** Number of edges E. */
  public int numEdges() {
    return src.length;
  }

  /** Number of nodes, for a graph whose sources and targets are the same set. */
  public int numNodes() {
    if (numSrcNodes != numDstNodes) {
      throw new IllegalStateException("EdgeIndex: bipartite edge set (" + numSrcNodes
          + " sources, " + numDstNodes + " targets) has no single node count");
    }
    return numDstNodes;
  }

  public int numSrcNodes() {
    return numSrcNodes;
  }

  public int numDstNodes() {
    return numDstNodes;
  }

  /** Source ids [E]; do not modify. */
  public int[] src() {
    return src;
  }

  /** Target ids [E]; do not modify. */
  public int[] dst() {
    return dst;
  }

  /** Edges grouped by target: row i lists the in-edges of node i and their sources. */
  public Csr csrByDst() {
    Csr c = byDst;
    if (c == null) byDst = c = Csr.build(dst, src, numDstNodes);
    return c;
  }

  /** Edges grouped by source: row j lists the out-edges of node j and their targets. */
  public Csr csrBySrc() {
    Csr c = bySrc;
    if (c == null) bySrc = c = Csr.build(src, dst, numSrcNodes);
    return c;
  }

  /** In-degree of every target node (duplicates counted). */
  public int[] inDegree() {
    int[] ptr = csrByDst().rowPtr();
    int[] deg = new int[numDstNodes];
    for (int i = 0; i < numDstNodes; i++) deg[i] = ptr[i + 1] - ptr[i];
    return deg;
  }

  @Override
  public String toString() {
    return "EdgeIndex[E=" + src.length + ", nodes=" + numSrcNodes
        + (numSrcNodes == numDstNodes ? "" : "->" + numDstNodes) + "]";
  }
}
