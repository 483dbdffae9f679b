package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Tensor;

/**
 * Layer normalisation over the last dimension, as torch.nn.functional.layer_norm(x, [F], w, b,
 * eps): each row of the [rows, F] view is shifted to mean 0 and scaled by 1 / sqrt(var + eps)
 * with the biased (divide by F) variance, then optionally scaled by weight [F] and shifted by
 * bias [F]. Saves the per-row mean and 1/std for the backward pass.
 */
public final class LayerNorm {
  private LayerNorm() {}

  /** torch's default eps. */
  public static final float DEFAULT_EPS = 1e-5f;

  /**
   * @param x [..., F]
   * @param weight [F] or null (no scale)
   * @param bias [F] or null (no shift)
   * @return like x
   */
  public static Tensor apply(Tensor x, Tensor weight, Tensor bias, float eps) {
    if (x == null) throw new IllegalArgumentException("layerNorm: input is null");
    if (x.rank() < 1) {
      throw new IllegalArgumentException("layerNorm: input needs a feature dim (got shape "
          + x.shape() + ", expected [..., F])");
    }
    int f = x.cols();
    checkParam("weight", weight, x);
    checkParam("bias", bias, x);
    if (!(eps >= 0f)) {
      throw new IllegalArgumentException("layerNorm: eps must be >= 0 (got " + eps + ")");
    }
    int rows = x.rows();
    float[] y = ContextAccess.floats(x.ctx(), x.numel());
    float[] mean = ContextAccess.floats(x.ctx(), rows);                        // mean: [rows]
    float[] rstd = ContextAccess.floats(x.ctx(), rows);                        // rstd: [rows] 1 / sqrt(var + eps)
    if (y.length > 0) {
      ContextAccess.kernels(x.ctx()).norm().layerNorm(y, mean, rstd, x.data(),
          weight == null ? null : weight.data(), bias == null ? null : bias.data(), rows, f, eps,
          ContextAccess.parallel(x.ctx()));
    }
    return new Tensor(x.ctx(), x.shape(), y)
        .recordedBy(new Backward(x, weight, bias, mean, rstd));
  }

  private static void checkParam(String what, Tensor p, Tensor x) {
    if (p == null) return;
    if (p.rank() != 1 || p.dim(0) != x.cols()) {
      throw new IllegalArgumentException("layerNorm: " + what + " has the wrong shape (got "
          + p.shape() + ", expected [" + x.cols() + "] for input " + x.shape() + ")");
    }
    if (!p.ctx().sharesTensorsWith(x.ctx())) {
      throw new IllegalArgumentException("layerNorm: " + what + " belongs to another context");
    }
  }

  /** Inputs in order x, weight (if any), bias (if any). */
  private static final class Backward extends Node {
    private final boolean hasWeight;
    private final boolean hasBias;
    private final float[] mean;
    private final float[] rstd;

    Backward(Tensor x, Tensor weight, Tensor bias, float[] mean, float[] rstd) {
      super(inputsOf(x, weight, bias));
      this.hasWeight = weight != null;
      this.hasBias = bias != null;
      this.mean = mean;
      this.rstd = rstd;
    }

    @Override
    public void backward(float[] g) {                      // g: [rows, F]
      Tensor x = inputs()[0];
      int wi = hasWeight ? 1 : -1;
      int bi = hasBias ? (hasWeight ? 2 : 1) : -1;
      int f = x.cols();
      // xhat = (x - mean) rstd, dxhat = g w:
      // dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)); dw = sum g xhat; db = sum g
      float[] dx = needsGrad(0) ? ContextAccess.floats(inputs()[0].ctx(), x.numel()) : null;
      float[] dw = wi > 0 && needsGrad(wi) ? ContextAccess.floats(inputs()[0].ctx(), f) : null;
      float[] db = bi > 0 && needsGrad(bi) ? ContextAccess.floats(inputs()[0].ctx(), f) : null;
      if (g.length > 0) {
        ContextAccess.kernels(x.ctx()).norm().layerNormBackward(dx, dw, db, g, x.data(), mean, rstd,
            hasWeight ? inputs()[1].data() : null, x.rows(), f, ContextAccess.parallel(x.ctx()));
      }
      if (dx != null) accumulate(0, dx);
      if (dw != null) accumulate(wi, dw);
      if (db != null) accumulate(bi, db);
    }

    @Override
    public String name() {
      return "layerNorm";
    }
  }

  /** x, then the non-null optional inputs (autograd never sees a null input). */
  static Tensor[] inputsOf(Tensor x, Tensor weight, Tensor bias) {
    if (weight != null && bias != null) return new Tensor[] {x, weight, bias};
    if (weight != null) return new Tensor[] {x, weight};
    if (bias != null) return new Tensor[] {x, bias};
    return new Tensor[] {x};
  }
}
