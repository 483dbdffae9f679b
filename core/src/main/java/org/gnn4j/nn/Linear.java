package org.gnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A fully connected layer y = x W^T + b, as torch.nn.Linear: {@code weight} is stored
 * [outFeatures, inFeatures] (PyTorch's layout, so state_dicts load unchanged) and the product
 * uses the transposed operand directly instead of copying.
 */
public final class Linear implements Module {
  private final int inFeatures;
  private final int outFeatures;
  private final Tensor weight;   // [out, in]
  private final Tensor bias;     // [out] or null

  /** torch.nn.Linear's default initialisation, drawn from {@code rng}. */
  public Linear(Context ctx, int inFeatures, int outFeatures, boolean bias, SplittableRandom rng) {
    this(inFeatures, outFeatures, Init.linearWeight(ctx, rng, outFeatures, inFeatures),
        bias ? Init.linearBias(ctx, rng, outFeatures, inFeatures) : null);
  }

  /** Wraps given parameters (e.g. Glorot-initialised, or loaded). */
  public Linear(int inFeatures, int outFeatures, Tensor weight, Tensor bias) {
    if (weight.rank() != 2 || weight.dim(0) != outFeatures || weight.dim(1) != inFeatures) {
      throw new IllegalArgumentException("Linear: weight has shape " + weight.shape()
          + ", expected [" + outFeatures + ", " + inFeatures + "]");
    }
    if (bias != null && (bias.rank() != 1 || bias.dim(0) != outFeatures)) {
      throw new IllegalArgumentException("Linear: bias has shape " + bias.shape()
          + ", expected [" + outFeatures + "]");
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * @param x [..., inFeatures]
   * @return [..., outFeatures]
   */
  public Tensor forward(Tensor x) {
    if (x.cols() != inFeatures) {
      throw new IllegalArgumentException("Linear: input has " + x.cols() + " features (shape "
          + x.shape() + "), expected " + inFeatures);
    }
    return bias == null ? MatMul.matmul(x, weight, false, true) : MatMul.linear(x, weight, bias);
  }

  public Tensor weight() {
    return weight;
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  public Tensor bias() {
    return bias;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    if (bias != null) m.put("bias", bias);
    return m;
  }
}
