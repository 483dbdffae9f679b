package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.GatAttention;
import org.gnn4j.ops.HeadScores;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph attention layer (Velickovic et al., arXiv:1710.10903), numerically PyG's GATConv:
 * x'_i = || over heads of sum_{j in N(i) + i} alpha_ij W x_j + b, with
 * alpha = softmax_j(LeakyReLU(a_src . W x_j + a_dst . W x_i)). a . [Wx_j || Wx_i] is computed as
 * a per-node source score plus a per-node target score gathered per edge, so no [E, 2C] tensor
 * is built. Existing self-loops are replaced by one per node when {@code addSelfLoops}. Softmax
 * and aggregation run fused ({@link GatAttention}) unless attention dropout is active.
 *
 * <p>On a bipartite graph (PyG's tuple in_channels {@code (F_src, F_dst)}, called with
 * {@code (x_src, x_dst)}): {@code lin_src} [H*C, F_src] projects the sources and
 * {@code lin_dst} [H*C, F_dst] the targets; the score is a_src . lin_src(x_j) + a_dst .
 * lin_dst(x_i) and the message lin_src(x_j). With one int in_channels ({@link Config#of}) both
 * sides share {@code lin}, as in PyG. Self-loops need one node set: PyG adds them only for ids
 * below min(N_src, N_dst) on a bipartite graph, we refuse instead.
 */
public final class GatConv implements BipartiteLayer, AttentionLayer {
  private static final String OP = "GatConv";

  /**
   * Constructor arguments, named as PyG's. {@code inChannels} is the sources' width (every
   * node's on one node set), {@code inDst} the targets'; {@code pair} says in_channels was PyG's
   * tuple (GATConv then has {@code lin_src} and {@code lin_dst} instead of one {@code lin}, even
   * when the widths agree; GATv2Conv's parameters do not depend on it).
   */
  public record Config(int inChannels, int outChannels, int heads, boolean concat,
                       float negativeSlope, float dropout, boolean addSelfLoops, boolean bias,
                       int inDst, boolean pair) {
    public Config {
      if (inChannels < 1 || outChannels < 1 || heads < 1 || inDst < 1) {
        throw new IllegalArgumentException("GatConv: inChannels, outChannels and heads must be"
            + " >= 1 (got " + (pair ? "(" + inChannels + ", " + inDst + ")" : inChannels) + ", "
            + outChannels + ", " + heads + ")");
      }
      if (!pair && inDst != inChannels) {
        throw new IllegalArgumentException("GatConv: one in_channels means one width for both"
            + " sides (got inChannels " + inChannels + ", inDst " + inDst + "; use pair = true)");
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("GatConv: dropout must be in [0, 1) (got " + dropout + ")");
      }
    }

    /** One int in_channels: both sides {@code inChannels} wide, one shared {@code lin}. */
    public Config(int inChannels, int outChannels, int heads, boolean concat,
                  float negativeSlope, float dropout, boolean addSelfLoops, boolean bias) {
      this(inChannels, outChannels, heads, concat, negativeSlope, dropout, addSelfLoops, bias,
          inChannels, false);
    }

    /** The sources' width F_src (= inChannels). */
    public int inSrc() {
      return inChannels;
    }

    /** out: [N, H, C] -> heads concatenated [N, H*C] or averaged [N, C], plus the bias. */
    Tensor combineHeads(Tensor out, Tensor bias) {
      Tensor o = concat ? out.view(out.dim(0), heads * outChannels) : out.mean(1);
      return bias == null ? o : o.add(bias);
    }

    /** PyG's defaults: concat, slope 0.2, no dropout, self-loops, bias. */
    public static Config of(int inChannels, int outChannels, int heads) {
      return new Config(inChannels, outChannels, heads, true, 0.2f, 0f, true, true);
    }

    /**
     * PyG's defaults with tuple in_channels {@code (inSrc, inDst)}, except add_self_loops =
     * false: self-loops need one node set.
     */
    public static Config bipartite(int inSrc, int inDst, int outChannels, int heads) {
      return new Config(inSrc, outChannels, heads, true, 0.2f, 0f, false, true, inDst, true);
    }

    public Config withAddSelfLoops(boolean on) {
      return new Config(inChannels, outChannels, heads, concat, negativeSlope, dropout, on, bias,
          inDst, pair);
    }

    public Config withConcat(boolean on) {
      return new Config(inChannels, outChannels, heads, on, negativeSlope, dropout, addSelfLoops,
          bias, inDst, pair);
    }

    /**
     * The edges attention runs over: the graph's, or with one self-loop per node when
     * {@code addSelfLoops}, which needs one node set.
     */
    EdgeIndex edges(String op, Graph graph) {
      if (!addSelfLoops) return graph.edges();
      if (graph.isBipartite()) {
        EdgeIndex e = graph.edges();
        throw new IllegalArgumentException(op + ": self-loops need one node set (got a bipartite"
            + " graph of " + e.numSrcNodes() + " sources and " + e.numDstNodes() + " targets);"
            + " build the layer with addSelfLoops = false");
      }
      return graph.selfLooped();
    }
  }

  private final Config cfg;
  private final Linear lin;      // lin.weight: [H*C, in], no bias; null when cfg.pair()
  private final Linear linSrc;   // lin_src.weight: [H*C, F_src], no bias; lin when not pair
  private final Linear linDst;   // lin_dst.weight: [H*C, F_dst], no bias; lin when not pair
  private final Tensor attSrc;   // [1, H, C]
  private final Tensor attDst;   // [1, H, C]
  private final Tensor bias;     // [H*C] (concat) or [C], or null
  private boolean training = true;
  private AttentionRecorder recorder;   // null unless attention is being recorded

  public GatConv(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int hc = cfg.heads() * cfg.outChannels();
    if (cfg.pair()) {
      this.lin = null;
      this.linSrc = new Linear(cfg.inSrc(), hc, Init.glorot(ctx, rng, hc, cfg.inSrc()), null);
      this.linDst = new Linear(cfg.inDst(), hc, Init.glorot(ctx, rng, hc, cfg.inDst()), null);
    } else {
      this.lin = new Linear(cfg.inChannels(), hc, Init.glorot(ctx, rng, hc, cfg.inChannels()),
          null);
      this.linSrc = this.linDst = lin;
    }
    this.attSrc = glorotAtt(ctx, rng, cfg.heads(), cfg.outChannels());
    this.attDst = glorotAtt(ctx, rng, cfg.heads(), cfg.outChannels());
    this.bias = cfg.bias() ? Init.zeros(ctx, cfg.concat() ? hc : cfg.outChannels()) : null;
  }

  static Tensor glorotAtt(Context ctx, SplittableRandom rng, int heads, int channels) {
    float a = (float) Math.sqrt(6.0 / (heads + channels));
    return ctx.uniform(rng, -a, a, 1, heads, channels).requiresGrad(true);
  }

  /**
   * @param xSrc [N_src, F_src]
   * @param xDst [N_dst, F_dst] (the same tensor as xSrc on an ordinary graph)
   * @param edgeAttr ignored
   * @return [N_dst, H*C] when concat, else [N_dst, C]
   * @throws IllegalArgumentException if a side has the wrong shape, or self-loops are asked for
   *     on a bipartite graph
   */
  @Override
  public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
    Checks.bipartiteFeatures(OP, xSrc, xDst, graph.edges(), cfg.inSrc(), cfg.inDst());
    EdgeIndex e = cfg.edges(OP, graph);
    int h = cfg.heads();
    int c = cfg.outChannels();
    Tensor hs = linSrc.forward(xSrc).view(xSrc.dim(0), h, c);                  // [N_src, H, C]
    Tensor hd = xDst == xSrc && linDst == linSrc ? hs                            // [N_dst, H, C]
        : linDst.forward(xDst).view(xDst.dim(0), h, c);
    Tensor scoreSrc = HeadScores.apply(hs, attSrc);                               // [N_src, H]
    Tensor scoreDst = HeadScores.apply(hd, attDst);                               // [N_dst, H]
    Tensor out;                                                                   // [N_dst, H, C]
    if (fusedPath()) {
      out = GatAttention.apply(e, hs, scoreSrc, scoreDst, cfg.negativeSlope());
      if (recorder != null) {
        recorder.record(OP, hs.ctx(), e, h,
            () -> GatAttention.weights(e, scoreSrc, scoreDst, cfg.negativeSlope()));
      }
    } else {
      Tensor alpha = GatAttention.weights(e, scoreSrc, scoreDst, cfg.negativeSlope()); // [E, H]
      if (recorder != null) recorder.record(OP, hs.ctx(), e, h, () -> alpha);
      out = Spmm.aggregate(e, Dropout.apply(alpha, cfg.dropout(), training), hs);
    }
    return cfg.combineHeads(out, bias);
  }

  /**
   * Whether the forward uses the fused attention op ({@link GatAttention}, no [E, H] tensors):
   * always, except with attention dropout in training, which needs the [E, H] weights.
   */
  boolean fusedPath() {
    return !(training && cfg.dropout() > 0);
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
  public void train(boolean on) {
    training = on;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("att_src", attSrc);
    m.put("att_dst", attDst);
    if (bias != null) m.put("bias", bias);
    if (lin != null) {
      Module.addAll(m, "lin", lin);
    } else {
      Module.addAll(m, "lin_src", linSrc);
      Module.addAll(m, "lin_dst", linDst);
    }
    return m;
  }
}
