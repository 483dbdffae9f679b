package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.ops.Scatter;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graphormer's edge encoding (Ying et al., arXiv:2106.05234, eq. 7): for the pair j -> i with
 * shortest path (e_1, ..., e_L) (L capped at maxDist), per head h,
 * {@code c_ij^h = (1 / L) sum_{n=1}^{L} x_{e_n} . w_n^h}, where x_e [D] are the edge features
 * and w_n^h [D] a learned weight per hop and head; pairs with no path (L = 0: i = j or
 * unreachable) get 0. {@code weight} is [maxDist * H, D], row (n - 1) * H + h holding w_n^h, so
 * one product {@code x W^T} gives every edge's score for every hop and head.
 */
public final class EdgePathEncoding implements Module {
  private final int maxDist;
  private final int heads;
  private final int edgeDim;
  private final Tensor weight;     // [maxDist * H, D]

  public EdgePathEncoding(Context ctx, int maxDist, int heads, int edgeDim,
                          SplittableRandom rng) {
    if (maxDist < 1 || heads < 1 || edgeDim < 1) {
      throw new IllegalArgumentException("EdgePathEncoding: need maxDist, heads, edgeDim >= 1"
          + " (got " + maxDist + ", " + heads + ", " + edgeDim + ")");
    }
    this.maxDist = maxDist;
    this.heads = heads;
    this.edgeDim = edgeDim;
    this.weight = ctx.randn(rng, maxDist * heads, edgeDim).mul(0.02f).detach()
        .requiresGrad(true);
  }

  /**
   * @param edgeAttr [E, D] features of the edges the paths of {@code sp} run on
   * @return [P, H] one score per pair of {@code sp} and head
   */
  public Tensor forward(ShortestPaths sp, Tensor edgeAttr) {
    if (sp.maxDist() != maxDist) {
      throw new IllegalArgumentException("EdgePathEncoding: shortest paths computed with maxDist"
          + " = " + sp.maxDist() + ", expected " + maxDist);
    }
    if (edgeAttr == null) {
      throw new IllegalArgumentException("EdgePathEncoding: edge features are required"
          + " (expected [" + sp.numEdges() + ", " + edgeDim + "]) but none were given");
    }
    if (edgeAttr.rank() != 2 || edgeAttr.dim(0) != sp.numEdges() || edgeAttr.dim(1) != edgeDim) {
      throw new IllegalArgumentException("EdgePathEncoding: edgeAttr has shape "
          + edgeAttr.shape() + ", expected [" + sp.numEdges() + ", " + edgeDim + "]");
    }
    int pairs = sp.numPairs();
    int steps = 0;
    for (int p = 0; p < pairs; p++) steps += sp.pathLength(p);
    int[] row = new int[steps];       // row of the [E * maxDist, H] score view: edge, hop
    int[] pair = new int[steps];      // which pair the step belongs to
    for (int p = 0, s = 0; p < pairs; p++) {
      int len = sp.pathLength(p);
      for (int hop = 0; hop < len; hop++, s++) {
        row[s] = sp.pathEdge(p, hop) * maxDist + hop;
        pair[s] = p;
      }
    }
    Tensor perHop = edgeAttr.matmul(weight, false, true)
        .view(sp.numEdges() * maxDist, heads);                          // [E * maxDist, H]
    // the mean over a pair's steps is the 1/L sum; a pair without steps gets 0
    return Scatter.mean(IndexSelect.rows(perHop, row), pair, pairs);    // [P, H]
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    return m;
  }
}
