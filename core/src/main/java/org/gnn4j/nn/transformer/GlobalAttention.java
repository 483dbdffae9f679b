package org.gnn4j.nn.transformer;

import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * Self-attention among all nodes of each graph of a batch, the "global" half of a GPS layer:
 * exact softmax attention ({@link MultiHeadAttention}) or Performer linear attention
 * ({@link PerformerAttention}), chosen by {@link GpsLayer.AttnType}.
 */
public interface GlobalAttention extends Module {
  /**
   * @param x [N, C]
   * @param graphPtr node offsets of the graphs (length G + 1), see {@code Graph.graphPtr}
   * @return [N, C]
   */
  Tensor forwardWithinGraphs(Tensor x, int[] graphPtr);
}
