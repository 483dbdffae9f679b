package org.gnn4j.nn;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Parameter initialisations of PyTorch and PyG, drawn from an explicit random stream so a seed
 * reproduces a model.
 */
public final class Init {
  private Init() {}

  /** Glorot/Xavier uniform, bound sqrt(6 / (fanIn + fanOut)), for a [fanOut, fanIn] weight. */
  public static Tensor glorot(Context ctx, SplittableRandom rng, int fanOut, int fanIn) {
    float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    return ctx.uniform(rng, -a, a, fanOut, fanIn).requiresGrad(true);
  }

  /**
   * torch.nn.Linear's default: kaiming_uniform(a = sqrt 5) on the weight, i.e. uniform with
   * bound 1 / sqrt(fanIn).
   */
  public static Tensor linearWeight(Context ctx, SplittableRandom rng, int fanOut, int fanIn) {
    float a = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
    return ctx.uniform(rng, -a, a, fanOut, fanIn).requiresGrad(true);
  }

  /** torch.nn.Linear's default bias: uniform with bound 1 / sqrt(fanIn). */
  public static Tensor linearBias(Context ctx, SplittableRandom rng, int fanOut, int fanIn) {
    float a = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
    return ctx.uniform(rng, -a, a, fanOut).requiresGrad(true);
  }

  /** Zeros that require a gradient (PyG's default bias). */
  public static Tensor zeros(Context ctx, int... dims) {
    return ctx.zeros(dims).requiresGrad(true);
  }
}
