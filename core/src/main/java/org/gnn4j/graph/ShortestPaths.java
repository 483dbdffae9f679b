package org.gnn4j.graph;

import java.util.Arrays;

/**
 * Shortest-path tables of a batch of small graphs, the structural input of Graphormer (Ying et
 * al., arXiv:2106.05234): for every ordered pair of nodes of the same graph, the hop distance
 * and the edge ids along one shortest path. Pair p is edge p of {@link #pairs()}, i.e.
 * {@code EdgeSets.withinGraphs(batch)}: it is {@code j -> i} (key j, query i), ordered by graph,
 * then i, then j, so per-pair tensors line up with attention over that pattern. The distance of
 * pair {@code j -> i} is the number of edges on a shortest directed path from j to i (the way a
 * message travels; for an undirected graph stored with both directions it is the symmetric
 * distance). Distances are capped at {@code maxDist}; id {@code maxDist + 1}
 * ({@link #unreachable()}) marks pairs with no path, so a bias table needs
 * {@link #numDistanceIds()} rows. For the edge encoding the first {@code min(d, maxDist)} edges
 * of one shortest path are kept, found by BFS from each source over its out-edges (the edge
 * that first reaches a node is its parent, so ties go to the lowest CSR position: deterministic).
 *
 * <p>Memory is O(sum over graphs of n_g^2 * (1 + maxDist)) ints and time O(sum n_g (n_g + e_g)
 * + pairs * distance): meant for molecule-sized graphs; a batch whose tables exceed a Java array
 * is refused with the size of its largest graph.
 */
public final class ShortestPaths {
  private static final String OP = "ShortestPaths";
  private final int maxDist;
  private final int numEdges;
  private final int[] graphPtr;     // [G + 1] node offsets
  private final int[] batch;        // [N] graph id of every node
  private final int[] pairPtr;      // [G + 1] first pair of each graph
  private final EdgeIndex pairs;    // P = sum n_g^2 pairs j -> i
  private final int[] dist;         // [P] distance id in [0, maxDist + 1]
  private final int[] pathEdges;    // [P, maxDist] edge ids from j towards i, -1 padded

  private ShortestPaths(int maxDist, int numEdges, int[] graphPtr, int[] batch, EdgeIndex pairs,
                        int[] dist, int[] pathEdges) {
    this.maxDist = maxDist;
    this.numEdges = numEdges;
    this.graphPtr = graphPtr;
    this.batch = batch;
    this.pairPtr = new int[graphPtr.length];
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      int ng = graphPtr[g + 1] - graphPtr[g];
      pairPtr[g + 1] = pairPtr[g] + ng * ng;
    }
    this.pairs = pairs;
    this.dist = dist;
    this.pathEdges = pathEdges;
  }

  /** Tables of a single graph (every node in graph 0). */
  public static ShortestPaths compute(EdgeIndex edges, int maxDist) {
    return compute(Graph.of(edges), maxDist);
  }

  /**
   * @param edges the edges of all graphs of the batch; no edge may join two graphs
   * @param batch graph id of every node, sorted ascending (PyG's batch vector)
   * @see #compute(Graph, int)
   */
  public static ShortestPaths compute(EdgeIndex edges, int[] batch, int maxDist) {
    if (batch == null) {
      throw new IllegalArgumentException(OP + ": batch is null (expected one graph id per node)");
    }
    return compute(Graph.fromBatchVector(edges, batch), maxDist);
  }

  /**
   * The tables of every graph of {@code graph}; {@link Graph#shortestPaths} keeps them.
   *
   * @param maxDist largest distance kept apart (>= 1); longer paths share id maxDist
   * @throws IllegalArgumentException if maxDist < 1 or the pairwise tables do not fit in an
   *     array
   */
  static ShortestPaths compute(Graph graph, int maxDist) {
    if (maxDist < 1) {
      throw new IllegalArgumentException(OP + ": maxDist must be >= 1 (got " + maxDist + ")");
    }
    EdgeIndex edges = graph.edges();
    int[] src = edges.src();
    int[] batch = graph.batch();
    int[] graphPtr = graph.graphPtr();
    long pairCount = 0;
    int largest = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      int ng = graphPtr[g + 1] - graphPtr[g];
      pairCount += (long) ng * ng;
      largest = Math.max(largest, ng);
    }
    if (pairCount * maxDist > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(OP + ": the pairwise tables need " + pairCount
          + " pairs x " + maxDist + " hops, more than a Java array holds (largest graph: "
          + largest + " nodes); expected molecule-sized graphs: split the batch or lower maxDist");
    }
    int p = (int) pairCount;
    int[] dist = new int[p];
    int[] path = new int[p * maxDist];
    Arrays.fill(path, -1);
    Csr out = edges.csrBySrc();
    int[] queue = new int[largest];
    int[] d = new int[largest];
    int[] parent = new int[largest];
    int offset = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      int start = graphPtr[g];
      int ng = graphPtr[g + 1] - start;
      for (int j = 0; j < ng; j++) {
        bfs(out, start, ng, j, queue, d, parent);
        for (int i = 0; i < ng; i++) {
          int pair = offset + i * ng + j;
          dist[pair] = d[i] < 0 ? maxDist + 1 : Math.min(d[i], maxDist);
          int node = i;
          for (int hop = d[i] - 1; hop >= 0; hop--) {
            int e = parent[node];
            if (hop < maxDist) path[pair * maxDist + hop] = e;
            node = src[e] - start;
          }
        }
      }
      offset += ng * ng;
    }
    return new ShortestPaths(maxDist, edges.numEdges(), graphPtr, batch,
        EdgeSets.withinGraphs(batch), dist, path);
  }

  /** BFS from local node j of the graph at [start, start + n): d[i] hops (-1 unreached). */
  private static void bfs(Csr out, int start, int n, int j, int[] queue, int[] d, int[] parent) {
    Arrays.fill(d, 0, n, -1);
    int[] rowPtr = out.rowPtr();
    int head = 0;
    int tail = 0;
    d[j] = 0;
    queue[tail++] = j;
    while (head < tail) {
      int u = queue[head++];
      for (int q = rowPtr[start + u]; q < rowPtr[start + u + 1]; q++) {
        int w = out.col()[q] - start;
        if (d[w] < 0) {
          d[w] = d[u] + 1;
          parent[w] = out.edge()[q];
          queue[tail++] = w;
        }
      }
    }
  }


  /** Largest distance kept apart. */
  public int maxDist() {
    return maxDist;
  }

  /** The id of pairs without a path: maxDist + 1. */
  public int unreachable() {
    return maxDist + 1;
  }

  /** Rows a per-distance table needs: ids 0 .. maxDist + 1. */
  public int numDistanceIds() {
    return maxDist + 2;
  }

  /** Number of edges of the graph the paths run on (rows of its edge features). */
  public int numEdges() {
    return numEdges;
  }

  /** Node offsets of the graphs, length G + 1. */
  public int[] graphPtr() {
    return graphPtr.clone();
  }

  /** The pairs as an attention pattern: pair p is edge p, j -> i, of this edge index. */
  public EdgeIndex pairs() {
    return pairs;
  }

  public int numPairs() {
    return dist.length;
  }

  /** Distance id of every pair [P]; do not modify. */
  public int[] distances() {
    return dist;
  }

  /** Distance id from node j to node i (global ids of the same graph). */
  public int distance(int j, int i) {
    return dist[pairIndex(j, i)];
  }

  /** Number of path edges kept for pair p: min(distance, maxDist), 0 when unreachable. */
  public int pathLength(int p) {
    return dist[p] > maxDist ? 0 : dist[p];
  }

  /** Edge id of hop {@code hop} (0 = the edge leaving j) of pair p's path. */
  public int pathEdge(int p, int hop) {
    if (hop < 0 || hop >= pathLength(p)) {
      throw new IllegalArgumentException(OP + ": hop " + hop + " is outside pair " + p
          + "'s path (expected 0 <= hop < " + pathLength(p) + ")");
    }
    return pathEdges[p * maxDist + hop];
  }

  /** Position of pair j -> i in the tables. */
  public int pairIndex(int j, int i) {
    int n = pairs.numDstNodes();
    if (i < 0 || i >= n || j < 0 || j >= n) {
      throw new IllegalArgumentException(OP + ": node out of range (got j = " + j + ", i = " + i
          + ", expected ids in [0, " + n + "))");
    }
    int g = batch[i];
    int start = graphPtr[g];
    int ng = graphPtr[g + 1] - start;
    if (batch[j] != g) {
      throw new IllegalArgumentException(OP + ": nodes " + j + " and " + i
          + " are in different graphs (got graphs " + batch[j] + " and " + g
          + ", expected one graph)");
    }
    return pairPtr[g] + (i - start) * ng + (j - start);
  }
}
