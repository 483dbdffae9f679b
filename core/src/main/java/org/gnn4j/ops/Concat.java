package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;
import java.util.Arrays;
import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Joining and cutting along one dimension, as torch.cat and torch.split with a list of sizes:
 * e.g. concatenating the heads of a multi-head layer ({@code [N, F1] ++ [N, F2] -> [N, F1+F2]}
 * along dim -1) or stacking node sets along dim 0. Both copy whole contiguous blocks, one per
 * (outer index, tensor). Backward: concat hands each input its slice of the gradient; each
 * split piece scatters its gradient into its slice of the input's.
 */
public final class Concat {
  private Concat() {}

  /**
   * Concatenates {@code tensors} along {@code dim} (negative counts from the end).
   *
   * @throws IllegalArgumentException if there are none, or ranks or non-{@code dim} sizes differ
   */
  public static Tensor concat(int dim, Tensor... tensors) {
    if (tensors == null || tensors.length == 0) {
      throw new IllegalArgumentException("concat: no tensors (got 0, expected at least 1)");
    }
    Tensor first = tensors[0];
    if (first == null) throw new IllegalArgumentException("concat: tensor 0 is null");
    int axis = axisOf("concat", dim, first.shape());
    int[] out = first.shape().toArray();
    int total = 0;
    for (int t = 0; t < tensors.length; t++) {
      Tensor x = tensors[t];
      if (x == null) throw new IllegalArgumentException("concat: tensor " + t + " is null");
      boolean same = x.rank() == first.rank() && x.ctx().sharesTensorsWith(first.ctx());
      for (int i = 0; same && i < out.length; i++) same = i == axis || x.dim(i) == out[i];
      if (!same) {
        throw new IllegalArgumentException("concat: tensor " + t + " does not fit (got "
            + x.shape() + ", expected " + first.shape() + " except in dim " + dim
            + ", a context that shares tensors with the first)");
      }
      total += x.dim(axis);
    }
    out[axis] = total;
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= out[i];
    int inner = 1;
    for (int i = axis + 1; i < out.length; i++) inner *= out[i];
    float[] y = ContextAccess.floats(tensors[0].ctx(), Shape.of(out).numel());
    int[] offsets = new int[tensors.length];               // offsets: start of tensor t in a row
    for (int t = 0, off = 0; t < tensors.length; t++) {
      offsets[t] = off;
      int chunk = tensors[t].dim(axis) * inner;
      float[] src = tensors[t].data();
      for (int o = 0; o < outer; o++) {
        System.arraycopy(src, o * chunk, y, o * total * inner + off, chunk);
      }
      off += chunk;
    }
    return new Tensor(first.ctx(), Shape.of(out), y)
        .recordedBy(new ConcatBackward(tensors.clone(), offsets, outer, total * inner, axis,
            inner));
  }

  private static int axisOf(String op, int dim, Shape s) {
    int r = s.rank();
    if (dim < -r || dim >= r) {
      throw new IllegalArgumentException(op + ": dim out of range (got " + dim + " for shape " + s
          + ", expected " + -r + ".." + (r - 1) + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  private static final class ConcatBackward extends Node {
    private final int[] offsets;
    private final int outer;
    private final int rowLen;
    private final int axis;
    private final int inner;

    ConcatBackward(Tensor[] in, int[] offsets, int outer, int rowLen, int axis, int inner) {
      super(in);
      this.offsets = offsets;
      this.outer = outer;
      this.rowLen = rowLen;
      this.axis = axis;
      this.inner = inner;
    }

    @Override
    public void backward(float[] g) {                      // g: [outer, total * inner]
      Tensor[] in = inputs();
      // y = [x_0 | x_1 | ...] along axis  =>  dx_t = g[:, offset_t : offset_t + chunk_t]
      for (int t = 0; t < in.length; t++) {
        if (!needsGrad(t)) continue;
        int chunk = in[t].dim(axis) * inner;
        float[] dx = ContextAccess.floats(inputs()[0].ctx(), in[t].numel());
        for (int o = 0; o < outer; o++) {
          System.arraycopy(g, o * rowLen + offsets[t], dx, o * chunk, chunk);
        }
        accumulate(t, dx);
      }
    }

    @Override
    public String name() {
      return "concat";
    }
  }

  /**
   * Cuts x along {@code dim} into pieces of the given sizes (which must add up to that dim),
   * each a new contiguous tensor with its own gradient link to x.
   */
  public static Tensor[] split(Tensor x, int dim, int... sizes) {
    if (x == null) throw new IllegalArgumentException("split: input is null");
    int axis = axisOf("split", dim, x.shape());
    long sum = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] < 0) {
        throw new IllegalArgumentException("split: negative size " + sizes[i] + " at position "
            + i + " (got " + Arrays.toString(sizes) + ")");
      }
      sum += sizes[i];
    }
    if (sum != x.dim(axis)) {
      throw new IllegalArgumentException("split: sizes do not add up to dim " + dim + " (got "
          + Arrays.toString(sizes) + " summing to " + sum + ", expected " + x.dim(axis)
          + " for shape " + x.shape() + ")");
    }
    int[] dims = x.shape().toArray();
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= dims[i];
    int inner = 1;
    for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
    int rowLen = dims[axis] * inner;
    Tensor[] pieces = new Tensor[sizes.length];
    for (int p = 0, off = 0; p < sizes.length; p++) {
      int chunk = sizes[p] * inner;
      int[] pd = dims.clone();
      pd[axis] = sizes[p];
      float[] y = ContextAccess.floats(x.ctx(), outer * chunk);
      for (int o = 0; o < outer; o++) {
        System.arraycopy(x.data(), o * rowLen + off, y, o * chunk, chunk);
      }
      pieces[p] = new Tensor(x.ctx(), Shape.of(pd), y)
          .recordedBy(new SplitBackward(x, outer, rowLen, off, chunk));
      off += chunk;
    }
    return pieces;
  }

  private static final class SplitBackward extends Node {
    private final int outer;
    private final int rowLen;
    private final int offset;
    private final int chunk;

    SplitBackward(Tensor x, int outer, int rowLen, int offset, int chunk) {
      super(x);
      this.outer = outer;
      this.rowLen = rowLen;
      this.offset = offset;
      this.chunk = chunk;
    }

    @Override
    public void backward(float[] g) {                      // g: [outer, chunk]
      // piece = x[:, offset : offset + chunk]  =>  dx is g there, 0 elsewhere
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), inputs()[0].numel());
      for (int o = 0; o < outer; o++) {
        System.arraycopy(g, o * chunk, dx, o * rowLen + offset, chunk);
      }
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return "split";
    }
  }
}
