package org.gnn4j.nn;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/**
 * The attention one layer applied in one forward pass: for every edge j -> i of the pattern it
 * attended over (the graph's edges, with self-loops where the layer adds them, or all pairs of
 * nodes of each graph for global attention) and every head, the softmax weight alpha_ij; the
 * weights of each (target, head) sum to 1 over the target's in-edges (a target without in-edges
 * has none). What {@link AttentionRecorder} collects.
 *
 * @param layer the index the recorder was given (the layer's position in a model)
 * @param edges the pattern: edge e runs from source {@code edges.src()[e]} (key) to target
 *     {@code edges.dst()[e]} (query)
 * @param weights [E, H], detached from autograd
 */
public record AttentionWeights(int layer, EdgeIndex edges, Tensor weights) {
  public AttentionWeights {
    if (weights.rank() != 2 || weights.dim(0) != edges.numEdges()) {
      throw new IllegalArgumentException("AttentionWeights: weights must be [E, H] for the "
          + edges.numEdges() + " edges of the pattern (got " + weights.shape() + ")");
    }
  }

  /** H, the number of heads. */
  public int heads() {
    return weights.dim(1);
  }

  /** alpha of edge e, head h. */
  public float weight(int e, int h) {
    return weights.data()[e * heads() + h];
  }
}
