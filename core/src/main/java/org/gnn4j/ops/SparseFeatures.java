package org.gnn4j.ops;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A constant feature matrix [R, K] kept as its non-zero entries, for inputs such as Cora's
 * bag-of-words (about 1% non-zero), whose product with a weight matrix is then
 * proportional to the non-zeros instead of R * K. Entry (r, k) is the edge k -> r of a
 * bipartite {@link EdgeIndex} from K columns to R rows with the value as its weight, so the
 * product is one {@link Spmm} and its gradient with respect to the weight that op's transpose
 * pass. The values are data: they never receive a gradient.
 */
public final class SparseFeatures {
  private final int rows;
  private final int cols;
  private final EdgeIndex entries;    // column k -> row r, one edge per non-zero
  private final Tensor values;        // [nnz]
  private final int[] positions;      // [nnz] r * K + k of each entry, increasing

  private SparseFeatures(int rows, int cols, EdgeIndex entries, Tensor values, int[] positions) {
    this.rows = rows;
    this.cols = cols;
    this.entries = entries;
    this.values = values;
    this.positions = positions;
  }

  /**
   * The non-zeros of a dense [R, K] tensor, row by row.
   *
   * @throws IllegalArgumentException unless x is 2-D
   */
  public static SparseFeatures ofDense(Tensor x) {
    if (x.rank() != 2) {
      throw new IllegalArgumentException("SparseFeatures: x must be [R, K] (got " + x.shape() + ")");
    }
    int r = x.dim(0);
    int k = x.dim(1);
    float[] d = x.data();
    int nnz = 0;
    for (float v : d) if (v != 0f) nnz++;
    int[] col = new int[nnz];
    int[] row = new int[nnz];
    float[] val = new float[nnz];
    int[] pos = new int[nnz];
    int p = 0;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < k; j++) {
        float v = d[i * k + j];
        if (v == 0f) continue;
        col[p] = j;
        row[p] = i;
        pos[p] = i * k + j;
        val[p++] = v;
      }
    }
    return new SparseFeatures(r, k, EdgeIndex.bipartite(col, row, k, r), x.ctx().tensor(val, nnz),
        pos);
  }

  /**
   * {@link #ofDense} when at most {@code maxDensity} of x's entries are non-zero, else null
   * (counted first, so a dense input never gets its non-zeros copied).
   */
  public static SparseFeatures ofDenseIfSparse(Tensor x, double maxDensity) {
    long nnz = 0;
    for (float v : x.data()) if (v != 0f) nnz++;
    return nnz <= maxDensity * x.numel() ? ofDense(x) : null;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of stored (non-zero) entries. */
  public int nnz() {
    return values.numel();
  }

  /** Share of the R * K entries that are stored. */
  public double density() {
    return rows == 0 || cols == 0 ? 0 : (double) nnz() / ((double) rows * cols);
  }

  /**
   * These features after {@link Dropout#apply(Tensor, float, boolean)}: the same mask, drawn
   * from the context's current stream exactly as for the dense matrix (so the stream is left
   * where the dense dropout leaves it, and training gives the same results), but evaluated only
   * at the non-zeros; a dropped zero is still zero.
   *
   * @param p drop probability in [0, 1]; 0, or {@code training == false}, returns this
   */
  public SparseFeatures dropout(float p, boolean training) {
    if (!(p >= 0f && p <= 1f)) {
      throw new IllegalArgumentException("dropout: probability out of range (got " + p
          + ", expected 0 <= p <= 1)");
    }
    if (!training || p == 0f) return this;
    int nnz = nnz();
    float[] v = new float[nnz];                          // [nnz]; p = 1 drops all
    if (p < 1f) {
      boolean[] keep = new boolean[nnz];
      Context ctx = values.ctx();
      ContextAccess.kernels(ctx).norm().dropoutKeepAt(keep, positions, nnz, ctx.random(), p,
          Math.multiplyExact(rows, cols));
      float scale = 1f / (1f - p);
      float[] x = values.data();
      // the dense kernel's product x * (scale * bit), so the kept values round the same way
      for (int q = 0; q < nnz; q++) v[q] = x[q] * (scale * (keep[q] ? 1f : 0f));
    }
    return new SparseFeatures(rows, cols, entries, values.ctx().tensor(v, nnz), positions);
  }

  /**
   * {@code x w^T}, the product a linear layer with weight {@code w} makes of these features.
   *
   * @param w [N, K] (torch's Linear layout)
   * @return [R, N]
   * @throws IllegalArgumentException if w is not [N, K]
   */
  public Tensor timesTransposed(Tensor w) {
    if (w.rank() != 2 || w.dim(1) != cols) {
      throw new IllegalArgumentException("SparseFeatures: weight must be [N, " + cols + "] for features"
          + " [" + rows + ", " + cols + "] (got " + w.shape() + ")");
    }
    Tensor wt = Reshape.transpose(w, 0, 1);                // [K, N]
    return Spmm.aggregate(entries, values, wt);            // [R, N]
  }
}
