package org.gnn4j.spark.infer;

import java.io.Serializable;
import java.util.Map;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A linear map y = x W^T (+ b) held as plain float arrays, so that it travels to executors in a
 * broadcast, and applied to a block of rows with the same gnn4j op {@code Linear} uses
 * ({@link MatMul#linear}, or {@link MatMul#matmul} without a bias), so each row comes out as it
 * does on one machine.
 *
 * @param weight [out, in] row-major
 * @param bias [out] or null
 */
public record Dense(float[] weight, int out, int in, float[] bias) implements Serializable {
  /** The weight and optional bias a model stores under {@code prefix.weight} and {@code prefix.bias}. */
  static Dense of(Map<String, Tensor> params, String prefix) {
    Tensor w = params.get(prefix + ".weight");
    if (w == null) throw new IllegalStateException("checkpoint: no parameter " + prefix + ".weight");
    Tensor b = params.get(prefix + ".bias");
    return new Dense(w.toArray(), w.dim(0), w.dim(1), b == null ? null : b.toArray());
  }

  /** The same weight without its bias. */
  Dense withoutBias() {
    return new Dense(weight, out, in, null);
  }

  /** @param x [B, in] -> [B, out] */
  public Tensor apply(Context ctx, Tensor x) {
    Tensor w = ctx.tensor(weight, out, in);
    return bias == null ? MatMul.matmul(x, w, false, true) : MatMul.linear(x, w, ctx.tensor(bias, out));
  }

  /** x W^T + b with another bias (a bias that rides on this product, as gnn4j's layers do). */
  public Tensor apply(Context ctx, Tensor x, float[] otherBias) {
    if (otherBias == null) return withoutBias().apply(ctx, x);
    return MatMul.linear(x, ctx.tensor(weight, out, in), ctx.tensor(otherBias, out));
  }
}
