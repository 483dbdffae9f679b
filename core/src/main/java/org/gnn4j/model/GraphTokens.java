package org.gnn4j.model;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;

/**
 * A batch with one extra node per graph, its graph token (Graphormer's [VNode], Gilmer et al.'s
 * master node, OGB's virtual node): graph g's token is the first node of g, followed by g's own
 * nodes in their order, so every graph stays one contiguous block as {@link Graph} requires.
 * {@link #graph()} joins each token to and from every node of its graph (message passing hears
 * the whole graph in one hop); {@link #structure()} has the original edges only (Graphormer's
 * shortest paths must not run through the token). The original edges come first in both, in
 * their order, then per graph the token's edges: node -> token and token -> node, per node.
 *
 * @param graph N + G nodes: original edges, then 2N token edges
 * @param structure N + G nodes: the original edges only
 * @param tokenRows [G] position of each graph's token
 * @param nodeRows [N] position of each original node
 * @param order [N + G] for each position, its row in [original nodes (N); tokens (G)]
 */
record GraphTokens(Graph graph, Graph structure, int[] tokenRows, int[] nodeRows, int[] order) {
  /** The batch {@code g} with a token per graph. */
  static GraphTokens of(Graph g) {
    int n = g.numNodes();
    int graphs = g.numGraphs();
    int[] ptr = g.graphPtr();
    int[] batch = g.batch();
    int[] tokenRows = new int[graphs];
    int[] nodeRows = new int[n];
    int[] order = new int[n + graphs];
    int[] counts = new int[graphs];
    for (int k = 0; k < graphs; k++) {
      tokenRows[k] = ptr[k] + k;
      order[tokenRows[k]] = n + k;
      counts[k] = ptr[k + 1] - ptr[k] + 1;
    }
    for (int i = 0; i < n; i++) {
      nodeRows[i] = i + batch[i] + 1;
      order[nodeRows[i]] = i;
    }
    EdgeIndex e = g.edges();
    int m = e.numEdges();
    int[] src = new int[m + 2 * n];
    int[] dst = new int[m + 2 * n];
    for (int k = 0; k < m; k++) {
      src[k] = nodeRows[e.src()[k]];
      dst[k] = nodeRows[e.dst()[k]];
    }
    for (int i = 0, k = m; i < n; i++) {
      int t = tokenRows[batch[i]];
      src[k] = nodeRows[i];
      dst[k++] = t;
      src[k] = t;
      dst[k++] = nodeRows[i];
    }
    int total = n + graphs;
    Graph joined = Graph.batched(EdgeIndex.of(src, dst, total), counts);
    Graph structure = Graph.batched(EdgeIndex.of(java.util.Arrays.copyOf(src, m),
        java.util.Arrays.copyOf(dst, m), total), counts);
    return new GraphTokens(joined, structure, tokenRows, nodeRows, order);
  }

  /** Edges the token adds: 2 per original node. */
  int tokenEdges() {
    return graph.numEdges() - structure.numEdges();
  }
}
