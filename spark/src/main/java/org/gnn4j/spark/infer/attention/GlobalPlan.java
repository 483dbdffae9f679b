package org.gnn4j.spark.infer.attention;

import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A layer plan whose update also reads sums over every node of the graph, as linear (Performer)
 * global attention does: phi(K)^T V and phi(K)^T 1 are sums over all nodes, so they aggregate
 * like any other sum. The engine runs {@link #globalPartial} over blocks of the layer's input
 * rows (alongside {@link #nodeSide}), adds the partial sums up with {@link #mergeGlobal} in any
 * order (a tree reduce to the driver) and hands the total to every block's
 * {@link #update(Context, Tensor, Tensor, float[], double[])} (a broadcast). One graph: the
 * whole node table; a model over many graphs would need the sums keyed by graph.
 */
public interface GlobalPlan extends LayerPlan {
  /** Length of the global state. */
  int globalLength();

  /**
   * @param x [B, inWidth] a block of the layer's input rows
   * @return the block's sums, {@link #globalLength()} values
   */
  double[] globalPartial(Context ctx, Tensor x);

  /** The sum of two global states; may reuse and return {@code a}. */
  default double[] mergeGlobal(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  /**
   * {@link LayerPlan#update} with the global sums over all nodes.
   *
   * @param global the merged {@link #globalPartial} of every block of the graph
   */
  Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats, double[] global);

  /** Without the global sums the update cannot run: the engine must call the other update. */
  @Override
  default Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    throw new IllegalStateException(kind() + ": the update needs the global sums over all nodes"
        + " (GlobalPlan.update with the merged globalPartial)");
  }
}
