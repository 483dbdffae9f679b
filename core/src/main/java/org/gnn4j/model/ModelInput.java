package org.gnn4j.model;

import org.gnn4j.graph.Graph;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.tensor.Tensor;

/**
 * What a {@link GraphModel} reads besides the structure: node features and/or categorical node
 * types, edge features and/or edge types, and precomputed positional encodings, all on one
 * {@link Graph} (one graph or a batch). Fields a model does not use may be null; the model
 * checks at build time that the ones it needs are there.
 *
 * @param x [N, F] node features, or null when only {@code nodeTypes} are given
 * @param nodeTypes [N] categorical node labels (atom types), or null
 * @param graph the structure, node ids in [0, N)
 * @param edgeAttr [E, D] edge features, or null
 * @param edgeTypes [E] categorical edge labels (bond types), or null
 * @param pe [N, K] positional/structural encoding, or null
 * @param xSparse x again as its non-zeros, or null; a first layer that reads raw features and
 *     can take them sparse ({@link org.gnn4j.nn.SparseInputLayer}) uses it instead of x
 */
public record ModelInput(Tensor x, int[] nodeTypes, Graph graph, Tensor edgeAttr,
                         int[] edgeTypes, Tensor pe, SparseFeatures xSparse) {
  /** Without a sparse copy of x. */
  public ModelInput(Tensor x, int[] nodeTypes, Graph graph, Tensor edgeAttr, int[] edgeTypes, Tensor pe) {
    this(x, nodeTypes, graph, edgeAttr, edgeTypes, pe, null);
  }

  /** One graph with dense node features and nothing else. */
  public static ModelInput of(Tensor x, Graph graph) {
    return new ModelInput(x, null, graph, null, null, null);
  }

  public ModelInput withPe(Tensor pe) {
    return new ModelInput(x, nodeTypes, graph, edgeAttr, edgeTypes, pe, xSparse);
  }

  /** This input with {@code xSparse}, the non-zeros of x (same values). */
  public ModelInput withSparseX(SparseFeatures xSparse) {
    return new ModelInput(x, nodeTypes, graph, edgeAttr, edgeTypes, pe, xSparse);
  }
}
