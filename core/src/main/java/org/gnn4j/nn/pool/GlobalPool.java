package org.gnn4j.nn.pool;

import org.gnn4j.graph.BatchVector;
import org.gnn4j.tensor.Tensor;

/**
 * Readout of a mini-batch of graphs: the node features of each graph reduced to one row
 * (PyG's {@code global_add_pool}, {@code global_mean_pool}, {@code global_max_pool}),
 * {@code out[g] = reduce_{i : batch[i] = g} x[i]}. The batch vector need not be sorted. A graph
 * with no nodes (an id in [0, numGraphs) that never occurs) gets a row of zeros for every
 * reduction, max included (as PyG). Differentiable through {@link org.gnn4j.ops.Scatter}: sum
 * and mean spread the gradient over the graph's nodes, max sends it to the first node that
 * attained the maximum.
 */
public final class GlobalPool {
  private GlobalPool() {}

  /** Sum of each graph's node rows: x [N, F] -> [numGraphs, F]. */
  public static Tensor sum(Tensor x, int[] batch, int numGraphs) {
    return pool("GlobalPool.sum", Aggregation.SUM, x, batch, numGraphs);
  }

  /** Mean of each graph's node rows: x [N, F] -> [numGraphs, F]. */
  public static Tensor mean(Tensor x, int[] batch, int numGraphs) {
    return pool("GlobalPool.mean", Aggregation.MEAN, x, batch, numGraphs);
  }

  /** Per-feature maximum over each graph's nodes: x [N, F] -> [numGraphs, F]. */
  public static Tensor max(Tensor x, int[] batch, int numGraphs) {
    return pool("GlobalPool.max", Aggregation.MAX, x, batch, numGraphs);
  }

  /**
   * The given reduction: x [N, F] -> [numGraphs, F].
   *
   * @throws IllegalArgumentException if x is not [N, F], batch is not one id per node, or an id
   *     is outside [0, numGraphs); the message names expected and found values
   */
  public static Tensor pool(Aggregation how, Tensor x, int[] batch, int numGraphs) {
    return pool("GlobalPool." + how.name().toLowerCase(java.util.Locale.ROOT), how, x, batch,
        numGraphs);
  }

  private static Tensor pool(String op, Aggregation how, Tensor x, int[] batch, int numGraphs) {
    if (x == null || x.rank() != 2) {
      throw new IllegalArgumentException(op + ": x must be [N, F] (got "
          + (x == null ? "null" : x.shape().toString()) + ")");
    }
    BatchVector.check(op, batch, x.dim(0), numGraphs);
    return how.reduce(x, batch, numGraphs);
  }
}
