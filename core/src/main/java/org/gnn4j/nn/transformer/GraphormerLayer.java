package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.GraphLayer;
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
 * ({@link SpdBias}) and c the edge encoding ({@link EdgePathEncoding}, with an edge dimension).
 * The paper shares b and c across layers: build one {@link GraphormerBias}, compute it once per
 * batch and call {@link #forward(Tensor, EdgeIndex, Tensor)} on every layer; for convenience a
 * layer configured with maxDist >= 1 owns its bias and {@link #forward(Tensor, ShortestPaths,
 * Tensor)} computes it. Attention runs on the within-graph complete edge set ({@code
 * sp.pairs()}) with the [P, H] bias as the per-edge score bias of the fused attention op (the
 * same numbers as SDDMM, + bias, edge softmax, SpMM), so backward comes from existing ops. The
 * centrality encoding is applied once to the input features, outside the layers
 * ({@link CentralityEncoding}); the graph token is a node the model adds to each graph, with its
 * own row in a {@link GraphormerBias} built for it (a config's {@code graph_token}); dropout is
 * not implemented.
 */
public final class GraphormerLayer implements GraphLayer, AttentionLayer {
  /**
   * @param channels C
   * @param heads H, dividing C
   * @param ffnChannels hidden width of the feed-forward block
   * @param maxDist distance cap of the layer's own bias; 0 for none (a shared bias is passed in)
   * @param edgeDim D, edge feature width of the layer's own edge encoding; 0 for none
   */
  public record Config(int channels, int heads, int ffnChannels, int maxDist, int edgeDim) {
    public Config {
      if (channels < 1 || heads < 1 || channels % heads != 0 || ffnChannels < 1 || maxDist < 0
          || edgeDim < 0 || (maxDist == 0 && edgeDim > 0)) {
        throw new IllegalArgumentException("GraphormerLayer: need channels a positive multiple"
            + " of heads, ffnChannels >= 1, maxDist >= 0, edgeDim >= 0 and no edgeDim without"
            + " maxDist (got channels = "
            + channels + ", heads = " + heads + ", ffnChannels = " + ffnChannels + ", maxDist = "
            + maxDist + ", edgeDim = " + edgeDim + ")");
      }
    }

    /** A layer without its own bias, for a {@link GraphormerBias} shared across layers. */
    public static Config sharedBias(int channels, int heads, int ffnChannels) {
      return new Config(channels, heads, ffnChannels, 0, 0);
    }
  }

  private static final String NAME = "GraphormerLayer";
  private final Config cfg;
  private final Norm norm1;
  private final Linear qProj;
  private final Linear kProj;
  private final Linear vProj;
  private final Linear outProj;
  private final GraphormerBias ownBias;          // null when maxDist == 0
  private final Norm norm2;
  private final Linear fc1;
  private final Linear fc2;
  private AttentionRecorder recorder;            // null unless attention is being recorded

  public GraphormerLayer(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int c = cfg.channels();
    this.norm1 = new Norm(ctx, Norm.Kind.LAYER, c);
    this.qProj = new Linear(ctx, c, c, true, rng);
    this.kProj = new Linear(ctx, c, c, true, rng);
    this.vProj = new Linear(ctx, c, c, true, rng);
    this.outProj = new Linear(ctx, c, c, true, rng);
    this.ownBias = cfg.maxDist() > 0
        ? new GraphormerBias(ctx, cfg.maxDist(), cfg.heads(), cfg.edgeDim(), rng) : null;
    this.norm2 = new Norm(ctx, Norm.Kind.LAYER, c);
    this.fc1 = new Linear(ctx, c, cfg.ffnChannels(), true, rng);
    this.fc2 = new Linear(ctx, cfg.ffnChannels(), c, true, rng);
  }

  public Config config() {
    return cfg;
  }

  /**
   * The layer with its own bias on the shortest paths of {@code graph} (computed once per graph
   * and kept on it).
   *
   * @param x [N, C]
   * @param edgeAttr [E, edgeDim] edge features for the edge encoding; null iff edgeDim == 0
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    if (ownBias == null) {
      throw new IllegalArgumentException(NAME + ": this layer has no own bias (maxDist = 0);"
          + " pass a shared GraphormerBias result with forward(x, sp.pairs(), bias)");
    }
    return forward(x, graph.shortestPaths(cfg.maxDist()), edgeAttr);
  }

  /**
   * The layer with its own structural bias.
   *
   * @param x [N, C] node features of the batch {@code sp} was computed on
   * @param sp shortest paths of that batch (with this layer's maxDist)
   * @param edgeAttr [E, edgeDim] edge features for the edge encoding; null iff edgeDim == 0
   * @return [N, C]
   * @throws IllegalArgumentException on shapes that disagree with the config or with sp, edge
   *     features missing (edgeDim > 0) or unexpected (edgeDim == 0), or a layer without its own
   *     bias (maxDist == 0)
   */
  public Tensor forward(Tensor x, ShortestPaths sp, Tensor edgeAttr) {
    if (ownBias == null) {
      throw new IllegalArgumentException(NAME + ": this layer has no own bias (maxDist = 0);"
          + " pass a shared GraphormerBias result with forward(x, sp.pairs(), bias)");
    }
    checkX(x, sp.pairs().numDstNodes());
    return forward(x, sp.pairs(), ownBias.forward(sp, edgeAttr));
  }

  /**
   * The layer with a given (e.g. shared) attention bias.
   *
   * @param x [N, C]
   * @param pairs the within-graph pairs ({@code sp.pairs()}), edge j -> i lets query i see key j
   * @param attnBias [P, H] added to the scores of each pair and head, or null for none
   * @return [N, C]
   */
  public Tensor forward(Tensor x, EdgeIndex pairs, Tensor attnBias) {
    int n = pairs.numDstNodes();
    int c = cfg.channels();
    int heads = cfg.heads();
    checkX(x, n);
    if (attnBias != null && (attnBias.rank() != 2 || attnBias.dim(0) != pairs.numEdges()
        || attnBias.dim(1) != heads)) {
      throw new IllegalArgumentException(NAME + ": attnBias has shape " + attnBias.shape()
          + ", expected [" + pairs.numEdges() + ", " + heads + "] (pairs x heads)");
    }
    int d = c / heads;
    Tensor h = norm1.forward(x);
    Tensor q = qProj.forward(h).view(n, heads, d);                     // [N, H, d]
    Tensor k = kProj.forward(h).view(n, heads, d);
    float scale = (float) (1 / Math.sqrt(d));
    Tensor att = GraphAttention.apply(pairs, q, k, vProj.forward(h).view(n, heads, d), null,
        attnBias, scale);                                               // [N, H, d]
    if (recorder != null) {
      recorder.record(NAME, x.ctx(), pairs, heads,
          () -> GraphAttention.weights(pairs, q, k, null, attnBias, scale));
    }
    Tensor x1 = x.add(outProj.forward(att.view(n, c)));
    return x1.add(fc2.forward(fc1.forward(norm2.forward(x1)).gelu()));
  }

  private void checkX(Tensor x, int n) {
    int c = cfg.channels();
    if (x == null || x.rank() != 2 || x.dim(0) != n || x.dim(1) != c) {
      throw new IllegalArgumentException(NAME + ": x has shape "
          + (x == null ? "null" : x.shape().toString()) + ", expected [" + n + ", " + c
          + "] for the " + n + " nodes of the pairs");
    }
  }

  @Override
  public void recordAttention(AttentionRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "self_attn_layer_norm", norm1);
    Module.addAll(m, "self_attn.q_proj", qProj);
    Module.addAll(m, "self_attn.k_proj", kProj);
    Module.addAll(m, "self_attn.v_proj", vProj);
    Module.addAll(m, "self_attn.out_proj", outProj);
    // the own bias keeps its names unprefixed (spatial_pos_encoder.weight, edge_encoder.weight)
    if (ownBias != null) m.putAll(ownBias.namedParameters());
    Module.addAll(m, "final_layer_norm", norm2);
    Module.addAll(m, "fc1", fc1);
    Module.addAll(m, "fc2", fc2);
    return m;
  }
}
