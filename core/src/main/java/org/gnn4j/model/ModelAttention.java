package org.gnn4j.model;

import java.util.ArrayList;
import java.util.List;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.AttentionWeights;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Reads the attention of a {@link GraphModel}'s layers: one inference pass (the model is left
 * in eval mode; no gradients) with an {@link AttentionRecorder} set on the asked layers, removed afterwards, so
 * the model's later passes run on the fused kernels as before.
 */
public final class ModelAttention {
  private ModelAttention() {}

  /** The model's output and the attention of the recorded layers, in layer order. */
  public record Recorded(Tensor output, List<AttentionWeights> attention) {}

  /** Indices of the layers that have softmax attention weights to report. */
  public static List<Integer> attentionLayers(GraphModel model) {
    List<Integer> out = new ArrayList<>();
    List<GraphLayer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof AttentionLayer a && a.hasAttentionWeights()) out.add(i);
    }
    return out;
  }

  /**
   * @param layers indices of attention layers to record (see {@link #attentionLayers})
   * @param maxWeights cap on E x H per layer call ({@link AttentionRecorder})
   * @throws IllegalArgumentException if an index is not an attention layer, or a pattern is
   *     above the cap
   */
  public static Recorded record(Context ctx, GraphModel model, ModelInput input,
                                List<Integer> layers, long maxWeights) {
    List<Integer> valid = attentionLayers(model);
    for (int l : layers) {
      if (!valid.contains(l)) {
        throw new IllegalArgumentException("attention: layer " + l + " has no attention weights"
            + " (attention layers: " + valid + ")");
      }
    }
    List<GraphLayer> stack = model.layers();
    List<AttentionRecorder> recorders = new ArrayList<>();
    model.train(false);
    try (var s = ctx.noGrad()) {
      for (int l : layers) {
        AttentionRecorder r = new AttentionRecorder(l, maxWeights);
        ((AttentionLayer) stack.get(l)).recordAttention(r);
        recorders.add(r);
      }
      Tensor out = model.forward(input);
      List<AttentionWeights> all = new ArrayList<>();
      for (AttentionRecorder r : recorders) all.addAll(r.recorded());
      return new Recorded(out, all);
    } finally {
      for (int l : layers) ((AttentionLayer) stack.get(l)).recordAttention(null);
    }
  }
}
