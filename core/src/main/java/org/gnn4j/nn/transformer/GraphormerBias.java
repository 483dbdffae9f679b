package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graphormer's structural attention bias for one batch, b_phi(j,i) + c_ij per head and pair
 * ({@link SpdBias} plus, with an edge dimension, {@link EdgePathEncoding}), as a [P, H] tensor
 * over the pairs of {@link ShortestPaths}. The paper shares it across all layers: compute it
 * once per batch and hand it to every {@link GraphormerLayer} via
 * {@code forward(x, sp.pairs(), bias)}; a layer built with a maxDist owns one instead. Built
 * with {@code graphToken}, it also biases the pairs of Graphormer's graph token (a node per graph
 * that attends to and is attended by every node) by their own learned value per head instead of
 * a distance, and gives them no edge encoding (the paper's b_phi(v, [VNode])); the shortest
 * paths are then those of the graphs without the token's edges.
 */
public final class GraphormerBias implements Module {
  private final int edgeDim;
  private final SpdBias spatial;
  private final EdgePathEncoding edgeEncoding;   // null when edgeDim == 0
  private final boolean graphToken;

  public GraphormerBias(Context ctx, int maxDist, int heads, int edgeDim, SplittableRandom rng) {
    this(ctx, maxDist, heads, edgeDim, false, rng);
  }

  /** @param graphToken whether the batches carry a graph token (see {@link #forward(ShortestPaths, Tensor, int[])}) */
  public GraphormerBias(Context ctx, int maxDist, int heads, int edgeDim, boolean graphToken,
                        SplittableRandom rng) {
    if (edgeDim < 0) {
      throw new IllegalArgumentException("GraphormerBias: edgeDim must be >= 0 (got " + edgeDim
          + ")");
    }
    this.edgeDim = edgeDim;
    this.spatial = new SpdBias(ctx, maxDist, heads, graphToken, rng);
    this.graphToken = graphToken;
    this.edgeEncoding = edgeDim > 0 ? new EdgePathEncoding(ctx, maxDist, heads, edgeDim, rng)
        : null;
  }

  /**
   * @param edgeAttr [E, edgeDim] features of the edges sp was computed on; null iff edgeDim = 0
   * @return [P, H]
   * @throws IllegalArgumentException if edge features are missing or unexpected, or shapes or
   *     maxDist disagree
   */
  public Tensor forward(ShortestPaths sp, Tensor edgeAttr) {
    if (graphToken) {
      throw new IllegalArgumentException("GraphormerBias: built for a graph token; pass the"
          + " token nodes with forward(sp, edgeAttr, tokenNodes)");
    }
    return bias(sp, edgeAttr, sp.distances());
  }

  /**
   * The bias with graph tokens: pairs j -> i where i or j is a token get the token's bias (and
   * no edge encoding: a token has no edges in {@code sp}'s graphs).
   *
   * @param tokenNodes the node id of each graph's token in the graphs of sp
   * @return [P, H]
   */
  public Tensor forward(ShortestPaths sp, Tensor edgeAttr, int[] tokenNodes) {
    if (!graphToken) {
      throw new IllegalArgumentException("GraphormerBias: built without a graph token (no bias"
          + " row for it); build it with graphToken = true");
    }
    boolean[] isToken = new boolean[sp.pairs().numNodes()];
    for (int t : tokenNodes) isToken[t] = true;
    int[] ids = sp.distances().clone();
    int[] src = sp.pairs().src();
    int[] dst = sp.pairs().dst();
    for (int p = 0; p < ids.length; p++) {
      if (isToken[src[p]] || isToken[dst[p]]) ids[p] = spatial.tokenId();
    }
    return bias(sp, edgeAttr, ids);
  }

  private Tensor bias(ShortestPaths sp, Tensor edgeAttr, int[] ids) {
    if (edgeEncoding == null && edgeAttr != null) {
      throw new IllegalArgumentException("GraphormerBias: edge features given but edgeDim = 0"
          + " (expected null)");
    }
    if (edgeEncoding != null && edgeAttr == null) {
      throw new IllegalArgumentException("GraphormerBias: edge features are required (edgeDim = "
          + edgeDim + ", expected [" + sp.numEdges() + ", " + edgeDim + "]) but none were given");
    }
    Tensor bias = spatial.forward(sp, ids);                             // [P, H]
    return edgeEncoding == null ? bias : bias.add(edgeEncoding.forward(sp, edgeAttr));
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "spatial_pos_encoder", spatial);
    if (edgeEncoding != null) Module.addAll(m, "edge_encoder", edgeEncoding);
    return m;
  }
}
