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
 * {@code forward(x, sp.pairs(), bias)}; a layer built with a maxDist owns one instead.
 */
public final class GraphormerBias implements Module {
  private final int edgeDim;
  private final SpdBias spatial;
  private final EdgePathEncoding edgeEncoding;   // null when edgeDim == 0

  public GraphormerBias(Context ctx, int maxDist, int heads, int edgeDim, SplittableRandom rng) {
    if (edgeDim < 0) {
      throw new IllegalArgumentException("GraphormerBias: edgeDim must be >= 0 (got " + edgeDim
          + ")");
    }
    this.edgeDim = edgeDim;
    this.spatial = new SpdBias(ctx, maxDist, heads, rng);
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
    if (edgeEncoding == null && edgeAttr != null) {
      throw new IllegalArgumentException("GraphormerBias: edge features given but edgeDim = 0"
          + " (expected null)");
    }
    if (edgeEncoding != null && edgeAttr == null) {
      throw new IllegalArgumentException("GraphormerBias: edge features are required (edgeDim = "
          + edgeDim + ", expected [" + sp.numEdges() + ", " + edgeDim + "]) but none were given");
    }
    Tensor bias = spatial.forward(sp);                                  // [P, H]
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
