package org.gnn4j.autograd;

import org.gnn4j.tensor.Tensor;

/**
 * One recorded application of a differentiable op: it keeps the op's inputs (and whatever the op
 * saved) and knows how to turn the gradient of the op's output into gradients of its inputs.
 * Ops subclass it next to their forward code, so forward and backward read side by side.
 */
public abstract class Node {
  private final Tensor[] inputs;

  protected Node(Tensor... inputs) {
    this.inputs = inputs;
  }

  /** Inputs of the op, in the order the op took them. */
  public final Tensor[] inputs() {
    return inputs;
  }

  /** Whether input {@code i} wants a gradient; backward skips the work for those that do not. */
  protected final boolean needsGrad(int i) {
    return inputs[i].requiresGrad();
  }

  /**
   * Adds {@code grad} (laid out like input {@code i}) to that input's gradient. The array is
   * handed over: the caller must not use it again or pass it to a second input.
   */
  protected final void accumulate(int i, float[] grad) {
    inputs[i].accumulateGrad(grad);
  }

  /**
   * Gives this node's output gradient itself (no copy) to input {@code i}: for ops whose input
   * gradient equals the output gradient (views, same-shape additions). Allowed only as the last
   * use of {@code gradOut} in {@link #backward}: autograd drops the output's gradient right after
   * the node ran, so the array has no other owner, and whatever input {@code i} later adds into it
   * can no longer be seen by this node.
   */
  protected final void handOver(int i, float[] gradOut) {
    inputs[i].accumulateGrad(gradOut);
  }

  /**
   * Given dLoss/dOutput, accumulates dLoss/dInput into every input that needs a gradient.
   *
   * @param gradOut laid out like the op's output; read-only, except that it may be handed over
   *     whole to one input as the last step ({@link #handOver})
   */
  public abstract void backward(float[] gradOut);

  /** Op name for error messages and debugging. */
  public String name() {
    return getClass().getSimpleName();
  }
}
