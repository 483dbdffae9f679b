package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.BlockAttentionKernels;
import org.gnn4j.tensor.Tensor;

/**
 * Exact multi-head self-attention among all nodes of each graph of a batch, in O(N) memory:
 * out_i = sum_{j in graph(i)} softmax_j(scale q_i . k_j) v_j per head, computed block by block
 * with an online softmax ({@link BlockAttentionKernels}) instead of an N x N score matrix.
 * The same numbers as {@link GraphAttention} over {@code EdgeSets.withinGraphs(batch)}, without
 * building that edge list, so one graph of 100k nodes fits (GPS's global attention). Backward
 * recomputes the scores; it saves only the output and the log-sum-exp [N, H].
 */
public final class DenseAttention {
  private static final String OP = "denseAttention";

  private DenseAttention() {}

  /**
   * @param q [N, H, C]; k, v the same shape
   * @param graphPtr node offsets of the graphs, length G + 1, from 0 to N, non-decreasing
   * @return [N, H, C]
   * @throws IllegalArgumentException on shape mismatches or bad offsets, naming them
   */
  public static Tensor apply(Tensor q, Tensor k, Tensor v, int[] graphPtr, float scale) {
    validate(q, k, v, graphPtr);
    int n = q.dim(0);
    int heads = q.dim(1);
    int c = q.dim(2);
    float[] out = ContextAccess.floats(q.ctx(), q.numel());                     // out: [N, H, C]
    float[] lse = ContextAccess.floats(q.ctx(), n * heads);                     // lse: [N, H]
    var ctx = q.ctx();
    ContextAccess.kernels(ctx).blockAttention().forward(out, lse, q.data(), k.data(), v.data(), graphPtr,
        heads, c, scale, ContextAccess.parallel(ctx));
    return new Tensor(ctx, q.shape(), out)
        .recordedBy(new Backward(q, k, v, graphPtr.clone(), scale, out, lse));
  }

  private static void validate(Tensor q, Tensor k, Tensor v, int[] graphPtr) {
    if (q.rank() != 3) {
      throw new IllegalArgumentException(OP + ": q must be [N, H, C] (got " + q.shape() + ")");
    }
    if (!k.shape().equals(q.shape()) || !v.shape().equals(q.shape())) {
      throw new IllegalArgumentException(OP + ": q, k and v must have one shape (got q "
          + q.shape() + ", k " + k.shape() + ", v " + v.shape() + ")");
    }
    int n = q.dim(0);
    if (graphPtr.length < 1 || graphPtr[0] != 0 || graphPtr[graphPtr.length - 1] != n) {
      throw new IllegalArgumentException(OP + ": graphPtr must run from 0 to N = " + n + " (got "
          + (graphPtr.length == 0 ? "an empty array" : graphPtr[0] + " .. "
          + graphPtr[graphPtr.length - 1]) + ")");
    }
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      if (graphPtr[g + 1] < graphPtr[g]) {
        throw new IllegalArgumentException(OP + ": graphPtr decreases at " + (g + 1) + " ("
            + graphPtr[g] + " then " + graphPtr[g + 1] + ")");
      }
    }
  }

  private static final class Backward extends Node {
    private final int[] graphPtr;
    private final float scale;
    private final float[] out;                              // out: [N, H, C]
    private final float[] lse;                              // lse: [N, H]

    Backward(Tensor q, Tensor k, Tensor v, int[] graphPtr, float scale, float[] out, float[] lse) {
      super(q, k, v);
      this.graphPtr = graphPtr;
      this.scale = scale;
      this.out = out;
      this.lse = lse;
    }

    @Override
    public void backward(float[] dOut) {
      // D_i = dOut_i . out_i per head; ds_ij = p_ij (dOut_i . v_j - D_i);
      // dq_i = scale sum_j ds_ij k_j, dk_j = scale sum_i ds_ij q_i, dv_j = sum_i p_ij dOut_i
      Tensor q = inputs()[0];
      int heads = q.dim(1);
      int c = q.dim(2);
      float[] dd = ContextAccess.floats(inputs()[0].ctx(), q.dim(0) * heads);             // dd: [N, H]
      for (int r = 0; r < dd.length; r++) {
        double s = 0;
        for (int d = 0; d < c; d++) s += (double) dOut[r * c + d] * out[r * c + d];
        dd[r] = (float) s;
      }
      var ctx = q.ctx();
      float[] qd = q.data();
      float[] kd = inputs()[1].data();
      float[] vd = inputs()[2].data();
      if (needsGrad(0)) {
        float[] dq = ContextAccess.floats(inputs()[0].ctx(), qd.length);
        ContextAccess.kernels(ctx).blockAttention().backwardQuery(dq, dOut, dd, lse, qd, kd, vd, graphPtr,
            heads, c, scale, ContextAccess.parallel(ctx));
        accumulate(0, dq);
      }
      if (needsGrad(1) || needsGrad(2)) {
        float[] dk = ContextAccess.floats(inputs()[0].ctx(), kd.length);
        float[] dv = ContextAccess.floats(inputs()[0].ctx(), vd.length);
        ContextAccess.kernels(ctx).blockAttention().backwardKey(dk, dv, dOut, dd, lse, qd, kd, vd, graphPtr,
            heads, c, scale, ContextAccess.parallel(ctx));
        if (needsGrad(1)) accumulate(1, dk);
        if (needsGrad(2)) accumulate(2, dv);
      }
    }
  }
}
