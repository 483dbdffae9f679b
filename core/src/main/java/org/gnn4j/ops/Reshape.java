package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import java.util.Arrays;
import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Shape changes: {@link #reshape} (a view sharing the input's data, one dim may be -1 and is
 * inferred, as torch.reshape on a contiguous tensor), {@link #transpose} of two dims and the
 * general {@link #permute}, which copy into a new contiguous tensor since gnn4j tensors are
 * always row-major. Backward: reshape passes the gradient through under the input's shape;
 * permute applies the inverse permutation.
 */
public final class Reshape {
  private Reshape() {}

  /**
   * x with shape {@code dims}, sharing x's data (writes through one show in the other).
   *
   * @throws IllegalArgumentException if the element counts differ, more than one dim is -1,
   *     a dim is below -1, or -1 cannot be inferred
   */
  public static Tensor reshape(Tensor x, int... dims) {
    if (x == null) throw new IllegalArgumentException("reshape: input is null");
    int infer = -1;
    long known = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: only one dim can be -1 (got "
              + Arrays.toString(dims) + " at positions " + infer + " and " + i + ")");
        }
        infer = i;
      } else if (dims[i] < 0) {
        throw new IllegalArgumentException("reshape: negative dim " + dims[i] + " at position "
            + i + " (got " + Arrays.toString(dims) + ", expected sizes >= 0 or one -1)");
      } else {
        known *= dims[i];
      }
    }
    int[] out = dims.clone();
    if (infer >= 0) {
      if (known == 0 || x.numel() % known != 0) {
        throw new IllegalArgumentException("reshape: cannot infer the -1 in "
            + Arrays.toString(dims) + " for shape " + x.shape() + " (got " + x.numel()
            + " elements, expected a multiple of " + known + ")");
      }
      out[infer] = (int) (x.numel() / known);
      known *= out[infer];
    }
    if (known != x.numel()) {
      throw new IllegalArgumentException("reshape: element count differs (got shape " + x.shape()
          + " with " + x.numel() + " elements, expected " + known + " for "
          + Arrays.toString(dims) + ")");
    }
    return new Tensor(x.ctx(), Shape.of(out), x.data()).recordedBy(new ReshapeBackward(x));
  }

  private static final class ReshapeBackward extends Node {
    ReshapeBackward(Tensor x) {
      super(x);
    }

    @Override
    public void backward(float[] g) {                      // g: same elements, new shape
      handOver(0, g);                                      // same elements: no copy needed
    }

    @Override
    public String name() {
      return "reshape";
    }
  }

  /** x with dims d0 and d1 swapped (negative dims count from the end), as a contiguous copy. */
  public static Tensor transpose(Tensor x, int d0, int d1) {
    if (x == null) throw new IllegalArgumentException("transpose: input is null");
    int r = x.rank();
    int a = checkDim("transpose", d0, x.shape());
    int b = checkDim("transpose", d1, x.shape());
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) perm[i] = i;
    perm[a] = b;
    perm[b] = a;
    return permuteChecked("transpose", x, perm);
  }

  /** Output dim i is input dim perm[i] (a permutation of 0..rank-1; negatives allowed). */
  public static Tensor permute(Tensor x, int... perm) {
    if (x == null) throw new IllegalArgumentException("permute: input is null");
    int r = x.rank();
    if (perm.length != r) {
      throw new IllegalArgumentException("permute: wrong number of dims (got "
          + Arrays.toString(perm) + " for shape " + x.shape() + ", expected " + r + ")");
    }
    int[] p = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      p[i] = checkDim("permute", perm[i], x.shape());
      if (seen[p[i]]) {
        throw new IllegalArgumentException("permute: dim " + perm[i] + " repeated at position "
            + i + " (got " + Arrays.toString(perm) + ", expected a permutation of 0.." + (r - 1)
            + ")");
      }
      seen[p[i]] = true;
    }
    return permuteChecked("permute", x, p);
  }

  private static int checkDim(String op, int dim, Shape s) {
    int r = s.rank();
    if (dim < -r || dim >= r) {
      throw new IllegalArgumentException(op + ": dim out of range (got " + dim + " for shape " + s
          + ", expected " + -r + ".." + (r - 1) + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  private static Tensor permuteChecked(String name, Tensor x, int[] perm) {
    float[] y = ContextAccess.floats(x.ctx(), x.numel());
    int[] outDims = gatherPermuted(y, x.data(), x.shape().toArray(), perm, x);
    return new Tensor(x.ctx(), Shape.of(outDims), y).recordedBy(new PermuteBackward(name, x, perm));
  }

  /** y = permute(x of dims inDims, perm); returns the output dims. */
  private static int[] gatherPermuted(float[] y, float[] x, int[] inDims, int[] perm,
                                      Tensor ctxOf) {
    int r = inDims.length;
    int[] inStrides = new int[r];
    for (int i = r - 1, s = 1; i >= 0; i--) {
      inStrides[i] = s;
      s *= inDims[i];
    }
    int[] outDims = new int[r];
    int[] strides = new int[r];                            // strides: input stride per output dim
    for (int i = 0; i < r; i++) {
      outDims[i] = inDims[perm[i]];
      strides[i] = inStrides[perm[i]];
    }
    if (y.length == 0) return outDims;
    if (r == 0) {
      y[0] = x[0];
      return outDims;
    }
    ContextAccess.kernels(ctxOf.ctx()).elementwise().gather(y, x, strides, outDims, ContextAccess.parallel(ctxOf.ctx()));
    return outDims;
  }

  private static final class PermuteBackward extends Node {
    private final String name;
    private final int[] perm;

    PermuteBackward(String name, Tensor x, int[] perm) {
      super(x);
      this.name = name;
      this.perm = perm;
    }

    @Override
    public void backward(float[] g) {                      // g: permuted shape
      Tensor x = inputs()[0];
      int r = perm.length;
      // y = permute(x, perm)  =>  dx = permute(g, inverse(perm))
      int[] inverse = new int[r];
      int[] gDims = new int[r];
      for (int i = 0; i < r; i++) {
        inverse[perm[i]] = i;
        gDims[i] = x.dim(perm[i]);
      }
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), g.length);
      gatherPermuted(dx, g, gDims, inverse, x);
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return name;
    }
  }
}
