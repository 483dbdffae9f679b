package org.gnn4j.model;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/**
 * What a {@link GraphModel} reads from one graph or one batch of graphs, in jraph's spirit: node
 * features and/or categorical node types, edges with optional edge features and/or edge types,
 * the graph of each node, and precomputed positional encodings. Fields a model does not use may
 * be null; the model checks at build time that the ones it needs are there.
 *
 * @param x [N, F] node features, or null when only {@code nodeTypes} are given
 * @param nodeTypes [N] categorical node labels (atom types), or null
 * @param edges the edges, node ids in [0, N)
 * @param edgeAttr [E, D] edge features, or null
 * @param edgeTypes [E] categorical edge labels (bond types), or null
 * @param batch [N] graph id of every node, ascending (all zeros for one graph)
 * @param numGraphs G, the number of graphs (pooling output rows)
 * @param pe [N, K] positional/structural encoding, or null
 */
public record ModelInput(Tensor x, int[] nodeTypes, EdgeIndex edges, Tensor edgeAttr,
                         int[] edgeTypes, int[] batch, int numGraphs, Tensor pe) {
  /** One graph with dense node features and nothing else. */
  public static ModelInput ofGraph(Tensor x, EdgeIndex edges) {
    return new ModelInput(x, null, edges, null, null, new int[edges.numNodes()], 1, null);
  }

  public ModelInput withPe(Tensor pe) {
    return new ModelInput(x, nodeTypes, edges, edgeAttr, edgeTypes, batch, numGraphs, pe);
  }
}
