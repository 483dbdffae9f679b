package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Sum and mean over one dimension (negative dims count from the end, keepDim keeps it as size
 * 1, as torch) or over all elements (a 0-dim result). Sums accumulate in double in a fixed
 * order, so they are accurate and do not depend on the thread count. Backward spreads the
 * gradient back over the reduced dimension (divided by its size for the mean).
 */
public final class Reductions {
  private Reductions() {}

  /** Sum over {@code dim}. */
  public static Tensor sum(Tensor x, int dim, boolean keepDim) {
    return reduce("sum", x, dim, keepDim, false);
  }

  /** Mean over {@code dim} (NaN for an empty dim, as torch). */
  public static Tensor mean(Tensor x, int dim, boolean keepDim) {
    return reduce("mean", x, dim, keepDim, true);
  }

  /** Sum of all elements, shape []. */
  public static Tensor sumAll(Tensor x) {
    return all("sumAll", x, false);
  }

  /** Mean of all elements, shape [] (NaN when empty). */
  public static Tensor meanAll(Tensor x) {
    return all("meanAll", x, true);
  }

  /** Resolves a possibly negative dim of a rank-r tensor (rank 0 accepts -1 and 0). */
  static int normalizeDim(String op, int dim, Shape shape) {
    int r = Math.max(1, shape.rank());
    if (dim < -r || dim >= r) {
      throw new IllegalArgumentException(op + ": dim out of range (got " + dim + " for shape "
          + shape + ", expected " + -r + ".." + (r - 1) + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  private static Tensor reduce(String name, Tensor x, int dim, boolean keepDim, boolean mean) {
    if (x == null) throw new IllegalArgumentException(name + ": input is null");
    int axis = normalizeDim(name, dim, x.shape());
    int[] dims = x.shape().toArray();
    int outer = 1;
    int inner = 1;
    for (int i = 0; i < axis && i < dims.length; i++) outer *= dims[i];
    for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
    int d = dims.length == 0 ? 1 : dims[axis];
    Shape outShape;
    if (dims.length == 0) {
      outShape = x.shape();
    } else if (keepDim) {
      int[] o = dims.clone();
      o[axis] = 1;
      outShape = Shape.of(o);
    } else {
      int[] o = new int[dims.length - 1];
      for (int i = 0, j = 0; i < dims.length; i++) if (i != axis) o[j++] = dims[i];
      outShape = Shape.of(o);
    }
    float scale = mean ? 1f / d : 1f;
    float[] y = ContextAccess.floats(x.ctx(), outShape.numel());
    if (y.length > 0) {
      ContextAccess.kernels(x.ctx()).elementwise().sumAxis(y, x.data(), outer, d, inner, scale,
          ContextAccess.parallel(x.ctx()));
    }
    return new Tensor(x.ctx(), outShape, y)
        .recordedBy(new AxisBackward(name, x, outer, d, inner, scale));
  }

  private static final class AxisBackward extends Node {
    private final String name;
    private final int outer;
    private final int d;
    private final int inner;
    private final float scale;

    AxisBackward(String name, Tensor x, int outer, int d, int inner, float scale) {
      super(x);
      this.name = name;
      this.outer = outer;
      this.d = d;
      this.inner = inner;
      this.scale = scale;
    }

    @Override
    public void backward(float[] g) {                      // g: [outer, inner]
      Tensor x = inputs()[0];
      // y[o, i] = scale * sum_k x[o, k, i]  =>  dx[o, k, i] = scale * g[o, i]
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());
      if (dx.length > 0) {
        ContextAccess.kernels(x.ctx()).elementwise().expandAxis(dx, g, outer, d, inner, scale,
            ContextAccess.parallel(x.ctx()));
      }
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return name;
    }
  }

  private static Tensor all(String name, Tensor x, boolean mean) {
    if (x == null) throw new IllegalArgumentException(name + ": input is null");
    int n = x.numel();
    double s = ContextAccess.kernels(x.ctx()).elementwise().sumAll(x.data(), n, ContextAccess.parallel(x.ctx()));
    float scale = mean ? 1f / n : 1f;
    float v = (float) (mean ? s / n : s);
    return new Tensor(x.ctx(), Shape.of(), new float[] {v})
        .recordedBy(new AllBackward(name, x, scale));
  }

  private static final class AllBackward extends Node {
    private final String name;
    private final float scale;

    AllBackward(String name, Tensor x, float scale) {
      super(x);
      this.name = name;
      this.scale = scale;
    }

    @Override
    public void backward(float[] g) {                      // g: [1]
      Tensor x = inputs()[0];
      // y = scale * sum_i x[i]  =>  dx[i] = scale * g
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());
      ContextAccess.kernels(x.ctx()).elementwise().fill(dx, scale * g[0], dx.length, ContextAccess.parallel(x.ctx()));
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return name;
    }
  }
}
