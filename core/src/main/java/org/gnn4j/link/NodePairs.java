package org.gnn4j.link;

import org.gnn4j.graph.EdgeIndex;

/**
 * An ordered list of node pairs {@code (src[i], dst[i])}: the edges or non-edges a link
 * predictor scores, a split's positives or negatives, the seed links of a mini-batch. Pairs
 * are data, not structure: the same pair may appear twice, and nothing says whether it is an
 * edge. {@link #asEdges} turns the pairs into message-passing edges.
 *
 * @param src [P] first node of every pair
 * @param dst [P] second node of every pair
 */
public record NodePairs(int[] src, int[] dst) {
  public NodePairs {
    if (src.length != dst.length) {
      throw new IllegalArgumentException("NodePairs: src has " + src.length + " entries but dst has "
          + dst.length + " (expected one dst per src)");
    }
  }

  /** No pairs. */
  public static NodePairs empty() {
    return new NodePairs(new int[0], new int[0]);
  }

  public int size() {
    return src.length;
  }

  /** These pairs followed by {@code other}'s. */
  public NodePairs concat(NodePairs other) {
    int[] s = java.util.Arrays.copyOf(src, size() + other.size());
    int[] d = java.util.Arrays.copyOf(dst, size() + other.size());
    System.arraycopy(other.src, 0, s, size(), other.size());
    System.arraycopy(other.dst, 0, d, size(), other.size());
    return new NodePairs(s, d);
  }

  /** Every pair repeated {@code times} times in a row: (a, a, b, b, ...) for 2. */
  public NodePairs repeatEach(int times) {
    int[] s = new int[Math.multiplyExact(size(), times)];
    int[] d = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = src[i / times];
      d[i] = dst[i / times];
    }
    return new NodePairs(s, d);
  }

  /**
   * The pairs as directed edges over {@code numNodes} nodes; with {@code bothDirections} every
   * pair (u, v) gives u -> v and v -> u (an undirected graph's message-passing edges).
   *
   * @throws IllegalArgumentException if a node is out of range
   */
  public EdgeIndex asEdges(int numNodes, boolean bothDirections) {
    int p = size();
    int[] s = new int[bothDirections ? 2 * p : p];
    int[] d = new int[s.length];
    for (int i = 0; i < p; i++) {
      s[i] = src[i];
      d[i] = dst[i];
      if (bothDirections) {
        s[p + i] = dst[i];
        d[p + i] = src[i];
      }
    }
    return EdgeIndex.of(s, d, numNodes);
  }

  /** The pair key {@code u * n + v} that the samplers and splits look pairs up by. */
  static long key(int u, int v, int numNodes) {
    return (long) u * numNodes + v;
  }
}
