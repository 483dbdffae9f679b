package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Sampled dense-dense product: one dot product per edge, only where edges exist (DGL's
 * {@code u_dot_v}), e.g. the raw attention scores {@code <q_i, k_j>} of a graph transformer.
 * Shapes: x [N, H, C] gives [E, H] (a dot over C per head); x [N, F] gives [E] (a dot over F,
 * the layout {@link Spmm} takes as edge weights); x [N] gives [E] (a product). Backward is two
 * SpMMs with the edge gradients as weights: into xSrc over the CSR by source, into xDst over the
 * CSR by target.
 */
public final class Sddmm {
  private Sddmm() {}

  /**
   * {@code out[e, h] = sum_c xSrc[src[e], h, c] * xDst[dst[e], h, c]}.
   *
   * @param xSrc [numSrcNodes, H, C], [numSrcNodes, F] or [numSrcNodes]
   * @param xDst [numDstNodes, ...] with the same trailing dimensions as xSrc
   * @return [E, H] for rank-3 inputs, else [E]
   * @throws IllegalArgumentException on wrong row counts, ranks or differing trailing shapes
   */
  public static Tensor dot(EdgeIndex e, Tensor xSrc, Tensor xDst) {
    String op = "sddmm";
    if (xSrc.rank() < 1 || xSrc.rank() > 3) {
      throw new IllegalArgumentException(op + ": xSrc must be [N], [N, F] or [N, H, C] (got "
          + xSrc.shape() + ", expected rank 1 to 3)");
    }
    Gather.checkRows(op, "xSrc", xSrc, e.numSrcNodes(), "source node");
    Gather.checkRows(op, "xDst", xDst, e.numDstNodes(), "target node");
    if (!Gather.withRows(xDst.shape(), xSrc.dim(0)).equals(xSrc.shape())) {
      throw new IllegalArgumentException(op + ": xSrc and xDst differ in their feature"
          + " dimensions (got " + xSrc.shape() + " and " + xDst.shape() + ", expected "
          + Gather.expectedShape(xSrc.shape(), "" + e.numDstNodes()) + " for xDst)");
    }
    int heads = xSrc.rank() == 3 ? xSrc.dim(1) : 1;
    int f = Gather.rowWidth(xSrc);
    int c = heads == 0 ? 0 : f / heads;
    int edges = e.numEdges();
    Context ctx = xSrc.ctx();
    Shape shape = xSrc.rank() == 3 ? Shape.of(edges, heads) : Shape.of(edges);
    float[] out = ContextAccess.floats(xSrc.ctx(), shape.numel());                // out: [E, H]
    ContextAccess.kernels(ctx).graph().sddmmCoo(out, e.src(), e.dst(), xSrc.data(), xDst.data(), edges, heads,
        c, ContextAccess.parallel(ctx));
    return new Tensor(ctx, shape, out).recordedBy(new Backward(xSrc, xDst, e, heads, f));
  }

  private static final class Backward extends Node {
    private final EdgeIndex e;
    private final int heads;
    private final int f;

    Backward(Tensor xSrc, Tensor xDst, EdgeIndex e, int heads, int f) {
      super(xSrc, xDst);
      this.e = e;
      this.heads = heads;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [E, H]
      Tensor xSrc = inputs()[0];
      Tensor xDst = inputs()[1];
      Context ctx = xSrc.ctx();
      if (needsGrad(0)) {
        // dxSrc[j, h] = sum_{e: j -> i} dOut[e, h] * xDst[i, h]
        Csr bySrc = e.csrBySrc();
        float[] d = ContextAccess.floats(inputs()[0].ctx(), xSrc.numel());
        ContextAccess.kernels(ctx).graph().spmmCsr(d, bySrc.rowPtr(), bySrc.col(), bySrc.edge(), dOut, heads,
            xDst.data(), bySrc.rows(), f, ContextAccess.parallel(ctx));
        accumulate(0, d);
      }
      if (needsGrad(1)) {
        // dxDst[i, h] = sum_{e: j -> i} dOut[e, h] * xSrc[j, h]
        Csr byDst = e.csrByDst();
        float[] d = ContextAccess.floats(inputs()[0].ctx(), xDst.numel());
        ContextAccess.kernels(ctx).graph().spmmCsr(d, byDst.rowPtr(), byDst.col(), byDst.edge(), dOut, heads,
            xSrc.data(), byDst.rows(), f, ContextAccess.parallel(ctx));
        accumulate(1, d);
      }
    }
  }
}
