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
 * GAT's attention in one op (Velickovic et al., arXiv:1710.10903): for edge e = (j -> i) and
 * head h, {@code alpha_e = softmax over the in-edges of i of leaky(ss[j,h] + sd[i,h])} and
 * {@code out[i,h] = sum_e alpha_e x[j,h]}. Equal to {@code Spmm.aggregate(EdgeSoftmax(leaky(
 * Gather.src(ss) + Gather.dst(sd))), x)}, but it keeps no [E, H] tensor: forward saves only the
 * output and the log-sum-exp [N_dst, H], and backward recomputes each edge's score and weight.
 * A node without in-edges gets 0.
 */
public final class GatAttention {
  private static final String OP = "gat_attention";

  private GatAttention() {}

  /**
   * @param x [N_src, H, C] projected source features (the values)
   * @param ss [N_src, H] source scores
   * @param sd [N_dst, H] destination scores
   * @param negativeSlope the leaky ReLU's slope for negative scores
   * @return [N_dst, H, C]
   * @throws IllegalArgumentException when a shape disagrees with x or the edge index
   */
  public static Tensor apply(EdgeIndex edges, Tensor x, Tensor ss, Tensor sd,
                             float negativeSlope) {
    validate(edges, x, ss, sd);
    int nDst = edges.numDstNodes();
    int heads = x.dim(1);
    int channels = x.dim(2);
    Context ctx = x.ctx();
    float[] out = ContextAccess.floatsToOverwrite(ctx, nDst * heads * channels);   // out: [N_dst, H, C]
    float[] lse = ContextAccess.floatsToOverwrite(ctx, nDst * heads);              // lse: [N_dst, H]
    Csr byDst = edges.csrByDst();
    ContextAccess.kernels(ctx).gat().gatForward(out, lse, x.data(), ss.data(), sd.data(), byDst.rowPtr(),
        byDst.col(), negativeSlope, nDst, heads, channels, ContextAccess.parallel(ctx));
    Tensor result = new Tensor(ctx, Shape.of(nDst, heads, channels), out);
    if (!ctx.gradEnabled() || !(x.requiresGrad() || ss.requiresGrad() || sd.requiresGrad())) {
      return result;
    }
    return result.recordedBy(new Backward(edges, x, ss, sd, negativeSlope, out, lse));
  }
  /**
   * The weights {@link #apply} aggregates with, unfused:
   * {@code EdgeSoftmax(leaky(Gather.src(ss) + Gather.dst(sd)))}. GATConv's dropout path and
   * attention recording use it.
   *
   * @param ss [N_src, H] source scores
   * @param sd [N_dst, H] destination scores
   * @return alpha [E, H]
   */
  public static Tensor weights(EdgeIndex edges, Tensor ss, Tensor sd, float negativeSlope) {
    Tensor logits = Gather.src(ss, edges).add(Gather.dst(sd, edges));       // [E, H]
    return EdgeSoftmax.apply(logits.leakyRelu(negativeSlope), edges);
  }


  static void checkShape(String op, String name, Tensor t, Shape expected, String why) {
    if (t == null) throw new IllegalArgumentException(op + ": " + name + " is null");
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(op + ": " + name + " must be " + expected + " " + why
          + " (got " + t.shape() + ")");
    }
  }

  private static void validate(EdgeIndex edges, Tensor x, Tensor ss, Tensor sd) {
    if (edges == null) throw new IllegalArgumentException(OP + ": edge index is null");
    if (x == null || x.rank() != 3) {
      throw new IllegalArgumentException(OP + ": x must be [N, H, C] (got "
          + (x == null ? "null" : x.shape()) + ")");
    }
    checkShape(OP, "x", x, Shape.of(edges.numSrcNodes(), x.dim(1), x.dim(2)),
        "for " + edges.numSrcNodes() + " source nodes");
    checkShape(OP, "ss", ss, Shape.of(edges.numSrcNodes(), x.dim(1)), "([N_src, H] like x)");
    checkShape(OP, "sd", sd, Shape.of(edges.numDstNodes(), x.dim(1)),
        "([N_dst, H] for " + edges.numDstNodes() + " target nodes)");
  }

  /**
   * dx[j] = sum_e alpha_e dOut[i]; ds_e = alpha_e (dOut[i] . x[j] - dOut[i] . out[i]) leaky'(.),
   * summed by source into dss and by destination into dsd. One pass by source (reading each
   * edge's dOut row once) keeps ds as an [E, H] array only for the destination sum: an eighth of
   * the rows a second pass would re-read at random.
   */
  private static final class Backward extends Node {
    private final EdgeIndex edges;
    private final float slope;
    private final float[] out;                                 // out: [N_dst, H, C]
    private final float[] lse;                                 // lse: [N_dst, H]

    Backward(EdgeIndex edges, Tensor x, Tensor ss, Tensor sd, float slope, float[] out,
             float[] lse) {
      super(x, ss, sd);
      this.edges = edges;
      this.slope = slope;
      this.out = out;
      this.lse = lse;
    }

    @Override
    public void backward(float[] dOut) {                      // dOut: [N_dst, H, C]
      Tensor x = inputs()[0];
      Tensor ss = inputs()[1];
      Tensor sd = inputs()[2];
      int heads = x.dim(1);
      int channels = x.dim(2);
      int nDst = edges.numDstNodes();
      GatKernels k = ContextAccess.kernels(x.ctx()).gat();
      var par = ContextAccess.parallel(x.ctx());
      Context ctx = x.ctx();
      // the kernels overwrite these in full (GatKernels)
      float[] dDot = ContextAccess.floatsToOverwrite(ctx, nDst * heads);            // dDot: [N_dst, H]
      k.headDots(dDot, dOut, out, nDst, heads, channels, par);
      float[] dx = needsGrad(0) ? ContextAccess.floatsToOverwrite(ctx, x.numel()) : null;
      float[] dss = needsGrad(1) ? ContextAccess.floatsToOverwrite(ctx, ss.numel()) : null;
      // dsEdge: [E, H], the per-edge score gradients, summed by destination below
      float[] dsEdge = needsGrad(2) ? ContextAccess.floatsToOverwrite(ctx, edges.numEdges() * heads)
          : null;
      Csr bySrc = edges.csrBySrc();
      k.gatBackward(dx, dss, dsEdge, dOut, dDot, lse, x.data(), ss.data(), sd.data(),
          bySrc.rowPtr(), bySrc.col(), bySrc.edge(), slope, edges.numSrcNodes(), heads,
          channels, par);
      if (dsEdge != null) {
        Csr byDst = edges.csrByDst();
        float[] dsd = ContextAccess.floats(inputs()[0].ctx(), sd.numel());
        ContextAccess.kernels(x.ctx()).graph().segmentSumCsr(dsd, byDst.rowPtr(), byDst.edge(), dsEdge,
            false, nDst, heads, par);
        accumulate(2, dsd);
      }
      if (dx != null) accumulate(0, dx);
      if (dss != null) accumulate(1, dss);
    }

    @Override
    public String name() {
      return OP;
    }
  }
}
