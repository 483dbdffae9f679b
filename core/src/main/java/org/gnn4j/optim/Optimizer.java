package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * A first-order optimizer over a fixed list of parameters: {@link #step()} updates them in place
 * from their current gradients, {@link #zeroGrad()} clears the gradients, the learning rate can
 * be read and changed between steps (that is how schedules drive it), and the whole internal
 * state (step count, moment buffers, learning rate) exports to and imports from named float
 * arrays, which is what a {@code Checkpoint} stores. Implementations follow the update equations
 * of the torch.optim class of the same name, with one step count for all parameters where torch
 * keeps one per parameter: the two differ only for a parameter that misses its gradient on some
 * steps (Adam's bias correction, SGD's first momentum step with dampening).
 */
public interface Optimizer {
  /** The parameters this optimizer updates, in the order their state is numbered. */
  List<Tensor> params();

  /** One update from the current gradients; parameters without a gradient are left alone. */
  void step();

  /** Clears every parameter's gradient. */
  default void zeroGrad() {
    for (Tensor p : params()) p.zeroGrad();
  }

  /** The learning rate the next {@link #step()} uses. */
  float lr();

  /**
   * Sets the learning rate for the following steps.
   *
   * @throws IllegalArgumentException unless {@code lr} is finite and {@code >= 0}
   */
  void setLr(float lr);

  /**
   * The state as named arrays (copies): {@code "step"}, {@code "lr"} and per-parameter buffers
   * named {@code "state.<i>.<buffer>"} after torch's state_dict ({@code exp_avg},
   * {@code exp_avg_sq}, {@code momentum_buffer}), {@code i} indexing {@link #params()}.
   */
  Map<String, float[]> state();

  /**
   * Restores a state exported by {@link #state()} of an optimizer of the same kind over
   * parameters of the same sizes.
   *
   * @throws IllegalArgumentException naming the entry when one is missing, unexpected, or has
   *     the wrong length; nothing is changed then
   */
  void loadState(Map<String, float[]> state);
}
