package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Segment reductions, the second half of message passing ({@code torch_scatter} / PyG's
 * aggregation): rows of {@code src} with the same index are summed, averaged or max-reduced into
 * one output row. Two forms: onto the targets of an {@link EdgeIndex} ({@code msg [E, ...]} to
 * {@code [numDstNodes, ...]}) and onto an explicit index vector ({@code src [M, ...]}, index
 * [M] with values in [0, size), unsorted, to {@code [size, ...]}, e.g. graph pooling with a
 * batch vector). Rows no index points at reduce to 0 for sum, mean and max alike, as in PyG.
 * Work is grouped by output row (CSR), so each output row is reduced by one thread in the
 * original order. Backward: sum copies the output gradient to every contributing row, mean
 * scales it by 1/count, max routes it to the first row that attained the maximum.
 */
public final class Scatter {
  private Scatter() {}

  private enum Reduce { SUM, MEAN, MAX }

  /** msg [E, ...] summed onto each edge's target: [numDstNodes, ...]. */
  public static Tensor sum(Tensor msg, EdgeIndex e) {
    return onEdges("scatter_sum", Reduce.SUM, msg, e);
  }

  /** msg [E, ...] averaged over each target's in-edges: [numDstNodes, ...]. */
  public static Tensor mean(Tensor msg, EdgeIndex e) {
    return onEdges("scatter_mean", Reduce.MEAN, msg, e);
  }

  /** Per-feature maximum of msg [E, ...] over each target's in-edges: [numDstNodes, ...]. */
  public static Tensor max(Tensor msg, EdgeIndex e) {
    return onEdges("scatter_max", Reduce.MAX, msg, e);
  }

  /** src [M, ...] summed by index [M] into [size, ...]. */
  public static Tensor sum(Tensor src, int[] index, int size) {
    return onIndex("scatter_sum", Reduce.SUM, src, index, size);
  }

  /** src [M, ...] averaged by index [M] into [size, ...]. */
  public static Tensor mean(Tensor src, int[] index, int size) {
    return onIndex("scatter_mean", Reduce.MEAN, src, index, size);
  }

  /** Per-feature maximum of src [M, ...] by index [M] into [size, ...]. */
  public static Tensor max(Tensor src, int[] index, int size) {
    return onIndex("scatter_max", Reduce.MAX, src, index, size);
  }

  private static Tensor onEdges(String op, Reduce kind, Tensor msg, EdgeIndex e) {
    Gather.checkRows(op, "msg", msg, e.numEdges(), "edge");
    return reduce(kind, msg, e.dst(), e.csrByDst(), e.numDstNodes());
  }

  private static Tensor onIndex(String op, Reduce kind, Tensor src, int[] index, int size) {
    if (size < 0) {
      throw new IllegalArgumentException(op + ": size must be >= 0 (got " + size
          + ", expected the number of output rows)");
    }
    if (src.rank() < 1) {
      throw new IllegalArgumentException(op + ": src must have at least one dimension (got "
          + src.shape() + ", expected [M, ...])");
    }
    if (index.length != src.dim(0)) {
      throw new IllegalArgumentException(op + ": index must have one entry per row of src (got "
          + "index of length " + index.length + " for src of shape " + src.shape()
          + ", expected length " + src.dim(0) + ")");
    }
    Gather.checkIndex(op, "index", index, size, "for size " + size);
    return reduce(kind, src, index.clone(), Gather.groupBy(index, size), size);
  }

  /** Reduces rows of src grouped by {@code csr} (rows = outputs, edge = src row ids). */
  private static Tensor reduce(Reduce kind, Tensor src, int[] index, Csr csr, int size) {
    Context ctx = src.ctx();
    GraphKernels gk = ContextAccess.kernels(ctx).graph();
    int f = Gather.rowWidth(src);
    Shape outShape = Gather.withRows(src.shape(), size);
    float[] out = ContextAccess.floats(src.ctx(), outShape.numel());             // out: [size, f]
    int[] argmax = null;                                   // argmax: [size, f] src row or -1
    if (kind == Reduce.MAX) {
      argmax = new int[size * f];
      gk.segmentMaxCsr(out, argmax, csr.rowPtr(), csr.edge(), src.data(), size, f,
          ContextAccess.parallel(ctx));
    } else {
      gk.segmentSumCsr(out, csr.rowPtr(), csr.edge(), src.data(), kind == Reduce.MEAN, size, f,
          ContextAccess.parallel(ctx));
    }
    return new Tensor(ctx, outShape, out)
        .recordedBy(new Backward(src, kind, index, csr, argmax, f));
  }

  private static final class Backward extends Node {
    private final Reduce kind;
    private final int[] index;
    private final Csr csr;
    private final int[] argmax;
    private final int f;

    Backward(Tensor src, Reduce kind, int[] index, Csr csr, int[] argmax, int f) {
      super(src);
      this.kind = kind;
      this.index = index;
      this.csr = csr;
      this.argmax = argmax;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [size, f]
      Tensor src = inputs()[0];
      Context ctx = src.ctx();
      GraphKernels gk = ContextAccess.kernels(ctx).graph();
      float[] dSrc = ContextAccess.floats(inputs()[0].ctx(), src.numel());              // dSrc: [M, f]
      int m = src.dim(0);
      switch (kind) {
        // sum: d out[i] / d src[m] = 1 when index[m] == i
        case SUM -> gk.gatherRows(dSrc, dOut, index, null, m, f, ContextAccess.parallel(ctx));
        case MEAN -> {
          // mean: d out[i] / d src[m] = 1 / count(i) when index[m] == i
          int[] rowPtr = csr.rowPtr();
          float[] invCount = ContextAccess.floats(inputs()[0].ctx(), csr.rows());
          for (int i = 0; i < invCount.length; i++) {
            invCount[i] = 1f / Math.max(1, rowPtr[i + 1] - rowPtr[i]);
          }
          gk.gatherRows(dSrc, dOut, index, invCount, m, f, ContextAccess.parallel(ctx));
        }
        // max: only the (first) argmax row of each output element receives its gradient
        case MAX -> gk.segmentMaxBackward(dSrc, dOut, argmax, csr.rows(), f, ContextAccess.parallel(ctx));
      }
      accumulate(0, dSrc);
    }
  }
}
