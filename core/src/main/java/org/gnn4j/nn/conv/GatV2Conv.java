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
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.GatV2Attention;
import org.gnn4j.ops.MatMul;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GATv2 (Brody et al., arXiv:2105.14491), numerically PyG's GATv2Conv with separate source and
 * target weights: e_ji = a . LeakyReLU(W_l x_j + W_r x_i), alpha = softmax over the in-edges of
 * i, x'_i = || over heads of sum alpha_ji W_l x_j + b. The non-linearity sits between the two
 * node terms, so written with tensors the score needs [E, H, C] ones; the fused op
 * {@link GatV2Attention} computes it per edge instead and is used unless attention dropout is
 * active. Self-loops as in GATConv.
 *
 * <p>On a bipartite graph (PyG's tuple in_channels {@code (F_src, F_dst)}, called with
 * {@code (x_src, x_dst)}, share_weights = False): lin_l [H*C, F_src] reads the sources,
 * lin_r [H*C, F_dst] the targets. Self-loops need one node set, as in {@link GatConv}.
 */
public final class GatV2Conv implements BipartiteLayer, AttentionLayer {
  private static final String OP = "GatV2Conv";
  private final GatConv.Config cfg;
  private final Linear linL;     // lin_l: [H*C, F_src] + bias, applied to sources
  private final Linear linR;     // lin_r: [H*C, F_dst] + bias, applied to targets
  private final Tensor att;      // [1, H, C]
  private final Tensor bias;     // [H*C] or [C], or null
  private boolean training = true;
  private AttentionRecorder recorder;   // null unless attention is being recorded

  public GatV2Conv(Context ctx, GatConv.Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int hc = cfg.heads() * cfg.outChannels();
    this.linL = new Linear(cfg.inSrc(), hc, Init.glorot(ctx, rng, hc, cfg.inSrc()),
        Init.zeros(ctx, hc));
    this.linR = new Linear(cfg.inDst(), hc, Init.glorot(ctx, rng, hc, cfg.inDst()),
        Init.zeros(ctx, hc));
    this.att = GatConv.glorotAtt(ctx, rng, cfg.heads(), cfg.outChannels());
    this.bias = cfg.bias() ? Init.zeros(ctx, cfg.concat() ? hc : cfg.outChannels()) : null;
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
    Tensor[] lr = xSrc == xDst ? project(xSrc)
        : new Tensor[] {linL.forward(xSrc), linR.forward(xDst)};
    Tensor xl = lr[0].view(xSrc.dim(0), h, c);                                   // [N_src, H, C]
    Tensor xr = lr[1].view(xDst.dim(0), h, c);                                   // [N_dst, H, C]
    Tensor out;                                                                   // [N_dst, H, C]
    if (fusedPath()) {
      out = GatV2Attention.apply(e, xl, xr, att, cfg.negativeSlope());
      if (recorder != null) {
        recorder.record(OP, xl.ctx(), e, h,
            () -> GatV2Attention.weights(e, xl, xr, att, cfg.negativeSlope()));
      }
    } else {
      Tensor alpha = GatV2Attention.weights(e, xl, xr, att, cfg.negativeSlope());  // [E, H]
      if (recorder != null) recorder.record(OP, xl.ctx(), e, h, () -> alpha);
      out = Spmm.aggregate(e, Dropout.apply(alpha, cfg.dropout(), training), xl);
    }
    return cfg.combineHeads(out, bias);
  }

  /**
   * lin_l(x) and lin_r(x) of one node set, each [N, H*C]. When the input is at least twice as
   * wide as the output, as one product with the two weights stacked: x is read once, and the backward computes one
   * [N, in] gradient of x instead of two (Cora, in = 1433: the step's biggest temporaries).
   */
  private Tensor[] project(Tensor x) {
    int hc = cfg.heads() * cfg.outChannels();
    if (!stackedProjection()) return new Tensor[] {linL.forward(x), linR.forward(x)};
    Tensor w = Concat.concat(0, linL.weight(), linR.weight());                    // [2HC, in]
    Tensor b = Concat.concat(0, linL.bias(), linR.bias());                        // [2HC]
    return Concat.split(MatMul.matmul(x, w, false, true).add(b), 1, hc, hc);
  }

  boolean stackedProjection() {
    return cfg.inSrc() == cfg.inDst() && cfg.inSrc() >= 2 * cfg.heads() * cfg.outChannels();
  }

  /**
   * Whether the forward uses the fused op ({@link GatV2Attention}: no [E, H, C] tensors, scores
   * recomputed per edge): always, except with attention dropout in training.
   */
  boolean fusedPath() {
    return !(training && cfg.dropout() > 0);
  }

  /** The constructor arguments (read by layer-wise inference on Spark). */
  public GatConv.Config config() {
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
    m.put("att", att);
    if (bias != null) m.put("bias", bias);
    Module.addAll(m, "lin_l", linL);
    Module.addAll(m, "lin_r", linR);
    return m;
  }
}
