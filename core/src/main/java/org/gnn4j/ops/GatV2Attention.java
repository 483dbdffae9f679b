package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * GATv2's attention in one op (Brody et al., arXiv:2105.14491): for edge e = (j -> i) and head
 * h, {@code s_e = att[h] . leaky(xl[j,h] + xr[i,h])}, {@code alpha = softmax of s over the
 * in-edges of i}, {@code out[i,h] = sum_e alpha_e xl[j,h]}. The unfused form builds three
 * [E, H, C] tensors (the gathered pair, its leaky ReLU, the product with att); here each edge's
 * score is computed on the fly, forward keeps only the output and the log-sum-exp [N_dst, H],
 * and backward recomputes scores, weights and the leaky-ReLU mask per edge.
 */
public final class GatV2Attention {
  private static final String OP = "gatv2_attention";

  private GatV2Attention() {}

  /**
   * @param xl [N_src, H, C] source projections (scores and values)
   * @param xr [N_dst, H, C] target projections
   * @param att [1, H, C] or [H, C] attention vector
   * @return [N_dst, H, C]
   * @throws IllegalArgumentException when a shape disagrees with xl or the edge index
   */
  public static Tensor apply(EdgeIndex edges, Tensor xl, Tensor xr, Tensor att,
                             float negativeSlope) {
    validate(edges, xl, xr, att);
    int nDst = edges.numDstNodes();
    int heads = xl.dim(1);
    int channels = xl.dim(2);
    Context ctx = xl.ctx();
    float[] out = ContextAccess.floats(xl.ctx(), nDst * heads * channels);          // out: [N_dst, H, C]
    float[] lse = ContextAccess.floats(xl.ctx(), nDst * heads);                     // lse: [N_dst, H]
    Csr byDst = edges.csrByDst();
    ContextAccess.kernels(ctx).gat().v2Forward(out, lse, xl.data(), xr.data(), att.data(), byDst.rowPtr(),
        byDst.col(), negativeSlope, nDst, heads, channels, ContextAccess.parallel(ctx));
    Tensor result = new Tensor(ctx, Shape.of(nDst, heads, channels), out);
    if (!ctx.gradEnabled() || !(xl.requiresGrad() || xr.requiresGrad() || att.requiresGrad())) {
      return result;
    }
    return result.recordedBy(new Backward(edges, xl, xr, att, negativeSlope, out, lse));
  }
  /**
   * The weights {@link #apply} aggregates with, unfused (three [E, H, C] temporaries):
   * {@code EdgeSoftmax(sum_c att * leaky(Gather.src(xl) + Gather.dst(xr)))}. GATv2Conv's
   * dropout path and attention recording use it.
   *
   * @return alpha [E, H]
   */
  public static Tensor weights(EdgeIndex edges, Tensor xl, Tensor xr, Tensor att,
                               float negativeSlope) {
    validate(edges, xl, xr, att);
    Tensor pair = Gather.src(xl, edges).add(Gather.dst(xr, edges));         // [E, H, C]
    return EdgeSoftmax.apply(pair.leakyRelu(negativeSlope).mul(att).sum(2), edges);
  }


  private static void validate(EdgeIndex edges, Tensor xl, Tensor xr, Tensor att) {
    if (edges == null) throw new IllegalArgumentException(OP + ": edge index is null");
    if (xl == null || xl.rank() != 3) {
      throw new IllegalArgumentException(OP + ": xl must be [N, H, C] (got "
          + (xl == null ? "null" : xl.shape()) + ")");
    }
    int heads = xl.dim(1);
    int channels = xl.dim(2);
    GatAttention.checkShape(OP, "xl", xl, Shape.of(edges.numSrcNodes(), heads, channels),
        "for " + edges.numSrcNodes() + " source nodes");
    GatAttention.checkShape(OP, "xr", xr, Shape.of(edges.numDstNodes(), heads, channels),
        "([N_dst, H, C] for " + edges.numDstNodes() + " target nodes, H and C as xl)");
    if (att == null || att.numel() != heads * channels
        || (att.rank() == 3 ? att.dim(0) != 1 : att.rank() != 2)) {
      throw new IllegalArgumentException(OP + ": att must be [1, " + heads + ", " + channels
          + "] or [" + heads + ", " + channels + "] like xl (got "
          + (att == null ? "null" : att.shape()) + ")");
    }
  }

  /**
   * dOut . out per row, then two passes, each owning its rows: by destination (dxr, datt), by
   * source (dxl). Both recompute each edge's score and weight.
   */
  private static final class Backward extends Node {
    private final EdgeIndex edges;
    private final float slope;
    private final float[] out;                                 // out: [N_dst, H, C]
    private final float[] lse;                                 // lse: [N_dst, H]

    Backward(EdgeIndex edges, Tensor xl, Tensor xr, Tensor att, float slope, float[] out,
             float[] lse) {
      super(xl, xr, att);
      this.edges = edges;
      this.slope = slope;
      this.out = out;
      this.lse = lse;
    }

    @Override
    public void backward(float[] dOut) {                      // dOut: [N_dst, H, C]
      Tensor xl = inputs()[0];
      Tensor xr = inputs()[1];
      Tensor att = inputs()[2];
      int heads = xl.dim(1);
      int channels = xl.dim(2);
      int nDst = edges.numDstNodes();
      GatKernels k = ContextAccess.kernels(xl.ctx()).gat();
      var par = ContextAccess.parallel(xl.ctx());
      float[] dDot = ContextAccess.floats(inputs()[0].ctx(), nDst * heads);                  // dDot: [N_dst, H]
      k.headDots(dDot, dOut, out, nDst, heads, channels, par);
      float[] dxr = needsGrad(1) ? ContextAccess.floats(inputs()[0].ctx(), xr.numel()) : null;
      float[] dAtt = needsGrad(2) ? ContextAccess.floats(inputs()[0].ctx(), att.numel()) : null;
      Csr byDst = edges.csrByDst();
      if (dxr != null || dAtt != null) {
        k.v2BackwardDst(dxr, dAtt, dDot, dOut, lse, xl.data(), xr.data(), att.data(),
            byDst.rowPtr(), byDst.col(), slope, nDst, heads, channels, par);
      }
      if (needsGrad(0)) {
        float[] dxl = ContextAccess.floats(inputs()[0].ctx(), xl.numel());
        Csr bySrc = edges.csrBySrc();
        k.v2BackwardSrc(dxl, dOut, dDot, lse, xl.data(), xr.data(), att.data(),
            bySrc.rowPtr(), bySrc.col(), slope, edges.numSrcNodes(), heads, channels, par);
        accumulate(0, dxl);
      }
      if (dxr != null) accumulate(1, dxr);
      if (dAtt != null) accumulate(2, dAtt);
    }

    @Override
    public String name() {
      return OP;
    }
  }
}
