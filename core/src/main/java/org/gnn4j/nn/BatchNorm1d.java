package org.gnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.ops.BatchNorm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Batch normalisation over the rows of [N, F] (torch.nn.BatchNorm1d; PyG's BatchNorm wraps it
 * as {@code module}): training mode normalises with the batch statistics and updates the running
 * ones (momentum 0.1, unbiased variance), eval mode uses the running statistics. Parameters
 * {@code weight}, {@code bias}; buffers {@code running_mean}, {@code running_var}.
 */
public final class BatchNorm1d implements Module {
  private final Tensor weight;       // [F]
  private final Tensor bias;         // [F]
  private final Tensor runningMean;  // [F] buffer
  private final Tensor runningVar;   // [F] buffer
  private final float momentum;
  private final float eps;
  private boolean training = true;
  private long numBatchesTracked;

  public BatchNorm1d(Context ctx, int features) {
    this(ctx, features, BatchNorm.DEFAULT_MOMENTUM, BatchNorm.DEFAULT_EPS);
  }

  public BatchNorm1d(Context ctx, int features, float momentum, float eps) {
    if (features < 1) {
      throw new IllegalArgumentException("BatchNorm1d: features must be >= 1 (got " + features + ")");
    }
    this.weight = ctx.ones(features).requiresGrad(true);
    this.bias = ctx.zeros(features).requiresGrad(true);
    this.runningMean = ctx.zeros(features);
    this.runningVar = ctx.ones(features);
    this.momentum = momentum;
    this.eps = eps;
  }

  /** Training mode (batch statistics, running stats updated) or eval mode (running stats). */
  public void train(boolean on) {
    training = on;
  }

  public boolean isTraining() {
    return training;
  }

  /** The epsilon added to the variance before its square root. */
  public float eps() {
    return eps;
  }

  /** How many training-mode forwards updated the running statistics. */
  public long numBatchesTracked() {
    return numBatchesTracked;
  }

  /** x: [N, F] -> [N, F]. */
  public Tensor forward(Tensor x) {
    if (training) numBatchesTracked++;
    return BatchNorm.apply(x, weight, bias, runningMean, runningVar, training, momentum, eps);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    m.put("bias", bias);
    m.put("running_mean", runningMean);
    m.put("running_var", runningVar);
    return m;
  }
}
