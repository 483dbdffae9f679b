package org.gnn4j.internal.kernel;

/**
 * Fused graph attention: per destination node, an online (running-max) softmax over its CSR
 * in-edges and the weighted sum of value rows in one pass, per head; and the matching backward,
 * which recomputes what it needs instead of storing E x H x C intermediates.
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
   * The destination-owned half of the backward, over the CSR by destination. With
   * p[e] = exp(s[e] - lse[i]) and D[i,h] = dOut[i,h] . out[i,h], computes per edge
   * p and ds[e] = p[e] * (dOut[i,h] . (v[j,h] + edgeKv[e,h]) - D[i,h]); and, when the arrays are
   * non-null, dq[i,h] = scale * sum_e ds[e] (k[j,h] + edgeKv[e,h]) and
   * dEdgeKv[e,h] = scale * ds[e] q[i,h] + p[e] dOut[i,h]. Every written entry is overwritten.
   *
   * @param dq [Nd, H, C] or null
   * @param dEdgeKv [E, H, C] or null (only with a non-null edgeKv)
   * @param p [E, H], written for every edge
   * @param ds [E, H], written for every edge; it is also d loss / d bias
   * @param dOut [Nd, H, C] gradient of the output
   */
  void backwardDst(float[] dq, float[] dEdgeKv, float[] p, float[] ds,
                   float[] dOut, float[] out, float[] lse,
                   float[] q, float[] k, float[] v, float[] edgeKv, float[] bias,
                   int[] rowPtr, int[] col, int[] edge,
                   float scale, int numDst, int heads, int channels, Parallel par);

  /**
   * The source-owned half of the backward, over the CSR by source (rowPtr [Ns + 1], col =
   * destination i, edge = edge id), from the p and ds that {@link #backwardDst} produced:
   * dk[j,h] = scale * sum_e ds[e] q[i,h] and dv[j,h] = sum_e p[e] dOut[i,h] over out-edges of j.
   * Either output may be null; rows without out-edges get 0.
   *
   * @param dk [Ns, H, C] or null, fully overwritten
   * @param dv [Ns, H, C] or null, fully overwritten
   */
  void backwardSrc(float[] dk, float[] dv, float[] p, float[] ds, float[] dOut, float[] q,
                   int[] rowPtr, int[] col, int[] edge,
                   float scale, int numSrc, int heads, int channels, Parallel par);
}
