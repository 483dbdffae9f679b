package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Tensor;

/**
 * Batch normalisation of node features [N, F] per feature column, as torch BatchNorm1d. In
 * training mode it normalises with the batch mean and biased variance, and updates the running
 * buffers in place: running = (1 - momentum) running + momentum stat, using the UNBIASED
 * variance (N / (N - 1)) for running var. In eval mode it normalises with the running buffers
 * (or the batch statistics when there are none, as torch with track_running_stats=False).
 * Backward goes through the batch statistics in training mode and treats them as constants
 * in eval mode. The running buffers are plain tensors, never tracked by autograd.
 */
public final class BatchNorm {
  private BatchNorm() {}

  public static final float DEFAULT_EPS = 1e-5f;
  public static final float DEFAULT_MOMENTUM = 0.1f;

  /**
   * @param x [N, F]
   * @param weight [F] or null; bias [F] or null
   * @param runningMean [F] or null, updated in place when training
   * @param runningVar [F] or null (both or neither), updated in place when training
   * @return [N, F]
   */
  public static Tensor apply(Tensor x, Tensor weight, Tensor bias, Tensor runningMean,
                             Tensor runningVar, boolean training, float momentum, float eps) {
    if (x == null) throw new IllegalArgumentException("batchNorm: input is null");
    if (x.rank() != 2) {
      throw new IllegalArgumentException("batchNorm: input must be 2-D (got shape " + x.shape()
          + ", expected [N, F])");
    }
    int n = x.dim(0);
    int f = x.dim(1);
    check("weight", weight, f);
    check("bias", bias, f);
    check("runningMean", runningMean, f);
    check("runningVar", runningVar, f);
    if ((runningMean == null) != (runningVar == null)) {
      throw new IllegalArgumentException("batchNorm: runningMean and runningVar must both be given"
          + " or both be null (got " + (runningMean == null ? "null" : "a tensor") + " and "
          + (runningVar == null ? "null" : "a tensor") + ")");
    }
    if (!(eps >= 0f) || !(momentum >= 0f && momentum <= 1f)) {
      throw new IllegalArgumentException("batchNorm: bad hyper-parameter (got eps " + eps
          + ", momentum " + momentum + ", expected eps >= 0 and momentum in [0, 1])");
    }
    boolean batchStats = training || runningMean == null;
    if (batchStats && n <= 1) {
      throw new IllegalArgumentException("batchNorm: expected more than 1 value per feature when"
          + " using batch statistics (got shape " + x.shape() + ")");
    }
    float[] mean = ContextAccess.floats(x.ctx(), f);                           // mean: [F] statistics used
    float[] var = ContextAccess.floats(x.ctx(), f);                            // var: [F] biased variance used
    var par = ContextAccess.parallel(x.ctx());
    if (batchStats) {
      ContextAccess.kernels(x.ctx()).norm().columnMoments(mean, var, x.data(), n, f, par);
    } else {
      System.arraycopy(runningMean.data(), 0, mean, 0, f);
      System.arraycopy(runningVar.data(), 0, var, 0, f);
    }
    if (training && runningMean != null) {
      runningMean.checkMutable("batchNorm running mean");
      runningVar.checkMutable("batchNorm running var");
      float[] rm = runningMean.data();
      float[] rv = runningVar.data();
      double unbias = (double) n / (n - 1);
      for (int j = 0; j < f; j++) {
        rm[j] = (1f - momentum) * rm[j] + momentum * mean[j];
        rv[j] = (float) ((1f - momentum) * rv[j] + momentum * (var[j] * unbias));
      }
    }
    float[] rstd = ContextAccess.floats(x.ctx(), f);                           // rstd: [F] 1 / sqrt(var + eps)
    for (int j = 0; j < f; j++) rstd[j] = (float) (1.0 / Math.sqrt((double) var[j] + eps));
    float[] y = ContextAccess.floats(x.ctx(), x.numel());
    if (y.length > 0) {
      ContextAccess.kernels(x.ctx()).norm().columnNormalize(y, x.data(), mean, rstd,
          weight == null ? null : weight.data(), bias == null ? null : bias.data(), n, f, par);
    }
    return new Tensor(x.ctx(), x.shape(), y)
        .recordedBy(new Backward(x, weight, bias, mean, rstd, batchStats));
  }

  private static void check(String what, Tensor t, int f) {
    if (t != null && (t.rank() != 1 || t.dim(0) != f)) {
      throw new IllegalArgumentException("batchNorm: " + what + " has the wrong shape (got "
          + t.shape() + ", expected [" + f + "])");
    }
  }

  /** Inputs in order x, weight (if any), bias (if any). */
  private static final class Backward extends Node {
    private final boolean hasWeight;
    private final boolean hasBias;
    private final float[] mean;
    private final float[] rstd;
    private final boolean batchStats;

    Backward(Tensor x, Tensor weight, Tensor bias, float[] mean, float[] rstd,
             boolean batchStats) {
      super(LayerNorm.inputsOf(x, weight, bias));
      this.hasWeight = weight != null;
      this.hasBias = bias != null;
      this.mean = mean;
      this.rstd = rstd;
      this.batchStats = batchStats;
    }

    @Override
    public void backward(float[] g) {                      // g: [N, F]
      Tensor x = inputs()[0];
      int wi = hasWeight ? 1 : -1;
      int bi = hasBias ? (hasWeight ? 2 : 1) : -1;
      int n = x.dim(0);
      int f = x.dim(1);
      // xhat = (x - mean) rstd; batch stats: dx = w rstd (g - mean_n g - xhat mean_n(g xhat)),
      // running stats: dx = w rstd g; dw = sum_n g xhat; db = sum_n g
      float[] dx = needsGrad(0) ? ContextAccess.floats(inputs()[0].ctx(), x.numel()) : null;
      float[] dw = wi > 0 && needsGrad(wi) ? ContextAccess.floats(inputs()[0].ctx(), f) : null;
      float[] db = bi > 0 && needsGrad(bi) ? ContextAccess.floats(inputs()[0].ctx(), f) : null;
      ContextAccess.kernels(x.ctx()).norm().batchNormBackward(dx, dw, db, g, x.data(), mean, rstd,
          hasWeight ? inputs()[1].data() : null, n, f, batchStats, ContextAccess.parallel(x.ctx()));
      if (dx != null) accumulate(0, dx);
      if (dw != null) accumulate(wi, dw);
      if (db != null) accumulate(bi, db);
    }

    @Override
    public String name() {
      return "batchNorm";
    }
  }
}
