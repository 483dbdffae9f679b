package org.gnn4j.internal.kernel;

/**
 * Fused graph attention: per destination node, an online (running-max) softmax over its CSR
 * in-edges and the weighted sum of value rows in one pass, per head; and the matching backward,
 * which recomputes scores and softmax weights (FlashAttention style) instead of storing any
 * per-edge intermediate: no E x H x C tensor, and not even E x H ones.
 *
 * <p>Notation shared by all methods: Nd destination nodes, Ns source nodes, E edges, H heads, C
 * channels per head. Row-major layouts: q {@code [Nd, H, C]}, k and v {@code [Ns, H, C]},
 * edgeKv {@code [E, H, C]} (nullable: added to both key and value of edge e), bias
 * {@code [E, H]} (nullable: added to the score). Per-edge arrays are indexed by the edge's
 * original COO id, which the CSR's {@code edge[]} gives. The score of edge e = (j -> i) in head h
 * is {@code s = scale * q[i,h] . (k[j,h] + edgeKv[e,h]) + bias[e,h]}.
 */
public interface AttentionKernels {
  /**
   * out[i,h] = sum over in-edges e of i of softmax(s)[e] * (v[j,h] + edgeKv[e,h]), and
   * lse[i,h] = log sum exp(s) over those edges; a node without in-edges gets out = 0 and
   * lse = -infinity. Rows of the CSR by destination (rowPtr [Nd + 1], col = source j, edge =
   * edge id) are split over {@code par} by edge count; each chunk writes only its own rows.
   *
   * @param out [Nd, H, C], fully overwritten
   * @param lse [Nd, H], fully overwritten
   */
  void forward(float[] out, float[] lse,
               float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
               int[] rowPtr, int[] col, int[] edge,
               float scale, int numDst, int heads, int channels, Parallel par);

  /**
   * The destination-owned half of the backward, over the CSR by destination. Writes
   * dDot[i,h] = dOut[i,h] . out[i,h] for every node; and, recomputing per edge
   * p[e] = exp(s[e] - lse[i]) and ds[e] = p[e] * (dOut[i,h] . (v[j,h] + edgeKv[e,h]) - dDot[i,h]),
   * whichever of these outputs are non-null: dq[i,h] = scale * sum_e ds[e] (k[j,h] + edgeKv[e,h]),
   * dEdgeKv[e,h] = scale * ds[e] q[i,h] + p[e] dOut[i,h] and dBias[e,h] = ds[e]. Every entry of a
   * non-null output is overwritten.
   *
   * @param dq [Nd, H, C] or null
   * @param dEdgeKv [E, H, C] or null (only with a non-null edgeKv)
   * @param dBias [E, H] or null
   * @param dDot [Nd, H], always written; {@link #backwardSrc} needs it
   * @param dOut [Nd, H, C] gradient of the output
   */
  void backwardDst(float[] dq, float[] dEdgeKv, float[] dBias, float[] dDot,
                   float[] dOut, float[] out, float[] lse,
                   float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                   int[] rowPtr, int[] col, int[] edge,
                   float scale, int numDst, int heads, int channels, Parallel par);

  /**
   * The source-owned half of the backward, over the CSR by source (rowPtr [Ns + 1], col =
   * destination i, edge = edge id). Recomputes p and ds of each out-edge of j (as
   * {@link #backwardDst} does, from lse and dDot) instead of reading E x H arrays, and writes
   * dk[j,h] = scale * sum_e ds[e] q[i,h] and dv[j,h] = sum_e p[e] dOut[i,h]. Either output may be
   * null; rows without out-edges get 0.
   *
   * @param dk [Ns, H, C] or null, fully overwritten
   * @param dv [Ns, H, C] or null, fully overwritten
   * @param dDot [Nd, H] from {@link #backwardDst}
   */
  void backwardSrc(float[] dk, float[] dv, float[] dOut, float[] dDot, float[] lse,
                   float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                   int[] rowPtr, int[] col, int[] edge,
                   float scale, int numSrc, int heads, int channels, Parallel par);
}
