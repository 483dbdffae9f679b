package org.gnn4j.spark.infer.attention;

import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.spark.infer.LayerPlan;

/**
 * The layer plans of the softmax-attention kinds (gat, gatv2, transformer), built from a trained
 * layer of a {@code GraphModel}: the engine asks here first and falls back to its own kinds when
 * the answer is null.
 */
public final class AttentionPlans {
  private AttentionPlans() {}

  /**
   * @return the plan of {@code layer}, or null when it is not an attention layer this package
   *     plans
   * @throws IllegalArgumentException naming the layer when it is one, but in a form layer-wise
   *     inference cannot run (bipartite)
   */
  public static LayerPlan of(GraphLayer layer) {
    if (layer instanceof GatConv gat) return GatPlan.of(gat);
    if (layer instanceof GatV2Conv gat) return GatV2Plan.of(gat);
    if (layer instanceof TransformerConv t) return TransformerPlan.of(t);
    return null;
  }
}
