package org.gnn4j.nn.gn;

import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/**
 * A batch of graphs with node, edge and global features, the value Graph Network blocks take
 * and return (jraph's {@code GraphsTuple}, Battaglia et al.'s (u, V, E)): {@code nodes} [N, Fv],
 * {@code edges} [E, Fe] one row per edge of {@code edgeIndex}, {@code globals} [G, Fu] one row
 * per graph, {@code batch} [N] the graph of each node (any order; a graph may have no nodes).
 * Every edge must join two nodes of the same graph. Validated at construction, so blocks trust
 * it; {@link #withFeatures} swaps the features and keeps the structure, which is how blocks
 * compose.
 */
public record GraphsTuple(Tensor nodes, Tensor edges, Tensor globals, EdgeIndex edgeIndex,
                          int[] batch, int numGraphs) {
  public GraphsTuple {
    String op = "GraphsTuple";
    if (nodes == null || edges == null || globals == null || edgeIndex == null) {
      throw new IllegalArgumentException(op + ": nodes, edges, globals and edgeIndex are all"
          + " required (got a null)");
    }
    int n = edgeIndex.numDstNodes();
    if (edgeIndex.numSrcNodes() != n) {
      throw new IllegalArgumentException(op + ": needs one node set (got " + edgeIndex + ")");
    }
    if (nodes.rank() != 2 || nodes.dim(0) != n) {
      throw new IllegalArgumentException(op + ": nodes has shape " + nodes.shape()
          + ", expected [" + n + ", F] for " + edgeIndex);
    }
    if (edges.rank() != 2 || edges.dim(0) != edgeIndex.numEdges()) {
      throw new IllegalArgumentException(op + ": edges has shape " + edges.shape()
          + ", expected [" + edgeIndex.numEdges() + ", F] (one row per edge)");
    }
    if (globals.rank() != 2 || globals.dim(0) != numGraphs) {
      throw new IllegalArgumentException(op + ": globals has shape " + globals.shape()
          + ", expected [" + numGraphs + ", F] (one row per graph)");
    }
    BatchVector.check(op, batch, n, numGraphs);
    int[] src = edgeIndex.src();
    int[] dst = edgeIndex.dst();
    for (int e = 0; e < src.length; e++) {
      if (batch[src[e]] != batch[dst[e]]) {
        throw new IllegalArgumentException(op + ": edge " + e + " (" + src[e] + " -> " + dst[e]
            + ") joins graph " + batch[src[e]] + " to graph " + batch[dst[e]]
            + " (expected every edge inside one graph)");
      }
    }
  }

  /** One graph (every node in graph 0, globals [1, Fu]). */
  public static GraphsTuple single(Tensor nodes, Tensor edges, Tensor globals,
                                   EdgeIndex edgeIndex) {
    return new GraphsTuple(nodes, edges, globals, edgeIndex, new int[edgeIndex.numDstNodes()], 1);
  }

  /** The same graphs with new features. */
  public GraphsTuple withFeatures(Tensor newNodes, Tensor newEdges, Tensor newGlobals) {
    return new GraphsTuple(newNodes, newEdges, newGlobals, edgeIndex, batch, numGraphs);
  }

  /** The graph of every edge [E] (that of its source, which is that of its target). */
  public int[] edgeGraph() {
    int[] src = edgeIndex.src();
    int[] g = new int[src.length];
    for (int e = 0; e < g.length; e++) g[e] = batch[src[e]];
    return g;
  }
}
