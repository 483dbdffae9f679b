package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Channel-wise maximum over each target's in-neighbours, PyG's {@code aggr="max"}:
 * {@code out[i] = max_{e: j -> i} x[j]}, read from x through the CSR by target instead of from
 * an [E, F] message tensor (what {@link Scatter#max} needs). PyG's rules: 0 for a target without
 * in-edges, and where several in-edges tie for a channel's maximum (duplicate edges, equal
 * values) the gradient is split equally between them; {@link Scatter#max} instead routes it to
 * the first.
 */
public final class NeighborMax {
  private NeighborMax() {}

  /**
   * @param x [numSrcNodes, ...]
   * @return [numDstNodes, ...] (x's trailing dimensions)
   * @throws IllegalArgumentException if x does not have one row per source node
   */
  public static Tensor aggregate(EdgeIndex e, Tensor x) {
    Gather.checkRows("neighbor_max", "x", x, e.numSrcNodes(), "source node");
    Context ctx = x.ctx();
    int f = Gather.rowWidth(x);
    int rows = e.numDstNodes();
    Csr byDst = e.csrByDst();
    Shape shape = Gather.withRows(x.shape(), rows);
    float[] out = ContextAccess.floats(x.ctx(), shape.numel());                // out: [numDstNodes, f]
    float[] invCount = ContextAccess.floats(x.ctx(), shape.numel());           // invCount: [numDstNodes, f]
    ContextAccess.kernels(ctx).neighborMax().forward(out, invCount, byDst.rowPtr(), byDst.col(), x.data(),
        rows, f, ContextAccess.parallel(ctx));
    return new Tensor(ctx, shape, out).recordedBy(new Backward(x, e, out, invCount, f));
  }

  private static final class Backward extends Node {
    private final EdgeIndex e;
    private final float[] out;
    private final float[] invCount;
    private final int f;

    Backward(Tensor x, EdgeIndex e, float[] out, float[] invCount, int f) {
      super(x);
      this.e = e;
      this.out = out;
      this.invCount = invCount;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [numDstNodes, f]
      // dx[j, k] = sum_{e: j -> i, x[j, k] == out[i, k]} dOut[i, k] / ties(i, k)
      Tensor x = inputs()[0];
      Context ctx = x.ctx();
      Csr bySrc = e.csrBySrc();
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());                  // dx: [numSrcNodes, f]
      ContextAccess.kernels(ctx).neighborMax().backward(dx, bySrc.rowPtr(), bySrc.col(), x.data(), out,
          invCount, dOut, bySrc.rows(), f, ContextAccess.parallel(ctx));
      accumulate(0, dx);
    }
  }
}
