package org.gnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Opt-in capture of attention weights: hand one to an {@link AttentionLayer} with
 * {@link AttentionLayer#recordAttention}, run a forward pass, read {@link #recorded()}. Layers
 * keep their fused kernels (which never hold the [E, H] weights) for the output and, only
 * while a recorder is set, also compute the weights with the unfused composition of the same
 * scores (SDDMM or gathered scores, then edge softmax). Global attention over all pairs of a
 * graph's nodes needs sum_g N_g^2 weights per head; a recorder refuses more than
 * {@code maxWeights} of them, before allocating.
 */
public final class AttentionRecorder {
  /** Default cap on E * H recorded by one layer call: 64M floats (256 MB). */
  public static final long DEFAULT_MAX_WEIGHTS = 1L << 26;

  private final int layer;
  private final long maxWeights;
  private final List<AttentionWeights> recorded = new ArrayList<>();

  /** A recorder that stamps what it records with {@code layer}. */
  public AttentionRecorder(int layer) {
    this(layer, DEFAULT_MAX_WEIGHTS);
  }

  public AttentionRecorder(int layer, long maxWeights) {
    if (maxWeights < 1) {
      throw new IllegalArgumentException("AttentionRecorder: maxWeights must be >= 1 (got "
          + maxWeights + ")");
    }
    this.layer = layer;
    this.maxWeights = maxWeights;
  }

  public int layer() {
    return layer;
  }

  /**
   * Refuses a pattern too large to record, before any weight is computed.
   *
   * @param what the layer, for the message
   * @throws IllegalArgumentException if edges x heads exceeds the cap
   */
  public void checkSize(String what, long edges, int heads) {
    if (edges * heads > maxWeights) {
      throw new IllegalArgumentException(what + ": recording its attention needs " + edges
          + " edges x " + heads + " heads = " + edges * heads + " weights, more than the "
          + maxWeights + " allowed; record on a smaller graph");
    }
  }

  /** Keeps a detached copy of weights [E, H] over {@code edges}. */
  private void add(EdgeIndex edges, Tensor weights) {
    Tensor w = weights.ctx().tensor(weights.data().clone(), weights.dim(0), weights.dim(1));
    recorded.add(new AttentionWeights(layer, edges, w));
  }

  /**
   * Called by layers: checks the size, then computes the weights without recording gradients
   * and keeps them.
   *
   * @param op the layer, for messages
   * @param weights computes alpha [E, H] over {@code edges}
   */
  public void record(String op, Context ctx, EdgeIndex edges, int heads,
                     Supplier<Tensor> weights) {
    checkSize(op, edges.numEdges(), heads);
    try (var s = ctx.noGrad()) {
      add(edges, weights.get());
    }
  }

  /** What was recorded, one entry per attention call, in call order. */
  public List<AttentionWeights> recorded() {
    return List.copyOf(recorded);
  }
}
