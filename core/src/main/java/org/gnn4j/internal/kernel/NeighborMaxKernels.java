package org.gnn4j.internal.kernel;

/**
 * Max aggregation of source rows along edges (PyG's {@code aggr="max"}, SAGEConv's max
 * aggregator) without the [E, F] message tensor: each target row takes the channel-wise maximum
 * of its in-neighbours' rows, read straight from x through the CSR by target. PyG's rules: a
 * target without in-edges gets 0, a maximum of negative values stays negative, and where several
 * in-edges tie for a channel's maximum (duplicate edges, equal values) its gradient is split
 * equally between them ({@code scatter_reduce} amax, {@code include_self=False}).
 *
 * <p>Forward keeps, beside the maximum, the inverse tie count per channel; backward walks the
 * CSR by source, so each source row of dx is written by one thread, and recognises the edges
 * that attained the maximum by equality with it. No argmax per edge is stored.
 */
public interface NeighborMaxKernels {
  /** The plain-Java reference, also the fallback. */
  static NeighborMaxKernels scalar() {
    return ScalarNeighborMax.INSTANCE;
  }

  /**
   * {@code out[i, k] = max_{p in row i} x[col[p], k]} (0 for an empty row) and
   * {@code invCount[i, k] = 1 / #{p in row i : x[col[p], k] == out[i, k]}} (0 for an empty row).
   *
   * @param out [rows, f], fully overwritten
   * @param invCount [rows, f], fully overwritten
   * @param rowPtr [rows + 1] CSR by target; col [E] the source of each position
   * @param x [*, f] source rows
   */
  void forward(float[] out, float[] invCount, int[] rowPtr, int[] col, float[] x, int rows,
               int f, Parallel par);

  /**
   * {@code dx[j, k] = sum_{p in row j} [x[j, k] == out[col[p], k]] * dOut[col[p], k] *
   * invCount[col[p], k]}: the forward's gradient routed to every tied maximum.
   *
   * @param dx [rows, f], fully overwritten (rows = number of sources)
   * @param rowPtr [rows + 1] CSR by source; col [E] the target of each position
   * @param x [rows, f] the forward's source rows
   * @param out [*, f], invCount [*, f], dOut [*, f] the forward's results and output gradient
   */
  void backward(float[] dx, int[] rowPtr, int[] col, float[] x, float[] out, float[] invCount,
                float[] dOut, int rows, int f, Parallel par);
}
