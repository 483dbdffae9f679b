package org.gnn4j.nn.gn;

import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Tensor;

/**
 * Node, edge and global features on a {@link Graph}, the value Graph Network blocks take and
 * return (jraph's {@code GraphsTuple}, Battaglia et al.'s (u, V, E)): {@code nodes} [N, Fv],
 * {@code edges} [E, Fe] one row per edge of the graph, {@code globals} [G, Fu] one row per graph
 * of the batch. The structure is the graph's (validated there); the shapes are checked here, so
 * blocks trust them. {@link #withFeatures} swaps the features and keeps the structure, which is
 * how blocks compose.
 */
public record GraphsTuple(Tensor nodes, Tensor edges, Tensor globals, Graph graph) {
  public GraphsTuple {
    String op = "GraphsTuple";
    if (nodes == null || edges == null || globals == null || graph == null) {
      throw new IllegalArgumentException(op + ": nodes, edges, globals and graph are all"
          + " required (got a null)");
    }
    if (graph.isBipartite()) {
      throw new IllegalArgumentException(op + ": needs one node set (got " + graph + ")");
    }
    int n = graph.numNodes();
    if (nodes.rank() != 2 || nodes.dim(0) != n) {
      throw new IllegalArgumentException(op + ": nodes has shape " + nodes.shape()
          + ", expected [" + n + ", F] for " + graph);
    }
    if (edges.rank() != 2 || edges.dim(0) != graph.numEdges()) {
      throw new IllegalArgumentException(op + ": edges has shape " + edges.shape()
          + ", expected [" + graph.numEdges() + ", F] (one row per edge)");
    }
    if (globals.rank() != 2 || globals.dim(0) != graph.numGraphs()) {
      throw new IllegalArgumentException(op + ": globals has shape " + globals.shape()
          + ", expected [" + graph.numGraphs() + ", F] (one row per graph)");
    }
  }

  /** The same graphs with new features. */
  public GraphsTuple withFeatures(Tensor newNodes, Tensor newEdges, Tensor newGlobals) {
    return new GraphsTuple(newNodes, newEdges, newGlobals, graph);
  }

  /** The graph of every edge [E] (that of its source, which is that of its target). */
  public int[] edgeGraph() {
    int[] src = graph.edges().src();
    int[] batch = graph.batch();
    int[] g = new int[src.length];
    for (int e = 0; e < g.length; e++) g[e] = batch[src[e]];
    return g;
  }
}
