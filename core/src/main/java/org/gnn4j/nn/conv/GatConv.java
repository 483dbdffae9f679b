package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.GatAttention;
import org.gnn4j.ops.Gather;
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
 */
public final class GatConv implements GraphLayer {
  /** Constructor arguments, named as PyG's. */
  public record Config(int inChannels, int outChannels, int heads, boolean concat,
                       float negativeSlope, float dropout, boolean addSelfLoops, boolean bias) {
    public Config {
      if (inChannels < 1 || outChannels < 1 || heads < 1) {
        throw new IllegalArgumentException("GatConv: inChannels, outChannels and heads must be"
            + " >= 1 (got " + inChannels + ", " + outChannels + ", " + heads + ")");
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("GatConv: dropout must be in [0, 1) (got " + dropout + ")");
      }
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
  }

  private final Config cfg;
  private final Linear lin;      // lin.weight: [H*C, in], no bias
  private final Tensor attSrc;   // [1, H, C]
  private final Tensor attDst;   // [1, H, C]
  private final Tensor bias;     // [H*C] (concat) or [C], or null
  private boolean training = true;

  public GatConv(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int hc = cfg.heads() * cfg.outChannels();
    this.lin = new Linear(cfg.inChannels(), hc, Init.glorot(ctx, rng, hc, cfg.inChannels()), null);
    this.attSrc = glorotAtt(ctx, rng, cfg.heads(), cfg.outChannels());
    this.attDst = glorotAtt(ctx, rng, cfg.heads(), cfg.outChannels());
    this.bias = cfg.bias() ? Init.zeros(ctx, cfg.concat() ? hc : cfg.outChannels()) : null;
  }

  static Tensor glorotAtt(Context ctx, SplittableRandom rng, int heads, int channels) {
    float a = (float) Math.sqrt(6.0 / (heads + channels));
    return ctx.uniform(rng, -a, a, 1, heads, channels).requiresGrad(true);
  }

  /**
   * @param x [N, inChannels]
   * @param edgeAttr ignored
   * @return [N, H*C] when concat, else [N, C]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.nodeFeatures("GatConv", x, edges, cfg.inChannels());
    EdgeIndex e = cfg.addSelfLoops() ? graph.selfLooped() : edges;
    int n = x.dim(0);
    Tensor h = lin.forward(x).view(n, cfg.heads(), cfg.outChannels());           // [N, H, C]
    Tensor scoreSrc = h.mul(attSrc).sum(2);                                       // [N, H]
    Tensor scoreDst = h.mul(attDst).sum(2);                                       // [N, H]
    Tensor out;                                                                   // [N, H, C]
    if (fusedPath()) {
      out = GatAttention.apply(e, h, scoreSrc, scoreDst, cfg.negativeSlope());
    } else {
      Tensor logits = Gather.src(scoreSrc, e).add(Gather.dst(scoreDst, e));      // [E, H]
      Tensor alpha = EdgeSoftmax.apply(logits.leakyRelu(cfg.negativeSlope()), e); // [E, H]
      alpha = Dropout.apply(alpha, cfg.dropout(), training);
      out = Spmm.aggregate(e, alpha, h);
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
    Module.addAll(m, "lin", lin);
    return m;
  }
}
