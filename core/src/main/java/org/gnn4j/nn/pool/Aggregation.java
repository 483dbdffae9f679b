package org.gnn4j.nn.pool;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.ops.Scatter;
import org.gnn4j.tensor.Tensor;

/**
 * How a set of rows is reduced to one (PyG's {@code aggr}, jraph's segment ops): sum, mean or
 * per-feature max. Used by the global pools and by the Graph Network block's aggregations; an
 * empty set reduces to zeros for all three (as {@link Scatter}).
 */
public enum Aggregation {
  SUM, MEAN, MAX;

  /** src [M, ...] reduced by index [M] (values in [0, size), any order) into [size, ...]. */
  public Tensor reduce(Tensor src, int[] index, int size) {
    return switch (this) {
      case SUM -> Scatter.sum(src, index, size);
      case MEAN -> Scatter.mean(src, index, size);
      case MAX -> Scatter.max(src, index, size);
    };
  }

  /** msg [E, ...] reduced over each target's in-edges into [numDstNodes, ...]. */
  public Tensor reduce(Tensor msg, EdgeIndex edges) {
    return switch (this) {
      case SUM -> Scatter.sum(msg, edges);
      case MEAN -> Scatter.mean(msg, edges);
      case MAX -> Scatter.max(msg, edges);
    };
  }
}
