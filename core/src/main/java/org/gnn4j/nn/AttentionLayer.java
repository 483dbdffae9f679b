package org.gnn4j.nn;

/**
 * A layer that can report the attention it applies. While a recorder is set, each forward
 * pass adds one {@link AttentionWeights} to it; with none (the default) the layer runs exactly
 * as it otherwise does, on its fused kernels, allocating nothing for attention.
 */
public interface AttentionLayer extends Module {
  /** Starts recording into {@code recorder}, or stops with null. */
  void recordAttention(AttentionRecorder recorder);

  /**
   * Whether this layer has softmax attention weights to report (a GPS layer with Performer
   * attention has none: it never forms them).
   */
  default boolean hasAttentionWeights() {
    return true;
  }
}
