package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import java.util.ArrayList;
import java.util.List;
import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.ElementwiseKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Element-wise arithmetic with NumPy/PyTorch broadcasting (dims aligned from the right; a dim
 * of size 1 or a missing one stretches): same shapes, a bias row {@code [..., F] + [F]}, a
 * per-row column {@code [N, F] * [N, 1]}, a scalar {@code []} or {@code [1]}, and any other
 * compatible pair. Backward sums the gradient over the broadcast dims. Also the scalar ops
 * addScalar, mulScalar, powScalar, neg and sqrt.
 */
public final class Elementwise {
  private Elementwise() {}

  /** a + b, broadcast. */
  public static Tensor add(Tensor a, Tensor b) {
    return binary("add", ElementwiseKernels.ADD, a, b);
  }

  /** a - b, broadcast. */
  public static Tensor sub(Tensor a, Tensor b) {
    return binary("sub", ElementwiseKernels.SUB, a, b);
  }

  /** a * b (Hadamard), broadcast. */
  public static Tensor mul(Tensor a, Tensor b) {
    return binary("mul", ElementwiseKernels.MUL, a, b);
  }

  /** a / b, broadcast (IEEE: x / 0 is +-inf or NaN, as torch). */
  public static Tensor div(Tensor a, Tensor b) {
    return binary("div", ElementwiseKernels.DIV, a, b);
  }

  /** x + c. */
  public static Tensor addScalar(Tensor x, float c) {
    return Activations.unary("addScalar", ElementwiseKernels.ADD_SCALAR, x, c);
  }

  /** x * c. */
  public static Tensor mulScalar(Tensor x, float c) {
    return Activations.unary("mulScalar", ElementwiseKernels.MUL_SCALAR, x, c);
  }

  /** x^p element-wise; derivative p x^(p-1). */
  public static Tensor powScalar(Tensor x, float p) {
    return Activations.unary("powScalar", ElementwiseKernels.POW, x, p);
  }

  /** -x. */
  public static Tensor neg(Tensor x) {
    return Activations.unary("neg", ElementwiseKernels.NEG, x, 0f);
  }

  /** sqrt x; derivative 1 / (2 sqrt x). */
  public static Tensor sqrt(Tensor x) {
    return Activations.unary("sqrt", ElementwiseKernels.SQRT, x, 0f);
  }

  /**
   * The broadcast of two shapes, reduced to the fewest dims: size-1 output dims dropped and
   * neighbours merged where both operands are contiguous (or both broadcast) across them, so
   * [N, F] + [F] runs as N dense rows of F and equal shapes as one long row.
   *
   * @param dims collapsed output index space (rank >= 1)
   * @param aStrides stride of a per collapsed dim, 0 where a is broadcast
   * @param oStrides contiguous strides of the output over {@code dims}
   */
  record Plan(Shape out, int[] dims, int[] aStrides, int[] bStrides, int[] oStrides) {
    static Plan of(String op, Shape a, Shape b) {
      int r = Math.max(a.rank(), b.rank());
      int[] out = new int[r];
      int[] sa = new int[r];
      int[] sb = new int[r];
      int strideA = 1;
      int strideB = 1;
      for (int i = r - 1; i >= 0; i--) {
        int ia = i - (r - a.rank());
        int ib = i - (r - b.rank());
        int da = ia >= 0 ? a.dim(ia) : 1;
        int db = ib >= 0 ? b.dim(ib) : 1;
        if (da != db && da != 1 && db != 1) {
          throw new IllegalArgumentException(op + ": shapes do not broadcast (got " + a + " and "
              + b + ", expected equal trailing dims or 1; dim " + (i - r) + " is " + da + " vs "
              + db + ")");
        }
        out[i] = da == 1 ? db : da;
        sa[i] = da == 1 ? 0 : strideA;
        sb[i] = db == 1 ? 0 : strideB;
        strideA *= da;
        strideB *= db;
      }
      List<int[]> kept = new ArrayList<>();                // each: {dim, strideA, strideB}
      for (int i = 0; i < r; i++) {
        if (out[i] == 1) continue;
        if (!kept.isEmpty()) {
          int[] prev = kept.get(kept.size() - 1);
          if (prev[1] == sa[i] * out[i] && prev[2] == sb[i] * out[i]) {
            prev[0] *= out[i];
            prev[1] = sa[i];
            prev[2] = sb[i];
            continue;
          }
        }
        kept.add(new int[] {out[i], sa[i], sb[i]});
      }
      if (kept.isEmpty()) kept.add(new int[] {1, 0, 0});
      int k = kept.size();
      int[] dims = new int[k];
      int[] ca = new int[k];
      int[] cb = new int[k];
      int[] co = new int[k];
      for (int i = k - 1, s = 1; i >= 0; i--) {
        dims[i] = kept.get(i)[0];
        ca[i] = kept.get(i)[1];
        cb[i] = kept.get(i)[2];
        co[i] = s;
        s *= dims[i];
      }
      return new Plan(Shape.of(out), dims, ca, cb, co);
    }
  }

  private static Tensor binary(String name, int op, Tensor a, Tensor b) {
    if (a == null || b == null) throw new IllegalArgumentException(name + ": input is null");
    if (!a.ctx().sharesTensorsWith(b.ctx())) {
      throw new IllegalArgumentException(name + ": inputs belong to different contexts");
    }
    Plan p = Plan.of(name, a.shape(), b.shape());
    float[] y = ContextAccess.floatsToOverwrite(a.ctx(), p.out().numel());   // binary writes all
    if (y.length > 0) {
      ContextAccess.kernels(a.ctx()).elementwise().binary(op, y, a.data(), p.aStrides(), b.data(),
          p.bStrides(), p.dims(), ContextAccess.parallel(a.ctx()));
    }
    return new Tensor(a.ctx(), p.out(), y).recordedBy(new Backward(name, op, a, b, y, p));
  }

  private static final class Backward extends Node {
    private final String name;
    private final int op;
    private final float[] y;                               // y: forward output, for div's db
    private final Plan p;

    Backward(String name, int op, Tensor a, Tensor b, float[] y, Plan p) {
      super(a, b);
      this.name = name;
      this.op = op;
      this.y = y;
      this.p = p;
    }

    @Override
    public void backward(float[] g) {                      // g: like the output
      Tensor a = inputs()[0];
      Tensor b = inputs()[1];
      Context ctx = a.ctx();
      int n = g.length;
      boolean ga = needsGrad(0);
      boolean gb = needsGrad(1);
      switch (op) {
        // d(a +- b) = da +- db
        // g itself goes to one same-shaped input as the last step; the other gets a copy.
        case ElementwiseKernels.ADD, ElementwiseKernels.SUB -> {
          float s = op == ElementwiseKernels.SUB ? -1f : 1f;
          boolean aTakesG = ga && a.shape().equals(p.out());
          boolean bTakesG = !aTakesG && gb && s == 1f && b.shape().equals(p.out());
          if (gb && !bTakesG) accumulate(1, reduceTo(b, p.bStrides(), g, false, s));
          if (ga && !aTakesG) accumulate(0, reduceTo(a, p.aStrides(), g, false, 1f));
          if (aTakesG) handOver(0, g);
          if (bTakesG) handOver(1, g);
        }
        // d(a b) = b da + a db
        case ElementwiseKernels.MUL -> {
          if (ga && gb && a == b) {
            // a square (a loss's x.mul(x)): 2 (g a) in one product and one exact doubling, the
            // bits of g a + g a, instead of two products and a sum
            float[] t = times(ctx, g, b, p.bStrides());
            if (n > 0) {
              ContextAccess.kernels(ctx).elementwise().unary(ElementwiseKernels.MUL_SCALAR, t, t,
                  2f, n, ContextAccess.parallel(ctx));
            }
            accumulate(0, t);
            return;
          }
          if (ga) {
            accumulate(0, reduceTo(a, p.aStrides(), times(ctx, g, b, p.bStrides()), true, 1f));
          }
          if (gb) {
            accumulate(1, reduceTo(b, p.bStrides(), times(ctx, g, a, p.aStrides()), true, 1f));
          }
        }
        // d(a / b) = da / b - (a / b^2) db = da / b - (y / b) db
        case ElementwiseKernels.DIV -> {
          if (ga) {
            float[] t = ContextAccess.floatsToOverwrite(inputs()[0].ctx(), n);
            if (n > 0) {
              ContextAccess.kernels(ctx).elementwise().binary(ElementwiseKernels.DIV, t, g, p.oStrides(),
                  b.data(), p.bStrides(), p.dims(), ContextAccess.parallel(ctx));
            }
            accumulate(0, reduceTo(a, p.aStrides(), t, true, 1f));
          }
          if (gb) {
            float[] t = ContextAccess.floatsToOverwrite(inputs()[0].ctx(), n);           // t: g y / b, like the output
            if (n > 0) {
              var par = ContextAccess.parallel(ctx);
              var ew = ContextAccess.kernels(ctx).elementwise();
              ew.binary(ElementwiseKernels.MUL, t, g, p.oStrides(), y, p.oStrides(), p.dims(), par);
              ew.binary(ElementwiseKernels.DIV, t, t, p.oStrides(), b.data(), p.bStrides(),
                  p.dims(), par);
            }
            accumulate(1, reduceTo(b, p.bStrides(), t, true, -1f));
          }
        }
        default -> throw new AssertionError(op);
      }
    }

    /** g * other, with other broadcast over the output: [out]. */
    private float[] times(Context ctx, float[] g, Tensor other, int[] otherStrides) {
      float[] t = ContextAccess.floatsToOverwrite(inputs()[0].ctx(), g.length);
      if (t.length > 0) {
        ContextAccess.kernels(ctx).elementwise().binary(ElementwiseKernels.MUL, t, g, p.oStrides(),
            other.data(), otherStrides, p.dims(), ContextAccess.parallel(ctx));
      }
      return t;
    }

    /**
     * scale * src summed down to {@code in}'s shape. {@code owned}: src is a scratch array this
     * node may hand over when no reduction is needed.
     */
    private float[] reduceTo(Tensor in, int[] strides, float[] src, boolean owned, float scale) {
      if (in.shape().equals(p.out())) {
        if (owned && scale == 1f) return src;
        float[] d = ContextAccess.floatsToOverwrite(inputs()[0].ctx(), src.length);
        ContextAccess.kernels(in.ctx()).elementwise().unary(ElementwiseKernels.MUL_SCALAR, d, src, scale,
            d.length, ContextAccess.parallel(in.ctx()));
        return d;
      }
      float[] d = ContextAccess.floats(inputs()[0].ctx(), in.numel());
      if (src.length > 0) {
        ContextAccess.kernels(in.ctx()).elementwise().reduceBroadcast(d, strides, src, p.dims(), scale,
            ContextAccess.parallel(in.ctx()));
      }
      return d;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
