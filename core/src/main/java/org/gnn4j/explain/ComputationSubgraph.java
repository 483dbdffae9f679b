package org.gnn4j.explain;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;

/**
 * The part of a graph that can change the output of one node after {@code hops} rounds of
 * message passing: the nodes within {@code hops} steps upstream of it (following edges against
 * their direction, PyG's {@code k_hop_subgraph}) and every edge into those nodes, with the
 * sources of those edges. Keeping every in-edge of a node within {@code hops} gives that node
 * its full in-degree, so degree-normalised layers (GCN's D^-1/2 (A+I) D^-1/2, mean
 * aggregation, attention softmax) compute the node's output exactly as on the whole graph; the
 * nodes one step further only send messages, whose effect reaches the centre after more than
 * {@code hops} layers. Explainers run on this subgraph instead of the whole graph.
 *
 * @param nodes original ids of the subgraph's nodes, ascending
 * @param edges original ids of the subgraph's edges, ascending
 * @param sub the subgraph with ids relabelled to positions in {@code nodes}
 * @param center the explained node's position in {@code nodes}
 * @param hopOf [nodes.length] distance of each node from the centre (hops + 1 for senders only)
 */
public record ComputationSubgraph(int[] nodes, int[] edges, EdgeIndex sub, int center, int[] hopOf) {

  /**
   * @param e the whole graph
   * @param node the explained node, in [0, N)
   * @param hops the number of message-passing layers, >= 0
   */
  public static ComputationSubgraph of(EdgeIndex e, int node, int hops) {
    int[] dist = distancesTo(e, node, hops);
    int n = e.numNodes();
    int[] src = e.src();
    int[] dst = e.dst();
    boolean[] keepNode = new boolean[n];
    int edgeCount = 0;
    for (int k = 0; k < src.length; k++) if (dist[dst[k]] >= 0) edgeCount++;
    int[] edges = new int[edgeCount];
    for (int k = 0, p = 0; k < src.length; k++) {
      if (dist[dst[k]] >= 0) {
        edges[p++] = k;
        keepNode[src[k]] = true;
      }
    }
    for (int i = 0; i < n; i++) if (dist[i] >= 0) keepNode[i] = true;
    int[] local = new int[n];
    Arrays.fill(local, -1);
    int count = 0;
    for (int i = 0; i < n; i++) if (keepNode[i]) local[i] = count++;
    int[] nodes = new int[count];
    int[] hopOf = new int[count];
    for (int i = 0; i < n; i++) {
      if (keepNode[i]) {
        nodes[local[i]] = i;
        hopOf[local[i]] = dist[i] >= 0 ? dist[i] : hops + 1;
      }
    }
    int[] s = new int[edgeCount];
    int[] d = new int[edgeCount];
    for (int p = 0; p < edgeCount; p++) {
      s[p] = local[src[edges[p]]];
      d[p] = local[dst[edges[p]]];
    }
    return new ComputationSubgraph(nodes, edges, EdgeIndex.of(s, d, count), local[node], hopOf);
  }

  /**
   * Upstream distance of every node to {@code node} (breadth-first over in-edges), -1 beyond
   * {@code hops}.
   */
  public static int[] distancesTo(EdgeIndex e, int node, int hops) {
    int n = e.numNodes();
    if (node < 0 || node >= n) {
      throw new IllegalArgumentException("node " + node + " is outside the graph (valid: 0 to "
          + (n - 1) + ")");
    }
    int[] dist = new int[n];
    Arrays.fill(dist, -1);
    dist[node] = 0;
    Csr in = e.csrByDst();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(node);
    while (!queue.isEmpty()) {
      int i = queue.poll();
      if (dist[i] == hops) continue;
      for (int p = in.rowPtr()[i]; p < in.rowPtr()[i + 1]; p++) {
        int j = in.col()[p];
        if (dist[j] < 0) {
          dist[j] = dist[i] + 1;
          queue.add(j);
        }
      }
    }
    return dist;
  }
}
