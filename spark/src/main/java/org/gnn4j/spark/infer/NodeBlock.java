package org.gnn4j.spark.infer;

import java.io.Serializable;

/**
 * The nodes of one slot ({@link Slots}) between two layers of layer-wise inference: their ids,
 * their rows and their statistics, each a flat array, so a block moves and caches as a few
 * primitive arrays rather than an object per node. A plain class (not a record) so that any
 * Spark serializer can build it.
 */
final class NodeBlock implements Serializable {
  final int slot;
  final long[] ids;        // [B]
  final int width;
  final float[] h;         // [B, width]
  final float[] stats;     // [B, LayerPlan.Stats.WIDTH]

  NodeBlock(int slot, long[] ids, int width, float[] h, float[] stats) {
    this.slot = slot;
    this.ids = ids;
    this.width = width;
    this.h = h;
    this.stats = stats;
  }

  int size() {
    return ids.length;
  }

  /**
   * A block after a layer's node-side step: the layer's input rows (encoded, for the residual and
   * the global sums) and what the step gives each node ({@link LayerPlan.NodeSide}).
   */
  static final class Side implements Serializable {
    final NodeBlock in;
    final int sendWidth;
    final float[] send;      // [B, sendWidth]
    final int keepWidth;
    final float[] keep;      // [B, keepWidth]

    Side(NodeBlock in, int sendWidth, float[] send, int keepWidth, float[] keep) {
      this.in = in;
      this.sendWidth = sendWidth;
      this.send = send;
      this.keepWidth = keepWidth;
      this.keep = keep;
    }
  }
}
