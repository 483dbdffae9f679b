package org.gnn4j.tensor;

import java.util.Arrays;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.autograd.Node;

/**
 * A dense float32 tensor: row-major, contiguous, with a {@link Shape}, the {@link Context} that
 * owns its threads and kernels, and, when it takes part in differentiation, its gradient and the
 * {@link Node} that produced it. Tensors are values: ops never change their inputs, and the
 * methods that do change a tensor end in {@code InPlace} and refuse a tensor autograd recorded.
 * The math lives in {@code org.gnn4j.ops}; the fluent methods here are one-line delegations.
 */
public final class Tensor {
  private final Context ctx;
  private final Shape shape;
  private final float[] data;
  private boolean leafRequiresGrad;
  private float[] grad;
  private Node node;
  private boolean recycled;   // storage went back to the step pool (Context.step) after its step

  /**
   * Wraps {@code data} (not copied) as a tensor of {@code shape}. Ops use this to wrap their
   * freshly allocated outputs; users normally go through {@link Context} factories.
   *
   * @throws IllegalArgumentException if the element count differs from {@code data.length}
   */
  public Tensor(Context ctx, Shape shape, float[] data) {
    if (shape.numel() != data.length) {
      throw new IllegalArgumentException(
          "Tensor: data has " + data.length + " elements, shape " + shape + " needs "
              + shape.numel());
    }
    this.ctx = ctx;
    this.shape = shape;
    this.data = data;
    ctx.pool.noteTensor(this, data);
  }

  public Context ctx() {
    return ctx;
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  /** Size of dimension {@code i}; negative counts from the end. */
  public int dim(int i) {
    return shape.dim(i);
  }

  public int numel() {
    return shape.numel();
  }

  /** Row count of the [rows, cols] view (product of all but the last dimension). */
  public int rows() {
    return shape.rows();
  }

  /** Size of the last dimension. */
  public int cols() {
    return shape.cols();
  }

  /**
   * The backing row-major array, not a copy. Kernels and I/O read it directly; writing to it is
   * allowed only for a tensor that autograd has not recorded (see {@link #checkMutable}).
   */
  public float[] data() {
    if (recycled) throw recycledError();
    return data;
  }

  /** The storage without the staleness check: for the step pool, which compares identities. */
  float[] storageUnchecked() {
    return data;
  }

  /** Called by the step pool when this tensor's storage was taken back at the end of its step. */
  void markRecycled() {
    recycled = true;
  }

  private IllegalStateException recycledError() {
    return new IllegalStateException("Tensor of shape " + shape + " was computed inside a"
        + " Context.step() that has closed, and its storage now serves later steps; read what"
        + " you need (or copy it with toArray()) before the step closes");
  }

  /** The element at the given indices (one per dimension). */
  public float get(int... idx) {
    if (idx.length != shape.rank()) {
      throw new IllegalArgumentException(
          "get: " + idx.length + " indices for a tensor of shape " + shape);
    }
    int flat = 0;
    for (int d = 0; d < idx.length; d++) {
      if (idx[d] < 0 || idx[d] >= shape.dim(d)) {
        throw new IndexOutOfBoundsException(
            "get: index " + idx[d] + " out of range [0, " + shape.dim(d) + ") in dimension " + d
                + " of shape " + shape);
      }
      flat = flat * shape.dim(d) + idx[d];
    }
    return data()[flat];
  }

  /** The single value of a one-element tensor. */
  public float item() {
    if (recycled) throw recycledError();
    if (data.length != 1) {
      throw new IllegalStateException("item: tensor of shape " + shape + " has " + data.length
          + " elements, expected 1");
    }
    return data[0];
  }

  /** A copy of the values. */
  public float[] toArray() {
    return data().clone();
  }

  // ---- autograd state ------------------------------------------------------------------------

  /** True for a leaf marked as needing a gradient, and for anything computed from one. */
  public boolean requiresGrad() {
    return leafRequiresGrad || node != null;
  }

  /** Marks a leaf (a parameter or input) as needing a gradient. Returns {@code this}. */
  public Tensor requiresGrad(boolean value) {
    if (node != null) {
      throw new IllegalStateException(
          "requiresGrad: only leaf tensors can be marked; this one was computed by " + node.name());
    }
    leafRequiresGrad = value;
    return this;
  }

  public boolean isLeaf() {
    return node == null;
  }

  /** The recorded op that produced this tensor, or null for a leaf or under noGrad. */
  public Node node() {
    return node;
  }

  /** dLoss/dThis after {@link #backward()}, as a tensor of the same shape; null if none. */
  public Tensor grad() {
    return grad == null ? null : new Tensor(ctx, shape, grad);
  }

  /** The raw gradient array (not a copy), or null. */
  public float[] gradArray() {
    return grad;
  }

  /** Clears the gradient (optimizers call this between steps). */
  public void zeroGrad() {
    grad = null;
  }

  /**
   * Adds {@code g} into this tensor's gradient, taking ownership of {@code g} when there is none
   * yet. Called by autograd; not for user code.
   */
  public void accumulateGrad(float[] g) {
    if (g.length != data.length) {
      throw new IllegalArgumentException("accumulateGrad: gradient has " + g.length
          + " elements, tensor of shape " + shape + " has " + data.length);
    }
    if (grad == null) {
      grad = g;
    } else {
      for (int i = 0; i < g.length; i++) grad[i] += g[i];
      ctx.pool.releaseGrad(g); // handed over and summed in: backward may reuse it in this step
    }
  }

  /**
   * Attaches the op that produced this tensor when the context records gradients and some input
   * needs one; otherwise records nothing, so inference keeps no intermediates. Returns this.
   */
  public Tensor recordedBy(Node producer) {
    if (!ctx.gradEnabled()) return this;
    for (Tensor in : producer.inputs()) {
      if (in != null && in.requiresGrad()) {
        this.node = producer;
        return this;
      }
    }
    return this;
  }

  /** Drops the recorded op and, for a non-leaf, the gradient: called once backward used them. */
  public void releaseGraph() {
    if (node != null) {
      node = null;
      grad = null;
    }
  }

  /** Back-propagates from this one-element tensor (usually the loss). */
  public void backward() {
    Autograd.backward(this);
  }

  /** A tensor sharing this one's values but cut out of the autograd graph. */
  public Tensor detach() {
    return new Tensor(ctx, shape, data());
  }

  /**
   * Throws unless this tensor may be changed in place: a tensor an op recorded, or one that
   * requires a gradient outside noGrad, would silently corrupt a later backward pass.
   */
  public void checkMutable(String op) {
    if (node != null || (leafRequiresGrad && ctx.gradEnabled())) {
      throw new IllegalStateException(op + ": cannot modify a tensor that autograd tracks"
          + " (shape " + shape + "); do it under ctx.noGrad() or on a detached copy");
    }
  }

  /** Sets every element to {@code value}. Returns this. */
  public Tensor fillInPlace(float value) {
    checkMutable("fillInPlace");
    Arrays.fill(data(), value);
    return this;
  }

  // ---- fluent ops: one-line delegations to org.gnn4j.ops -------------------------------------

  /** {@code this @ other}; see {@link org.gnn4j.ops.MatMul}. */
  public Tensor matmul(Tensor other) {
    return org.gnn4j.ops.MatMul.matmul(this, other);
  }

  /** {@code op(this) @ op(other)} with optional transposes of the last two dimensions. */
  public Tensor matmul(Tensor other, boolean transThis, boolean transOther) {
    return org.gnn4j.ops.MatMul.matmul(this, other, transThis, transOther);
  }

  /** Broadcasting {@code this + other}. */
  public Tensor add(Tensor other) {
    return org.gnn4j.ops.Elementwise.add(this, other);
  }

  public Tensor sub(Tensor other) {
    return org.gnn4j.ops.Elementwise.sub(this, other);
  }

  public Tensor mul(Tensor other) {
    return org.gnn4j.ops.Elementwise.mul(this, other);
  }

  public Tensor div(Tensor other) {
    return org.gnn4j.ops.Elementwise.div(this, other);
  }

  public Tensor add(float c) {
    return org.gnn4j.ops.Elementwise.addScalar(this, c);
  }

  public Tensor mul(float c) {
    return org.gnn4j.ops.Elementwise.mulScalar(this, c);
  }

  public Tensor pow(float p) {
    return org.gnn4j.ops.Elementwise.powScalar(this, p);
  }

  public Tensor neg() {
    return org.gnn4j.ops.Elementwise.neg(this);
  }

  public Tensor sqrt() {
    return org.gnn4j.ops.Elementwise.sqrt(this);
  }

  public Tensor exp() {
    return org.gnn4j.ops.Activations.exp(this);
  }

  public Tensor log() {
    return org.gnn4j.ops.Activations.log(this);
  }

  public Tensor relu() {
    return org.gnn4j.ops.Activations.relu(this);
  }

  public Tensor leakyRelu(float negativeSlope) {
    return org.gnn4j.ops.Activations.leakyRelu(this, negativeSlope);
  }

  public Tensor elu(float alpha) {
    return org.gnn4j.ops.Activations.elu(this, alpha);
  }

  public Tensor gelu() {
    return org.gnn4j.ops.Activations.gelu(this);
  }

  public Tensor sigmoid() {
    return org.gnn4j.ops.Activations.sigmoid(this);
  }

  public Tensor tanh() {
    return org.gnn4j.ops.Activations.tanh(this);
  }

  /** Softmax over the last dimension. */
  public Tensor softmax() {
    return org.gnn4j.ops.RowSoftmax.softmax(this);
  }

  public Tensor logSoftmax() {
    return org.gnn4j.ops.RowSoftmax.logSoftmax(this);
  }

  /** Sum over {@code dim} (negative counts from the end). */
  public Tensor sum(int dim) {
    return org.gnn4j.ops.Reductions.sum(this, dim, false);
  }

  public Tensor mean(int dim) {
    return org.gnn4j.ops.Reductions.mean(this, dim, false);
  }

  /** Sum of all elements, as a scalar tensor. */
  public Tensor sum() {
    return org.gnn4j.ops.Reductions.sumAll(this);
  }

  public Tensor mean() {
    return org.gnn4j.ops.Reductions.meanAll(this);
  }

  /** The same values under another shape (one dimension may be -1); shares storage. */
  public Tensor view(int... dims) {
    return org.gnn4j.ops.Reshape.reshape(this, dims);
  }

  /** Swaps two dimensions (a contiguous copy). */
  public Tensor transpose(int d0, int d1) {
    return org.gnn4j.ops.Reshape.transpose(this, d0, d1);
  }

  /** Rows {@code index} of dimension 0 (index_select). */
  public Tensor indexSelect(int[] index) {
    return org.gnn4j.ops.IndexSelect.rows(this, index);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ');
    if (recycled) return sb.append("[recycled after its step]").toString();
    int show = Math.min(data.length, 8);
    sb.append('[');
    for (int i = 0; i < show; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
    if (show < data.length) sb.append(", ...");
    sb.append(']');
    if (requiresGrad()) sb.append(node == null ? " requiresGrad" : " grad_fn=" + node.name());
    return sb.toString();
  }
}
