package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Sparse-dense product along the edges, the fused gather-weight-sum at the heart of GCN, GIN
 * and attention aggregation ({@code torch_sparse.matmul}, DGL's {@code u_mul_e_sum}):
 * {@code out[i] = sum_{e: j -> i} w[e] * x[j]} without materialising the [E, F] messages.
 * Forward walks the CSR by target, parallel over target rows balanced by edge count; backward
 * walks the CSR by source for dx (the transpose) and uses SDDMM for dw.
 */
public final class Spmm {
  private Spmm() {}

  /**
   * @param w null (every weight 1: plain sum), [E] (one weight per edge), or [E, H] with x
   *     [N, H, C] (one weight per edge and head, as attention produces)
   * @param x [numSrcNodes, ...]
   * @return [numDstNodes, ...] (x's trailing dimensions)
   * @throws IllegalArgumentException if x has the wrong row count, w the wrong length, or the
   *     head counts of w and x differ
   */
  public static Tensor aggregate(EdgeIndex e, Tensor w, Tensor x) {
    String op = "spmm";
    Gather.checkRows(op, "x", x, e.numSrcNodes(), "source node");
    int edges = e.numEdges();
    int heads = 1;
    if (w != null) {
      if (w.rank() < 1 || w.rank() > 2 || w.dim(0) != edges) {
        throw new IllegalArgumentException(op + ": w must be [E] or [E, H] with one row per edge"
            + " (got " + w.shape() + ", expected [" + edges + "] or [" + edges + ", H])");
      }
      if (w.rank() == 2) {
        heads = w.dim(1);
        if (x.rank() != 3 || x.dim(1) != heads) {
          throw new IllegalArgumentException(op + ": per-head weights need x as [N, H, C] with"
              + " the same H (got w " + w.shape() + " and x " + x.shape() + ", expected x ["
              + e.numSrcNodes() + ", " + heads + ", C])");
        }
      }
    }
    int f = Gather.rowWidth(x);
    int rows = e.numDstNodes();
    Context ctx = x.ctx();
    Csr csr = e.csrByDst();
    Shape outShape = Gather.withRows(x.shape(), rows);
    float[] out = ContextAccess.floatsToOverwrite(x.ctx(), outShape.numel());  // out: [numDstNodes, f]
    ContextAccess.kernels(ctx).graph().spmmCsr(out, csr.rowPtr(), csr.col(), csr.edge(),
        w == null ? null : w.data(), heads, x.data(), rows, f, ContextAccess.parallel(ctx));
    return new Tensor(ctx, outShape, out)
        .recordedBy(new Backward(w, x, e, heads, f));
  }

  private static final class Backward extends Node {
    private final boolean weighted;
    private final EdgeIndex e;
    private final int heads;
    private final int f;

    Backward(Tensor w, Tensor x, EdgeIndex e, int heads, int f) {
      // autograd walks every input, so an absent w is left out rather than recorded as null
      super(w == null ? new Tensor[] {x} : new Tensor[] {w, x});
      this.weighted = w != null;
      this.e = e;
      this.heads = heads;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [numDstNodes, f]
      Tensor w = weighted ? inputs()[0] : null;
      int xi = weighted ? 1 : 0;
      Tensor x = inputs()[xi];
      Context ctx = x.ctx();
      if (needsGrad(xi)) {
        // dx[j] = sum_{e: j -> i} w[e] * dOut[i]: the same SpMM on the transposed edges
        Csr bySrc = e.csrBySrc();
        float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());
        ContextAccess.kernels(ctx).graph().spmmCsr(dx, bySrc.rowPtr(), bySrc.col(), bySrc.edge(),
            w == null ? null : w.data(), heads, dOut, bySrc.rows(), f, ContextAccess.parallel(ctx));
        accumulate(xi, dx);
      }
      if (weighted && needsGrad(0)) {
        // dw[e, h] = <dOut[dst[e], h, :], x[src[e], h, :]>: SDDMM
        float[] dw = ContextAccess.floats(inputs()[0].ctx(), w.numel());
        ContextAccess.kernels(ctx).graph().sddmmCoo(dw, e.dst(), e.src(), dOut, x.data(), e.numEdges(),
            heads, f / heads, ContextAccess.parallel(ctx));
        accumulate(0, dw);
      }
    }
  }
}
