package org.gnn4j.internal.kernel;

/**
 * Sparse and graph kernels on CSR/COO index arrays and flat row-major feature arrays.
 * Outputs first, sizes last; each method's Javadoc gives the shapes. Every kernel that reduces
 * writes each output row from exactly one thread, in CSR order, so results are bit-identical for
 * any thread count. Kernels trust their arguments (the ops validate); they only assert.
 */
public interface GraphKernels {
  /**
   * Row gather: {@code out[r, :] = x[index[r], :] * (scale == null ? 1 : scale[index[r]])}.
   *
   * @param out [rows, f], fully overwritten
   * @param x [*, f]
   * @param index [rows] row ids into x
   * @param scale null, or one factor per row of x (mean-backward uses 1 / count)
   */
  void gatherRows(float[] out, float[] x, int[] index, float[] scale, int rows, int f,
                  Parallel par);

  /**
   * Segment sum (or mean) over CSR rows: {@code out[r, :] = sum_{p in row r} src[edge[p], :]},
   * divided by the row's length when {@code mean}; empty rows give 0.
   *
   * @param out [rows, f], fully overwritten
   * @param rowPtr [rows + 1]
   * @param edge [nnz] row ids into src
   * @param src [*, f]
   */
  void segmentSumCsr(float[] out, int[] rowPtr, int[] edge, float[] src, boolean mean, int rows,
                     int f, Parallel par);

  /**
   * Segment max over CSR rows, per feature: {@code out[r, k] = max_p src[edge[p], k]} and
   * {@code argmax[r, k]} = the first {@code edge[p]} (CSR order) reaching it; empty rows give
   * out 0 and argmax -1 (PyG's scatter max).
   *
   * @param out [rows, f]; argmax [rows, f]; src [*, f]
   */
  void segmentMaxCsr(float[] out, int[] argmax, int[] rowPtr, int[] edge, float[] src, int rows,
                     int f, Parallel par);

  /**
   * Routes a segment max's gradient to its argmax: {@code dsrc[argmax[r,k], k] += dout[r,k]}
   * where argmax >= 0. Each src row belongs to one segment, so rows never collide.
   *
   * @param dsrc [*, f]; dout [rows, f]; argmax [rows, f]
   */
  void segmentMaxBackward(float[] dsrc, float[] dout, int[] argmax, int rows, int f,
                          Parallel par);

  /**
   * Softmax of edge scores over each CSR row (the in-edges of a node), per head, stabilised by
   * subtracting the row max: {@code out[e,h] = exp(s[e,h] - m) / sum exp(s[., h] - m)}; a row
   * whose scores are all -inf gives 0.
   *
   * @param out [E, heads]; scores [E, heads]; edge [E] edge ids in CSR order
   */
  void edgeSoftmaxCsr(float[] out, int[] rowPtr, int[] edge, float[] scores, int rows, int heads,
                      Parallel par);

  /**
   * Backward of {@link #edgeSoftmaxCsr}: {@code ds[e,h] = p[e,h] * (dp[e,h] - sum_row p*dp)}.
   *
   * @param dScores [E, heads], fully overwritten; p, dp [E, heads]
   */
  void edgeSoftmaxBackwardCsr(float[] dScores, int[] rowPtr, int[] edge, float[] p, float[] dp,
                              int rows, int heads, Parallel par);

  /**
   * Sparse times dense, one output row per CSR row:
   * {@code out[r, h*c + k] = sum_{p in row r} w[edge[p]*heads + h] * x[col[p], h*c + k]}
   * with {@code c = f / heads}; {@code w == null} means every weight is 1 (plain sum).
   *
   * @param out [rows, f], fully overwritten
   * @param w null or [E, heads], indexed by original edge id
   * @param x [*, f] rows indexed by col
   */
  void spmmCsr(float[] out, int[] rowPtr, int[] col, int[] edge, float[] w, int heads,
               float[] x, int rows, int f, Parallel par);

  /**
   * Sampled dense-dense product on COO edges, per head:
   * {@code out[e, h] = sum_k a[src[e], h*c + k] * b[dst[e], h*c + k]}.
   *
   * @param out [edges, heads]; a [*, heads*c]; b [*, heads*c]
   */
  void sddmmCoo(float[] out, int[] src, int[] dst, float[] a, float[] b, int edges, int heads,
                int c, Parallel par);

  /**
   * Chunk bounds over CSR rows for {@code par}: balanced by edges (plus one per row, so empty
   * rows count), and a single chunk when the whole job ({@code costPerItem} per edge or row) is
   * too small to pay for a hand-off to another thread.
   */
  static int[] rowBounds(Parallel par, int[] rowPtr, int rows, int costPerItem) {
    long work = ((long) rowPtr[rows] - rowPtr[0] + rows) * Math.max(1, costPerItem);
    int parts = (int) Math.min(par.threads(), Math.max(1, work / 16384));
    return Parallel.balancedBounds(rowPtr, rows, parts);
  }
}
