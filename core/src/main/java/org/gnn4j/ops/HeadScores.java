package org.gnn4j.ops;

import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * GAT's per-node attention scores {@code score[n,h] = sum_c x[n,h,c] att[h,c]} (the source and
 * destination halves of {@code a^T [W x_j || W x_i]}), in one op. Equal in value to
 * {@code x.mul(att).sum(2)}, which costs an [N, H, C] product and, in backward, an expanded
 * gradient, two more [N, H, C] products and a broadcast reduction; here forward reads x once and
 * backward writes dx and sums dAtt in one pass.
 */
public final class HeadScores {
  private static final String OP = "head_scores";

  private HeadScores() {}

  /**
   * @param x [N, H, C]
   * @param att [1, H, C] or [H, C] (PyG's {@code att_src} / {@code att_dst})
   * @return [N, H]
   * @throws IllegalArgumentException when x is not rank 3 or att does not hold H x C values
   */
  public static Tensor apply(Tensor x, Tensor att) {
    if (x == null || x.rank() != 3) {
      throw new IllegalArgumentException(OP + ": x must be [N, H, C] (got "
          + (x == null ? "null" : x.shape()) + ")");
    }
    int rows = x.dim(0);
    int heads = x.dim(1);
    int channels = x.dim(2);
    if (att == null || att.numel() != heads * channels || att.dim(att.rank() - 1) != channels) {
      throw new IllegalArgumentException(OP + ": att must be [1, " + heads + ", " + channels
          + "] like x's heads and channels (got " + (att == null ? "null" : att.shape()) + ")");
    }
    Context ctx = x.ctx();
    float[] score = ContextAccess.floatsToOverwrite(ctx, rows * heads);       // score: [N, H]
    ContextAccess.kernels(ctx).gat().headScores(score, x.data(), att.data(), rows, heads,
        channels, ContextAccess.parallel(ctx));
    Tensor out = new Tensor(ctx, Shape.of(rows, heads), score);
    if (!ctx.gradEnabled() || !(x.requiresGrad() || att.requiresGrad())) return out;
    return out.recordedBy(new Backward(x, att));
  }

  /** dx[n,h,c] = g[n,h] att[h,c]; dAtt[h,c] = sum_n g[n,h] x[n,h,c]. */
  private static final class Backward extends Node {
    Backward(Tensor x, Tensor att) {
      super(x, att);
    }

    @Override
    public void backward(float[] g) {                                          // g: [N, H]
      Tensor x = inputs()[0];
      Tensor att = inputs()[1];
      Context ctx = x.ctx();
      float[] dx = needsGrad(0) ? ContextAccess.floatsToOverwrite(ctx, x.numel()) : null; // [N,H,C]
      float[] dAtt = needsGrad(1) ? new float[att.numel()] : null;            // dAtt: [H, C]
      GatKernels k = ContextAccess.kernels(ctx).gat();
      k.headScoresBackward(dx, dAtt, g, x.data(), att.data(), x.dim(0), x.dim(1), x.dim(2),
          ContextAccess.parallel(ctx));
      if (dx != null) accumulate(0, dx);
      if (dAtt != null) accumulate(1, dAtt);
    }

    @Override
    public String name() {
      return OP;
    }
  }
}
