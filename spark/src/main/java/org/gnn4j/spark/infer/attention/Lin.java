package org.gnn4j.spark.infer.attention;

import java.io.Serializable;
import java.util.Map;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A linear map y = x W^T (+ b) as plain float arrays, for a plan that travels to executors in a
 * broadcast; applied with the op gnn4j's {@code Linear} applies ({@link MatMul#linear}, or
 * {@link MatMul#matmul} without a bias), so rows come out as on one machine.
 *
 * @param weight [out, in] row-major
 * @param bias [out] or null
 */
record Lin(float[] weight, int out, int in, float[] bias) implements Serializable {
  /**
   * The weight and optional bias a layer stores under {@code prefix.weight} and
   * {@code prefix.bias}.
   *
   * @throws IllegalArgumentException naming the layer when the weight is missing
   */
  static Lin of(String layer, Map<String, Tensor> params, String prefix) {
    Tensor w = params.get(prefix + ".weight");
    if (w == null || w.rank() != 2) {
      throw new IllegalArgumentException(layer + ": no 2-d parameter " + prefix + ".weight");
    }
    Tensor b = params.get(prefix + ".bias");
    return new Lin(w.toArray(), w.dim(0), w.dim(1), b == null ? null : b.toArray());
  }

  /** @param x [B, in] -> [B, out] */
  Tensor apply(Context ctx, Tensor x) {
    Tensor w = ctx.tensor(weight, out, in);
    return bias == null ? MatMul.matmul(x, w, false, true) : MatMul.linear(x, w, ctx.tensor(bias, out));
  }
}
