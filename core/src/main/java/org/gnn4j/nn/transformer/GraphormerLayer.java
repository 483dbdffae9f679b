package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One Graphormer encoder layer (Ying et al., "Do Transformers Really Perform Bad for Graph
 * Representation?", arXiv:2106.05234): full multi-head self-attention among the nodes of each
 * graph, biased by structure, in the pre-LN arrangement. With d = C / H, per head h, for query
 * i and key j of the same graph:
 * <pre>
 *   A_ij^h = (W_q LN1(x)_i)^h . (W_k LN1(x)_j)^h / sqrt(d) + b^h_{phi(j,i)} + c^h_ij
 *   x'  = x  + W_o ( ||_h sum_j softmax_j(A_ij^h) (W_v LN1(x)_j)^h )
 *   x'' = x' + fc2(GELU(fc1(LN2(x'))))
 * </pre>
 * where phi is the shortest-path distance id ({@link ShortestPaths}), b the spatial encoding
 * ({@link SpdBias}) and c the edge encoding ({@link EdgePathEncoding}, only when the layer has an
 * edge dimension). Attention runs on the within-graph complete edge set
 * ({@code sp.pairs()}) with the [P, H] bias as a per-edge score bias of the fused attention
 * op (same as SDDMM, + bias, edge softmax, SpMM), so backward comes from the existing ops. The
 * centrality encoding is applied once to the input features, outside the layers
 * ({@link CentralityEncoding}); the virtual graph token and dropout are not implemented.
 */
public final class GraphormerLayer implements Module {
  /**
   * @param channels C
   * @param heads H, dividing C
   * @param ffnChannels hidden width of the feed-forward block
   * @param maxDist distance cap of the shortest paths the layer is given
   * @param edgeDim D, width of the edge features for the edge encoding; 0 for none
   */
  public record Config(int channels, int heads, int ffnChannels, int maxDist, int edgeDim) {
    public Config {
      if (channels < 1 || heads < 1 || channels % heads != 0 || ffnChannels < 1 || maxDist < 1
          || edgeDim < 0) {
        throw new IllegalArgumentException("GraphormerLayer: need channels a positive multiple"
            + " of heads, ffnChannels >= 1, maxDist >= 1, edgeDim >= 0 (got channels = "
            + channels + ", heads = " + heads + ", ffnChannels = " + ffnChannels + ", maxDist = "
            + maxDist + ", edgeDim = " + edgeDim + ")");
      }
    }
  }

  private static final String NAME = "GraphormerLayer";
  private final Config cfg;
  private final Norm norm1;
  private final Linear qProj;
  private final Linear kProj;
  private final Linear vProj;
  private final Linear outProj;
  private final SpdBias spatial;
  private final EdgePathEncoding edgeEncoding;   // null when edgeDim == 0
  private final Norm norm2;
  private final Linear fc1;
  private final Linear fc2;

  public GraphormerLayer(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int c = cfg.channels();
    this.norm1 = new Norm(ctx, Norm.Kind.LAYER, c);
    this.qProj = new Linear(ctx, c, c, true, rng);
    this.kProj = new Linear(ctx, c, c, true, rng);
    this.vProj = new Linear(ctx, c, c, true, rng);
    this.outProj = new Linear(ctx, c, c, true, rng);
    this.spatial = new SpdBias(ctx, cfg.maxDist(), cfg.heads(), rng);
    this.edgeEncoding = cfg.edgeDim() > 0
        ? new EdgePathEncoding(ctx, cfg.maxDist(), cfg.heads(), cfg.edgeDim(), rng) : null;
    this.norm2 = new Norm(ctx, Norm.Kind.LAYER, c);
    this.fc1 = new Linear(ctx, c, cfg.ffnChannels(), true, rng);
    this.fc2 = new Linear(ctx, cfg.ffnChannels(), c, true, rng);
  }

  public Config config() {
    return cfg;
  }

  /**
   * @param x [N, C] node features of the batch {@code sp} was computed on
   * @param sp shortest paths of that batch (with this layer's maxDist)
   * @param edgeAttr [E, edgeDim] edge features for the edge encoding; null iff edgeDim == 0
   * @return [N, C]
   * @throws IllegalArgumentException on shapes that disagree with the config or with sp, or
   *     edge features missing (edgeDim > 0) or unexpected (edgeDim == 0)
   */
  public Tensor forward(Tensor x, ShortestPaths sp, Tensor edgeAttr) {
    int n = sp.pairs().numDstNodes();
    int c = cfg.channels();
    if (x == null || x.rank() != 2 || x.dim(0) != n || x.dim(1) != c) {
      throw new IllegalArgumentException(NAME + ": x has shape "
          + (x == null ? "null" : x.shape().toString()) + ", expected [" + n + ", " + c
          + "] for the " + n + " nodes of the shortest paths");
    }
    if (edgeEncoding == null && edgeAttr != null) {
      throw new IllegalArgumentException(NAME + ": edge features given but the layer has"
          + " edgeDim = 0 (expected null)");
    }
    if (edgeEncoding != null && edgeAttr == null) {
      throw new IllegalArgumentException(NAME + ": edge features are required (edgeDim = "
          + cfg.edgeDim() + ", expected [" + sp.numEdges() + ", " + cfg.edgeDim()
          + "]) but none were given");
    }
    Tensor bias = spatial.forward(sp);                                  // [P, H]
    if (edgeEncoding != null) bias = bias.add(edgeEncoding.forward(sp, edgeAttr));
    int heads = cfg.heads();
    int d = c / heads;
    Tensor h = norm1.forward(x);
    Tensor att = GraphAttention.apply(sp.pairs(), qProj.forward(h).view(n, heads, d),
        kProj.forward(h).view(n, heads, d), vProj.forward(h).view(n, heads, d), null, bias,
        (float) (1 / Math.sqrt(d)));                                    // [N, H, d]
    Tensor x1 = x.add(outProj.forward(att.view(n, c)));
    return x1.add(fc2.forward(fc1.forward(norm2.forward(x1)).gelu()));
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "self_attn_layer_norm", norm1);
    Module.addAll(m, "self_attn.q_proj", qProj);
    Module.addAll(m, "self_attn.k_proj", kProj);
    Module.addAll(m, "self_attn.v_proj", vProj);
    Module.addAll(m, "self_attn.out_proj", outProj);
    Module.addAll(m, "spatial_pos_encoder", spatial);
    if (edgeEncoding != null) Module.addAll(m, "edge_encoder", edgeEncoding);
    Module.addAll(m, "final_layer_norm", norm2);
    Module.addAll(m, "fc1", fc1);
    Module.addAll(m, "fc2", fc2);
    return m;
  }
}
