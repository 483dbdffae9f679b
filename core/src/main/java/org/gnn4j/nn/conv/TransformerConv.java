package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph transformer operator (Shi et al., arXiv:2009.03509), numerically PyG's TransformerConv:
 * per head, alpha_ij = softmax over the in-edges of i of (W_q x_i) . (W_k x_j + W_e e_ij) /
 * sqrt(C), x'_i = sum_j alpha_ij (W_v x_j + W_e e_ij), heads concatenated or averaged, then
 * + W_skip x_i (rootWeight), optionally gated by beta = sigmoid(w_b . [x' || W_skip x_i ||
 * x' - W_skip x_i]). Runs on the fused attention kernel: no [E, H, C] tensor unless edge features
 * exist. No self-loops are added; a node without in-edges aggregates 0.
 *
 * <p>On a bipartite graph (PyG's tuple in_channels {@code (F_src, F_dst)}, called with
 * {@code (x_src, x_dst)}): lin_key, lin_value (and lin_edge) read the sources x_j
 * [N_src, F_src], lin_query and lin_skip the targets x_i [N_dst, F_dst]. The parameter names do
 * not change.
 */
public final class TransformerConv implements BipartiteLayer, AttentionLayer {
  private static final String OP = "TransformerConv";

  /**
   * Constructor arguments, named as PyG's. {@code inChannels} is the sources' width (every
   * node's on one node set), {@code inDst} the targets'.
   */
  public record Config(int inChannels, int outChannels, int heads, boolean concat, boolean beta,
                       int edgeDim, boolean rootWeight, int inDst) {
    public Config {
      if (inChannels < 1 || inDst < 1 || outChannels < 1 || heads < 1 || edgeDim < 0) {
        throw new IllegalArgumentException("TransformerConv: need inChannels, outChannels, heads"
            + " >= 1 and edgeDim >= 0 (got "
            + (inDst == inChannels ? inChannels : "(" + inChannels + ", " + inDst + ")") + ", "
            + outChannels + ", " + heads + ", " + edgeDim + ")");
      }
    }

    /** One int in_channels: both sides {@code inChannels} wide. */
    public Config(int inChannels, int outChannels, int heads, boolean concat, boolean beta,
                  int edgeDim, boolean rootWeight) {
      this(inChannels, outChannels, heads, concat, beta, edgeDim, rootWeight, inChannels);
    }

    /** PyG's defaults: concat, no beta, no edge features, root weight. */
    public static Config of(int inChannels, int outChannels, int heads) {
      return new Config(inChannels, outChannels, heads, true, false, 0, true);
    }

    /** PyG's defaults with tuple in_channels {@code (inSrc, inDst)}. */
    public static Config bipartite(int inSrc, int inDst, int outChannels, int heads) {
      return new Config(inSrc, outChannels, heads, true, false, 0, true, inDst);
    }

    /** The sources' width F_src (= inChannels). */
    public int inSrc() {
      return inChannels;
    }

    public Config withEdgeDim(int d) {
      return new Config(inChannels, outChannels, heads, concat, beta, d, rootWeight, inDst);
    }

    public Config withConcat(boolean c) {
      return new Config(inChannels, outChannels, heads, c, beta, edgeDim, rootWeight, inDst);
    }

    public Config withBeta(boolean b) {
      return new Config(inChannels, outChannels, heads, concat, b, edgeDim, rootWeight, inDst);
    }
  }

  private final Config cfg;
  private final Linear linKey;
  private final Linear linQuery;
  private final Linear linValue;
  private final Linear linEdge;   // [H*C, edgeDim], no bias; null without edge features
  private final Linear linSkip;   // [H*C or C, F_dst]; null without root weight
  private final Linear linBeta;   // [1, 3 * out width], no bias; null without beta
  private AttentionRecorder recorder;   // null unless attention is being recorded

  public TransformerConv(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int hc = cfg.heads() * cfg.outChannels();
    int outWidth = cfg.concat() ? hc : cfg.outChannels();
    this.linKey = new Linear(ctx, cfg.inSrc(), hc, true, rng);
    this.linQuery = new Linear(ctx, cfg.inDst(), hc, true, rng);
    this.linValue = new Linear(ctx, cfg.inSrc(), hc, true, rng);
    this.linEdge = cfg.edgeDim() > 0 ? new Linear(ctx, cfg.edgeDim(), hc, false, rng) : null;
    this.linSkip = cfg.rootWeight() ? new Linear(ctx, cfg.inDst(), outWidth, true, rng) : null;
    if (cfg.beta() && !cfg.rootWeight()) {
      throw new IllegalArgumentException("TransformerConv: beta gating needs rootWeight = true");
    }
    this.linBeta = cfg.beta() ? new Linear(ctx, 3 * outWidth, 1, false, rng) : null;
  }

  /**
   * @param xSrc [N_src, F_src]
   * @param xDst [N_dst, F_dst] (the same tensor as xSrc on an ordinary graph)
   * @param edgeAttr [E, edgeDim], required exactly when edgeDim > 0
   * @return [N_dst, H*C] when concat, else [N_dst, C]
   */
  @Override
  public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.bipartiteFeatures(OP, xSrc, xDst, edges, cfg.inSrc(), cfg.inDst());
    int n = xDst.dim(0);
    int h = cfg.heads();
    int c = cfg.outChannels();
    Tensor edgeKv = null;                                                    // [E, H, C]
    if (cfg.edgeDim() > 0) {
      Checks.edgeFeatures("TransformerConv", edgeAttr, edges, cfg.edgeDim());
      edgeKv = linEdge.forward(edgeAttr).view(edges.numEdges(), h, c);
    } else if (edgeAttr != null) {
      throw new IllegalArgumentException("TransformerConv: edge features given (shape "
          + edgeAttr.shape() + ") but the layer was built with edgeDim = 0");
    }
    int nSrc = xSrc.dim(0);
    Tensor q = linQuery.forward(xDst).view(n, h, c);                        // [N_dst, H, C]
    Tensor k = linKey.forward(xSrc).view(nSrc, h, c);                       // [N_src, H, C]
    Tensor v = linValue.forward(xSrc).view(nSrc, h, c);                     // [N_src, H, C]
    float scale = (float) (1 / Math.sqrt(c));
    Tensor out = GraphAttention.apply(edges, q, k, v, edgeKv, null, scale);
    if (recorder != null) {
      Tensor ekv = edgeKv;
      recorder.record(OP, q.ctx(), edges, h,
          () -> GraphAttention.weights(edges, q, k, ekv, null, scale));
    }
    out = cfg.concat() ? out.view(n, h * c) : out.mean(1);                  // [N_dst, out width]
    if (linSkip == null) return out;
    Tensor xr = linSkip.forward(xDst);
    if (linBeta == null) return out.add(xr);
    Tensor beta = linBeta.forward(Concat.concat(1, out, xr, out.sub(xr))).sigmoid();  // [N, 1]
    return beta.mul(xr).add(beta.neg().add(1f).mul(out));
  }

  /** The constructor arguments (read by layer-wise inference on Spark). */
  public Config config() {
    return cfg;
  }

  @Override
  public void recordAttention(AttentionRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "lin_key", linKey);
    Module.addAll(m, "lin_query", linQuery);
    Module.addAll(m, "lin_value", linValue);
    if (linEdge != null) Module.addAll(m, "lin_edge", linEdge);
    if (linSkip != null) Module.addAll(m, "lin_skip", linSkip);
    if (linBeta != null) Module.addAll(m, "lin_beta", linBeta);
    return m;
  }
}
