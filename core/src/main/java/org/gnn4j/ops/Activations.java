package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import static org.gnn4j.internal.kernel.ElementwiseKernels.ELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.EXP;
import static org.gnn4j.internal.kernel.ElementwiseKernels.GELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LEAKY_RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LOG;
import static org.gnn4j.internal.kernel.ElementwiseKernels.RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.SIGMOID;
import static org.gnn4j.internal.kernel.ElementwiseKernels.TANH;

import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.Erf;
import org.gnn4j.tensor.Tensor;

/**
 * Element-wise activation functions with PyTorch's float32 semantics: relu, leaky relu, elu,
 * exact (erf-based) gelu, sigmoid, tanh, exp and log. Each returns a new tensor of the input's
 * shape and records one {@link Node} whose backward multiplies the incoming gradient by the
 * derivative, computed from the saved input or output (whichever is cheaper). The derivative at
 * a kink follows torch: relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha.
 */
public final class Activations {
  private Activations() {}

  /** max(x, 0). */
  public static Tensor relu(Tensor x) {
    return unary("relu", RELU, x, 0f);
  }

  /** x for x > 0, slope * x otherwise (torch default slope 0.01). */
  public static Tensor leakyRelu(Tensor x, float slope) {
    return unary("leakyRelu", LEAKY_RELU, x, slope);
  }

  /** {@link #leakyRelu(Tensor, float)} with torch's default slope 0.01. */
  public static Tensor leakyRelu(Tensor x) {
    return leakyRelu(x, 0.01f);
  }

  /** x for x > 0, alpha (e^x - 1) otherwise. */
  public static Tensor elu(Tensor x, float alpha) {
    return unary("elu", ELU, x, alpha);
  }

  /** {@link #elu(Tensor, float)} with alpha = 1. */
  public static Tensor elu(Tensor x) {
    return elu(x, 1f);
  }

  /**
   * x Phi(x), Phi the standard normal CDF = (1 + erf(x / sqrt 2)) / 2 (torch's default, exact
   * form). Phi comes from the erfc formula of {@link Erf#erfc} (fractional error
   * below 1.2e-7, so Phi's absolute error is below ~6e-8): in double on the scalar kernels, in
   * float on the Vector API ones (within ~2e-6 relative of the scalar result, tested).
   * Derivative: Phi(x) + x phi(x).
   */
  public static Tensor gelu(Tensor x) {
    return unary("gelu", GELU, x, 0f);
  }

  /** 1 / (1 + e^-x); derivative y (1 - y). */
  public static Tensor sigmoid(Tensor x) {
    return unary("sigmoid", SIGMOID, x, 0f);
  }

  /** tanh x; derivative 1 - y^2. */
  public static Tensor tanh(Tensor x) {
    return unary("tanh", TANH, x, 0f);
  }

  /** e^x; derivative y. */
  public static Tensor exp(Tensor x) {
    return unary("exp", EXP, x, 0f);
  }

  /** Natural log (NaN below 0, -inf at 0, as torch); derivative 1 / x. */
  public static Tensor log(Tensor x) {
    return unary("log", LOG, x, 0f);
  }

  /**
   * Runs unary kernel {@code op} with parameter {@code p} over x into a new tensor and records
   * its backward. Shared with the scalar ops of {@link Elementwise}.
   */
  static Tensor unary(String name, int op, Tensor x, float p) {
    if (x == null) throw new IllegalArgumentException(name + ": input is null");
    float[] y = ContextAccess.floatsToOverwrite(x.ctx(), x.numel());         // unary writes all
    ContextAccess.kernels(x.ctx()).elementwise().unary(op, y, x.data(), p, y.length, ContextAccess.parallel(x.ctx()));
    return new Tensor(x.ctx(), x.shape(), y).recordedBy(new Backward(name, op, x, y, p));
  }

  private static final class Backward extends Node {
    private final String name;
    private final int op;
    private final float[] y;                               // y: the forward output
    private final float p;

    Backward(String name, int op, Tensor x, float[] y, float p) {
      super(x);
      this.name = name;
      this.op = op;
      this.y = y;
      this.p = p;
    }

    @Override
    public void backward(float[] g) {                      // g: like x
      Tensor x = inputs()[0];
      float[] dx = ContextAccess.floatsToOverwrite(inputs()[0].ctx(), g.length);
      // dx = g * f'(x), f' per op in ElementwiseKernels.unaryBackward
      ContextAccess.kernels(x.ctx()).elementwise().unaryBackward(op, dx, g, x.data(), y, p, g.length,
          ContextAccess.parallel(x.ctx()));
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return name;
    }
  }
}
