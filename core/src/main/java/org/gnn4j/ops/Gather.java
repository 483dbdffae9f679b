package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Lifts node features to edges, the first half of message passing (PyG's {@code x_j} and
 * {@code x_i}): {@code Gather.src(x, e)} is {@code x[src[e]]} and {@code Gather.dst(x, e)} is
 * {@code x[dst[e]]}, each {@code [E, ...]} for x {@code [N, ...]}. Backward adds each edge's
 * gradient back onto its node, walking the CSR of that endpoint so every node's gradient row is
 * summed by one thread in a fixed order (no atomics, same bits every run).
 */
public final class Gather {
  private Gather() {}

  /**
   * Rows of x at each edge's source: {@code out[e] = x[src[e]]}.
   *
   * @param x [numSrcNodes, ...]
   * @return [E, ...]
   */
  public static Tensor src(Tensor x, EdgeIndex e) {
    return gather("gather_src", x, e, true);
  }

  /**
   * Rows of x at each edge's target: {@code out[e] = x[dst[e]]}.
   *
   * @param x [numDstNodes, ...]
   * @return [E, ...]
   */
  public static Tensor dst(Tensor x, EdgeIndex e) {
    return gather("gather_dst", x, e, false);
  }

  private static Tensor gather(String op, Tensor x, EdgeIndex e, boolean bySrc) {
    int nodes = bySrc ? e.numSrcNodes() : e.numDstNodes();
    checkRows(op, "x", x, nodes, bySrc ? "source" : "target");
    int f = rowWidth(x);
    int edges = e.numEdges();
    Context ctx = x.ctx();
    Shape outShape = withRows(x.shape(), edges);           // checks the size fits an array
    float[] out = ContextAccess.floats(x.ctx(), outShape.numel());             // out: [E, f]
    ContextAccess.kernels(ctx).graph().gatherRows(out, x.data(), bySrc ? e.src() : e.dst(), null, edges, f,
        ContextAccess.parallel(ctx));
    return new Tensor(ctx, outShape, out)
        .recordedBy(new Backward(x, e, bySrc, f));
  }

  private static final class Backward extends Node {
    private final EdgeIndex e;
    private final boolean bySrc;
    private final int f;

    Backward(Tensor x, EdgeIndex e, boolean bySrc, int f) {
      super(x);
      this.e = e;
      this.bySrc = bySrc;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [E, f]
      // dx[n] = sum over the edges whose gathered endpoint is n of dOut[edge]
      Tensor x = inputs()[0];
      Csr csr = bySrc ? e.csrBySrc() : e.csrByDst();
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());
      ContextAccess.kernels(x.ctx()).graph().segmentSumCsr(dx, csr.rowPtr(), csr.edge(), dOut, false,
          csr.rows(), f, ContextAccess.parallel(x.ctx()));
      accumulate(0, dx);
    }
  }

  // ---- shared by the graph ops -------------------------------------------------------------

  /** Elements per row of the [dim0, rest] view: the product of all dimensions but the first. */
  static int rowWidth(Tensor t) {
    int w = 1;
    for (int d = 1; d < t.rank(); d++) w *= t.dim(d);
    return w;
  }

  /** {@code shape} with its first dimension replaced by {@code rows}. */
  static Shape withRows(Shape shape, int rows) {
    int[] dims = shape.toArray();
    dims[0] = rows;
    return Shape.of(dims);
  }

  /** Prints a shape with its first dimension replaced, for "expected" parts of messages. */
  static String expectedShape(Shape actual, String firstDim) {
    StringBuilder sb = new StringBuilder("[").append(firstDim);
    for (int d = 1; d < actual.rank(); d++) sb.append(", ").append(actual.dim(d));
    return sb.append(']').toString();
  }

  /** Throws unless t has rank >= 1 and exactly {@code rows} rows (one per node of the kind). */
  static void checkRows(String op, String name, Tensor t, int rows, String kind) {
    if (t.rank() < 1) {
      throw new IllegalArgumentException(op + ": " + name + " must have at least one dimension"
          + " (got " + t.shape() + ", expected [" + rows + ", ...])");
    }
    if (t.dim(0) != rows) {
      throw new IllegalArgumentException(op + ": " + name + " must have one row per " + kind
          + " (got " + t.shape() + ", expected " + expectedShape(t.shape(), "" + rows) + ")");
    }
  }

  /**
   * Throws unless every index is in [0, size); the message names the op, the array, the
   * position and the value.
   */
  static void checkIndex(String op, String name, int[] index, int size, String what) {
    for (int i = 0; i < index.length; i++) {
      int v = index[i];
      if (v < 0 || v >= size) {
        throw new IllegalArgumentException(op + ": " + name + "[" + i + "] is out of range (got "
            + v + ", expected 0 <= " + name + " < " + size + " " + what + ")");
      }
    }
  }

  /** Groups positions 0..index.length-1 by their index value: CSR over [size] rows. */
  static Csr groupBy(int[] index, int size) {
    int[] positions = new int[index.length];
    for (int i = 0; i < positions.length; i++) positions[i] = i;
    // the edge set "position -> index[position]": its CSR by target is the stable grouping
    return EdgeIndex.bipartite(positions, index, index.length, size).csrByDst();
  }
}
