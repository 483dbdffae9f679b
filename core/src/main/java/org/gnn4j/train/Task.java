package org.gnn4j.train;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.Optimizer;

/**
 * What a {@link Trainer} trains on: one epoch of optimisation steps and the evaluation of a split.
 * A task owns its data and its loss, so the trainer's loop (epochs, early stopping,
 * checkpoints, logging) is the same for node classification on one graph and for graph
 * regression over mini-batches.
 *
 * @param <M> the model the task feeds: {@link org.gnn4j.model.GraphModel} for homogeneous data,
 *     {@link org.gnn4j.model.HeteroGraphModel} for heterogeneous data
 */
public interface Task<M extends Module> {
  /**
   * Runs one epoch of training steps (the model is in training mode).
   *
   * @param rng this epoch's random stream (dropout, shuffling); derived from the seed and the
   *     epoch number, so a resumed run draws the same numbers
   * @param beforeStep called before every optimiser step (gradient clipping, schedules)
   * @return the mean training loss of the epoch
   */
  double trainEpoch(M model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep);

  /**
   * Evaluates a split in eval mode without recording gradients.
   *
   * @param split {@code train}, {@code val} or {@code test}
   * @return metric name to value, at least {@link #metric()} and {@code loss}
   */
  Map<String, Double> evaluate(M model, String split);

  /** The metric early stopping and model selection watch: {@code accuracy}, {@code mae}, ... */
  String metric();

  /** Whether a larger {@link #metric()} is better (accuracy) or worse (MAE). */
  boolean higherIsBetter();

  /** Whether the task has a validation split (else the last epoch's model is kept). */
  boolean hasValidation();

  /**
   * The largest graph one training step feeds the model (nodes, edges and input width), for
   * {@link StepMemory} to check against the heap before training starts; null when unknown.
   */
  default StepSize largestStep() {
    return null;
  }

  /** The size of one training step's input graph. */
  record StepSize(long nodes, long edges, long features) {}
}
