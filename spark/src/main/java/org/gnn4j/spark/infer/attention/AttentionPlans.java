package org.gnn4j.spark.infer.attention;

import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.spark.infer.LayerPlan;

/**
 * The layer plans of the attention kinds, built from a trained layer of a {@code GraphModel}:
 * softmax attention (gat, gatv2, transformer) and GPS with Performer global attention, whose
 * local layer's plan the engine builds and passes in.
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

  /**
   * The plan of a GPS layer with Performer global attention.
   *
   * @param local the plan of its local layer ({@code conv}: gin, gine or resgated), built by the
   *     engine from the parameters under {@code conv.}
   * @throws IllegalArgumentException naming the layer when its global attention is exact
   *     multi-head attention, or the local plan's widths do not fit
   */
  public static GlobalPlan gps(GpsLayer layer, LayerPlan local) {
    return GpsPerformerPlan.of(layer, local);
  }
}
