package org.gnn4j.pe;

import org.gnn4j.graph.BatchVector;

/**
 * Substructure counts for structural encodings (GSN, Bouritsas et al., arXiv:2006.09252): for
 * every node i and every length L = 3..K, the number of simple cycles of length L of the
 * undirected simple graph ({@link Adjacency}) that pass through i. Rings are what message passing
 * cannot count on its own (1-WL cannot tell a 6-ring from two 3-rings), and a molecule's rings
 * enter properties such as ZINC's penalised logP directly. Row i of the result is
 * [c_3(i), ..., c_K(i)]; a fused bicyclic such as naphthalene gives its shared atoms 1 at both
 * 6 and 10 (the two rings and their envelope). Deterministic: the counts do not depend on node
 * order or threads.
 *
 * <p>Enumeration: each cycle is found from its smallest node s by a depth-first search over
 * nodes larger than s, at most K deep, and kept in one of its two directions (second node smaller
 * than the last). The number of paths grows fast with degree and K, which is fine for molecules
 * and too slow for large dense graphs, so a graph needing more than {@link #MAX_STEPS} path
 * extensions is refused rather than left running.
 */
public final class CycleCounts {
  /** Shortest cycle of a simple graph. */
  public static final int MIN_LENGTH = 3;
  /** Longest cycle length a config may ask for. */
  public static final int MAX_LENGTH = 16;
  /** Path extensions allowed per graph before it is refused. */
  public static final long MAX_STEPS = 5_000_000L;

  private CycleCounts() {}

  /** Columns per node for cycles up to length {@code maxLength}: maxLength - 2. */
  public static int width(int maxLength) {
    return maxLength - MIN_LENGTH + 1;
  }

  /**
   * Counts for a batch whose graph g owns the next {@code nodesPerGraph[g]} nodes of {@code adj}.
   *
   * @param maxLength K, the longest cycle counted, in [3, 16]
   * @return [N * (K - 2)] row-major: cycles of length L through node i at i * (K - 2) + L - 3
   * @throws IllegalArgumentException if K is out of range, the counts do not add up to N, an
   *     edge joins two graphs, or a graph has too many paths to enumerate
   */
  public static float[] compute(Adjacency adj, int[] nodesPerGraph, int maxLength) {
    return compute(adj, nodesPerGraph, maxLength, MAX_STEPS);
  }

  /** As {@link #compute(Adjacency, int[], int)} with a given step budget (tests refuse small graphs). */
  static float[] compute(Adjacency adj, int[] nodesPerGraph, int maxLength, long maxSteps) {
    if (maxLength < MIN_LENGTH || maxLength > MAX_LENGTH) {
      throw new IllegalArgumentException("CycleCounts: maxLength must be in [" + MIN_LENGTH + ", "
          + MAX_LENGTH + "] (got " + maxLength + ")");
    }
    int[] off = BatchVector.offsets("CycleCounts", adj.n(), nodesPerGraph);
    float[] out = new float[adj.n() * width(maxLength)];
    for (int g = 0; g < nodesPerGraph.length; g++) {
      Adjacency sub = nodesPerGraph.length == 1 ? adj : adj.slice(off[g], off[g + 1]);
      new Search(sub, maxLength, out, off[g] * width(maxLength), g, maxSteps).run();
    }
    return out;
  }

  /** One graph's depth-first enumeration; state lives here so the recursion stays small. */
  private static final class Search {
    private final Adjacency adj;
    private final int maxLength;
    private final float[] out;        // [N * width] counts, this graph's rows from base
    private final int base;
    private final int graph;
    private final long maxSteps;
    private final int[] path;         // [maxLength] nodes of the current path
    private final boolean[] onPath;   // [N]
    private long steps;

    Search(Adjacency adj, int maxLength, float[] out, int base, int graph, long maxSteps) {
      this.adj = adj;
      this.maxLength = maxLength;
      this.out = out;
      this.base = base;
      this.graph = graph;
      this.maxSteps = maxSteps;
      this.path = new int[maxLength];
      this.onPath = new boolean[adj.n()];
    }

    void run() {
      for (int s = 0; s < adj.n(); s++) {
        path[0] = s;
        onPath[s] = true;
        extend(s, 1);
        onPath[s] = false;
      }
    }

    /** Path holds {@code len} nodes starting at s = path[0] and ending at u. */
    private void extend(int u, int len) {
      int s = path[0];
      for (int p = adj.rowPtr()[u]; p < adj.rowPtr()[u + 1]; p++) {
        int w = adj.col()[p];
        if (w == s) {
          // closes a cycle; of its two directions keep the one whose second node is smaller
          if (len >= MIN_LENGTH && path[1] < path[len - 1]) count(len);
        } else if (w > s && !onPath[w] && len < maxLength) {
          if (++steps > maxSteps) {
            throw new IllegalArgumentException("CycleCounts: graph " + graph + " (" + adj.n()
                + " nodes, " + adj.col().length / 2 + " edges) has more than " + maxSteps
                + " paths of up to " + maxLength + " nodes to enumerate (use a smaller maximum"
                + " cycle length, or no cycle counts for graphs this large)");
          }
          path[len] = w;
          onPath[w] = true;
          extend(w, len + 1);
          onPath[w] = false;
        }
      }
    }

    private void count(int len) {
      int w = width(maxLength);
      for (int i = 0; i < len; i++) out[base + path[i] * w + len - MIN_LENGTH] += 1f;
    }
  }
}
