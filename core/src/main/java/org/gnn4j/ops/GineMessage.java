package org.gnn4j.ops;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.GineKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * GINE's aggregation in one op: {@code out[i] = sum_{j -> i} relu(x_j + e_ji)}. Equal to
 * {@code Scatter.sum(Gather.src(x).add(e).relu())}, but it keeps no [E, F] tensor between forward
 * and backward (the ReLU mask is recomputed from x and e), which is what lets GINE run on graphs
 * with millions of edges: at 4M edges and 64 channels each such tensor is 1 GB.
 */
public final class GineMessage {
  private GineMessage() {}

  /**
   * @param x [N, F] node features
   * @param e [E, F] edge features already at the node width
   * @return [N, F]
   */
  public static Tensor apply(Tensor x, Tensor e, EdgeIndex edges) {
    Gather.checkRows("gine_message", "x", x, edges.numSrcNodes(), "source");
    if (x.rank() != 2 || e.rank() != 2 || e.dim(0) != edges.numEdges() || e.dim(1) != x.dim(1)) {
      throw new IllegalArgumentException("gine_message: e has shape " + e.shape() + ", expected ["
          + edges.numEdges() + ", " + (x.rank() == 2 ? x.dim(1) : "F") + "] for x " + x.shape());
    }
    int n = edges.numDstNodes();
    int f = x.dim(1);
    Context ctx = x.ctx();
    Csr byDst = edges.csrByDst();
    float[] out = new float[n * f];                          // out: [N, f]
    GineKernels.forward(out, x.data(), e.data(), byDst.rowPtr(), byDst.edge(), edges.src(), n, f, ctx.parallel());
    return new Tensor(ctx, Shape.of(n, f), out).recordedBy(new Backward(x, e, edges, f));
  }

  private static final class Backward extends Node {
    private final EdgeIndex edges;
    private final int f;

    Backward(Tensor x, Tensor e, EdgeIndex edges, int f) {
      super(x, e);
      this.edges = edges;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [N, f]
      Tensor x = inputs()[0];
      Tensor e = inputs()[1];
      Context ctx = x.ctx();
      float[] de = new float[e.numel()];                  // de: [E, f], also dx's per-edge terms
      GineKernels.edgeGrad(de, dOut, x.data(), e.data(), edges.src(), edges.dst(), edges.numEdges(), f,
          ctx.parallel());
      if (needsGrad(0)) {
        Csr bySrc = edges.csrBySrc();
        float[] dx = new float[x.numel()];
        ctx.kernels().graph().segmentSumCsr(dx, bySrc.rowPtr(), bySrc.edge(), de, false, bySrc.rows(), f,
            ctx.parallel());
        accumulate(0, dx);
      }
      if (needsGrad(1)) accumulate(1, de);
    }

    @Override
    public String name() {
      return "gine_message";
    }
  }
}
