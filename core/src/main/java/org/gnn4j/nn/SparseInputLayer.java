package org.gnn4j.nn;

import org.gnn4j.graph.Graph;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.tensor.Tensor;

/**
 * A layer that can read its input as {@link SparseFeatures}: the first layer of a model on raw,
 * mostly-zero features (bag-of-words), whose input projection then costs the non-zeros instead
 * of the whole matrix. {@link #forwardSparse} equals {@code forward} on the dense matrix.
 */
public interface SparseInputLayer extends GraphLayer {
  /**
   * @param x [N, F] features, the same values {@code forward} would take densely
   * @return what {@code forward(dense x, graph, edgeAttr)} returns
   */
  Tensor forwardSparse(SparseFeatures x, Graph graph, Tensor edgeAttr);
}
