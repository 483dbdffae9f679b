package org.gnn4j.internal.kernel;

/**
 * Fused GAT and GATv2 attention: per destination node, the softmax over its CSR in-edges and the
 * weighted sum of source rows in one pass, and a backward that recomputes every per-edge
 * quantity (score, weight, leaky-ReLU mask) instead of storing [E, H] or [E, H, C] arrays.
 *
 * <p>Notation: Nd destination nodes, Ns source nodes, H heads, C channels per head, HC = H * C.
 * CSR by destination: rowPtr [Nd + 1], col = source j; CSR by source: rowPtr [Ns + 1], col =
 * destination i. Duplicate edges are separate entries. Score of edge (j -> i), head h:
 * GAT {@code s = leaky(ss[j,h] + sd[i,h])}; GATv2 {@code s = sum_c att[h,c] leaky(xl[j,h,c] +
 * xr[i,h,c])}. Weight {@code p = exp(s - lse[i,h])}; output {@code out[i,h] = sum p x[j,h]} with
 * x = h (GAT) or xl (GATv2). A node without in-edges gets out = 0 and lse = -infinity. Each chunk
 * of rows is owned by one thread and edges are visited in CSR order, so results are the same bits
 * for the same thread count.
 */
public interface GatKernels {
  /** The plain-Java reference, also the fallback. */
  static GatKernels scalar() {
    return ScalarGat.INSTANCE;
  }

  /**
   * @param out [Nd, H, C] overwritten
   * @param lse [Nd, H] overwritten
   * @param h [Ns, H, C] projected source features
   * @param ss [Ns, H] source scores a_src . h[j]
   * @param sd [Nd, H] destination scores a_dst . h[i]
   */
  void gatForward(float[] out, float[] lse, float[] h, float[] ss, float[] sd,
                  int[] rowPtr, int[] col, float slope, int numDst, int heads, int channels,
                  Parallel par);

  /**
   * GAT's per-node scores: score[n,h] = sum_c x[n,h,c] att[h,c], each product rounded to float
   * and summed in double (the bits of {@code x.mul(att).sum(2)}).
   *
   * @param score [N, H] overwritten
   * @param x [N, H, C]
   * @param att [H, C]
   */
  void headScores(float[] score, float[] x, float[] att, int rows, int heads, int channels,
                  Parallel par);

  /**
   * The scores' backward: dx[n,h,c] = g[n,h] att[h,c] (when dx is not null, overwritten) and
   * dAtt[h,c] = sum_n g[n,h] x[n,h,c] (when dAtt is not null, overwritten), summed in double per
   * chunk of rows, then over the chunks in order.
   *
   * @param dx [N, H, C] or null
   * @param dAtt [H, C] or null
   * @param g [N, H] the scores' gradient
   */
  void headScoresBackward(float[] dx, float[] dAtt, float[] g, float[] x, float[] att, int rows,
                          int heads, int channels, Parallel par);

  /**
   * dDot[r,h] = dOut[r,h] . out[r,h] for every row: the softmax backward's per-row term, needed
   * by both passes of the backward.
   *
   * @param dDot [rows, H] overwritten
   */
  void headDots(float[] dDot, float[] dOut, float[] out, int rows, int heads, int channels,
                Parallel par);

  /**
   * GAT's backward in one pass over the CSR by source ({@code edge} = edge ids): per out-edge of
   * j, p and ds = p (dOut[i,h] . h[j,h] - dDot[i,h]) leaky'(ss[j,h] + sd[i,h]);
   * dh[j,h] = sum p dOut[i,h], dss[j,h] = sum ds, and dsEdge[e,h] = ds, which the caller sums by
   * destination for dsd (an [E, H] array instead of a second pass re-reading h rows at random).
   * dh, dss and dsEdge may be null; non-null ones are overwritten.
   *
   * @param dh [Ns, H, C] or null
   * @param dss [Ns, H] or null
   * @param dsEdge [E, H] or null
   * @param dDot [Nd, H] from {@link #headDots}
   */
  void gatBackward(float[] dh, float[] dss, float[] dsEdge, float[] dOut, float[] dDot,
                   float[] lse, float[] h, float[] ss, float[] sd, int[] rowPtr, int[] col,
                   int[] edge, float slope, int numSrc, int heads, int channels, Parallel par);

  /**
   * GATv2 forward.
   *
   * @param out [Nd, H, C] overwritten
   * @param lse [Nd, H] overwritten
   * @param xl [Ns, H, C] source projections (also the aggregated values)
   * @param xr [Nd, H, C] destination projections
   * @param att [H, C]
   */
  void v2Forward(float[] out, float[] lse, float[] xl, float[] xr, float[] att,
                 int[] rowPtr, int[] col, float slope, int numDst, int heads, int channels,
                 Parallel par);

  /**
   * Destination half of GATv2's backward over the CSR by destination. With z = xl[j] + xr[i] and
   * ds = p (dOut[i,h] . xl[j,h] - dDot[i,h]): dxr[i,h,c] = sum_e ds att[h,c]
   * leaky'(z) and dAtt[h,c] = sum over all edges of ds leaky(z) (summed per chunk, then over
   * chunks in order). dxr and dAtt may be null; non-null ones are overwritten.
   *
   * @param dxr [Nd, H, C] or null
   * @param dAtt [H, C] or null
   * @param dDot [Nd, H] from {@link #headDots}
   */
  void v2BackwardDst(float[] dxr, float[] dAtt, float[] dDot, float[] dOut, float[] lse,
                     float[] xl, float[] xr, float[] att, int[] rowPtr, int[] col,
                     float slope, int numDst, int heads, int channels, Parallel par);

  /**
   * Source half over the CSR by source: dxl[j,h,c] = sum over out-edges of p dOut[i,h,c] + ds
   * att[h,c] leaky'(z).
   *
   * @param dxl [Ns, H, C] overwritten
   */
  void v2BackwardSrc(float[] dxl, float[] dOut, float[] dDot, float[] lse, float[] xl,
                     float[] xr, float[] att, int[] rowPtr, int[] col, float slope, int numSrc,
                     int heads, int channels, Parallel par);
}
