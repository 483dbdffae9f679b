package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Row selection along dimension 0 ({@code torch.index_select(x, 0, index)}) and its best-known
 * use, the embedding lookup ({@code nn.Embedding}): {@code out[r] = x[index[r]]}. Every index is
 * checked before any work. Backward scatter-adds each output row's gradient onto the row it was
 * read from; repeated indices accumulate, grouped by a stable counting sort so the sum order is
 * fixed.
 */
public final class IndexSelect {
  private IndexSelect() {}

  /**
   * {@code x[index]} along dimension 0.
   *
   * @param x [N, ...]
   * @param index [L] values in [0, N); may repeat, any order
   * @return [L, ...]
   * @throws IllegalArgumentException naming the position and value of an out-of-range index
   */
  public static Tensor rows(Tensor x, int[] index) {
    return select("index_select", "index", "for x of shape " + x.shape(), x, index);
  }

  /**
   * Embedding lookup: row {@code ids[r]} of {@code table} for every r.
   *
   * @param table [V, F] (or [V, ...])
   * @param ids [L] token / node ids in [0, V)
   * @return [L, F]
   * @throws IllegalArgumentException naming the position and value of an id outside the table
   */
  public static Tensor embedding(Tensor table, int[] ids) {
    return select("embedding", "ids", "for a table of shape " + table.shape(), table, ids);
  }

  private static Tensor select(String op, String name, String what, Tensor x, int[] index) {
    if (x.rank() < 1) {
      throw new IllegalArgumentException(op + ": x must have at least one dimension (got "
          + x.shape() + ", expected [N, ...])");
    }
    Gather.checkIndex(op, name, index, x.dim(0), what);
    int f = Gather.rowWidth(x);
    Context ctx = x.ctx();
    Shape outShape = Gather.withRows(x.shape(), index.length);
    float[] out = ContextAccess.floats(x.ctx(), outShape.numel());             // out: [L, f]
    ContextAccess.kernels(ctx).graph().gatherRows(out, x.data(), index, null, index.length, f,
        ContextAccess.parallel(ctx));
    return new Tensor(ctx, outShape, out)
        .recordedBy(new Backward(x, index.clone(), f));
  }

  private static final class Backward extends Node {
    private final int[] index;
    private final int f;

    Backward(Tensor x, int[] index, int f) {
      super(x);
      this.index = index;
      this.f = f;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [L, f]
      // dx[n] = sum over positions r with index[r] == n of dOut[r]
      Tensor x = inputs()[0];
      Csr byRow = Gather.groupBy(index, x.dim(0));
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), x.numel());
      ContextAccess.kernels(x.ctx()).graph().segmentSumCsr(dx, byRow.rowPtr(), byRow.edge(), dOut, false,
          byRow.rows(), f, ContextAccess.parallel(x.ctx()));
      accumulate(0, dx);
    }
  }
}
