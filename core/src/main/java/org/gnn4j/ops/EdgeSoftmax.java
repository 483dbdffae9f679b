package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Softmax of edge scores over the in-edges of each target node, per head (PyG's
 * {@code softmax(alpha, index)}, DGL's {@code edge_softmax}): the attention normalisation of
 * GAT and graph transformers. Numerically stable (each node's max is subtracted first); a node
 * whose scores are all -inf gets zeros, not NaN. Backward:
 * {@code dS = P * (dP - sum_{in-edges of the node} P * dP)}, per head.
 */
public final class EdgeSoftmax {
  private EdgeSoftmax() {}

  /**
   * @param scores [E] or [E, H]
   * @return same shape; entries of each (target node, head) sum to 1 over its in-edges
   * @throws IllegalArgumentException if scores is not [E] or [E, H] for the edge count E
   */
  public static Tensor apply(Tensor scores, EdgeIndex e) {
    int edges = e.numEdges();
    if (scores.rank() < 1 || scores.rank() > 2 || scores.dim(0) != edges) {
      throw new IllegalArgumentException("edge_softmax: scores must be [E] or [E, H] with one row"
          + " per edge (got " + scores.shape() + ", expected [" + edges + "] or [" + edges
          + ", H])");
    }
    int heads = scores.rank() == 2 ? scores.dim(1) : 1;
    Context ctx = scores.ctx();
    Csr csr = e.csrByDst();
    float[] p = ContextAccess.floats(scores.ctx(), scores.numel());                  // p: [E, H]
    ContextAccess.kernels(ctx).graph().edgeSoftmaxCsr(p, csr.rowPtr(), csr.edge(), scores.data(), csr.rows(),
        heads, ContextAccess.parallel(ctx));
    return new Tensor(ctx, scores.shape(), p).recordedBy(new Backward(scores, csr, p, heads));
  }

  private static final class Backward extends Node {
    private final Csr csr;
    private final float[] p;
    private final int heads;

    Backward(Tensor scores, Csr csr, float[] p, int heads) {
      super(scores);
      this.csr = csr;
      this.p = p;
      this.heads = heads;
    }

    @Override
    public void backward(float[] dp) {                    // dp: [E, H]
      Tensor scores = inputs()[0];
      float[] ds = ContextAccess.floats(inputs()[0].ctx(), p.length);                    // ds: [E, H]
      ContextAccess.kernels(scores.ctx()).graph().edgeSoftmaxBackwardCsr(ds, csr.rowPtr(), csr.edge(), p, dp,
          csr.rows(), heads, ContextAccess.parallel(scores.ctx()));
      accumulate(0, ds);
    }
  }
}
