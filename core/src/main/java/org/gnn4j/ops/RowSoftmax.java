package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Tensor;

/**
 * Softmax and log-softmax over the last dimension of a tensor of any rank >= 1 (each row of
 * the [rows, cols] view normalised on its own), computed stably by subtracting the row max, as
 * torch.softmax(x, -1) / log_softmax(x, -1). The backward uses only the saved output:
 * softmax dx = y (g - sum g y), log-softmax dx = g - softmax(x) sum g.
 */
public final class RowSoftmax {
  private RowSoftmax() {}

  /** softmax(x, dim=-1): rows sum to 1. */
  public static Tensor softmax(Tensor x) {
    return apply("softmax", x, false);
  }

  /** log_softmax(x, dim=-1), without forming softmax then log (no underflow to -inf). */
  public static Tensor logSoftmax(Tensor x) {
    return apply("logSoftmax", x, true);
  }

  private static Tensor apply(String name, Tensor x, boolean log) {
    if (x == null) throw new IllegalArgumentException(name + ": input is null");
    if (x.rank() < 1) {
      throw new IllegalArgumentException(name + ": needs at least one dimension (got shape "
          + x.shape() + ", expected [..., C])");
    }
    int rows = x.rows();
    int cols = x.cols();
    float[] y = ContextAccess.floats(x.ctx(), x.numel());
    if (y.length > 0) {
      ContextAccess.kernels(x.ctx()).norm().softmax(y, x.data(), rows, cols, log, ContextAccess.parallel(x.ctx()));
    }
    return new Tensor(x.ctx(), x.shape(), y).recordedBy(new Backward(name, x, y, log));
  }

  private static final class Backward extends Node {
    private final String name;
    private final float[] y;                               // y: forward output [rows, cols]
    private final boolean log;

    Backward(String name, Tensor x, float[] y, boolean log) {
      super(x);
      this.name = name;
      this.y = y;
      this.log = log;
    }

    @Override
    public void backward(float[] g) {                      // g: [rows, cols]
      Tensor x = inputs()[0];
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), g.length);
      if (dx.length > 0) {
        ContextAccess.kernels(x.ctx()).norm().softmaxBackward(dx, g, y, x.rows(), x.cols(), log,
            ContextAccess.parallel(x.ctx()));
      }
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return name;
    }
  }
}
