package org.gnn4j.spark.infer.attention;

import java.util.Map;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GAT (gnn4j's {@link GatConv}) as a layer plan. Before the shuffle each node computes h = x W^T
 * and its two per-head scores a_src . h and a_dst . h; it sends [h | a_src . h] along its
 * out-edges and keeps a_dst . h for its in-edges, so an edge's score is one leaky ReLU of a sum
 * and no [E, 2C] row is built. The node's own self-loop (PyG's rule: existing loops replaced by
 * one) joins at the update ({@link SoftmaxPlan}); then heads are concatenated or averaged and
 * the bias added.
 */
final class GatPlan extends SoftmaxPlan {
  private static final long serialVersionUID = 1L;
  private static final String OP = "GatConv";

  private final Lin lin;            // [H*C, in], no bias
  private final float[] attSrc;     // [H*C]
  private final float[] attDst;     // [H*C]
  private final float slope;

  private GatPlan(Lin lin, float[] attSrc, float[] attDst, GatConv.Config cfg, float[] bias) {
    super(cfg.heads(), cfg.outChannels(), cfg.concat(), bias, cfg.addSelfLoops());
    this.lin = lin;
    this.attSrc = attSrc;
    this.attDst = attDst;
    this.slope = cfg.negativeSlope();
  }

  /**
   * The plan of a trained layer (eval mode: attention dropout does not apply).
   *
   * @throws IllegalArgumentException for a bipartite layer (separate source and target weights)
   */
  static GatPlan of(GatConv layer) {
    GatConv.Config cfg = layer.config();
    if (cfg.pair()) {
      throw new IllegalArgumentException(OP + ": a bipartite layer (lin_src, lin_dst) has no"
          + " homogeneous layer-wise plan");
    }
    Map<String, Tensor> p = layer.namedParameters();
    int h = cfg.heads();
    int c = cfg.outChannels();
    Tensor b = p.get("bias");
    return new GatPlan(Lin.of(OP, p, "lin"), headParam(OP, p.get("att_src"), "att_src", h, c),
        headParam(OP, p.get("att_dst"), "att_dst", h, c), cfg, b == null ? null : b.toArray());
  }

  @Override
  public String kind() {
    return "gat";
  }

  @Override
  public int inWidth() {
    return lin.in();
  }

  /** send [B, H*C + H] = [h | a_src . h], target [B, H] = a_dst . h, keep [B, H*C + 2H]. */
  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    int hc = heads * channels;
    Tensor h = lin.apply(ctx, x);                                                 // [B, H*C]
    Tensor hs = h.view(b, heads, channels);                                       // [B, H, C]
    float[] ss = hs.mul(ctx.tensor(attSrc, 1, heads, channels)).sum(2).data();  // [B, H]
    float[] sd = hs.mul(ctx.tensor(attDst, 1, heads, channels)).sum(2).data();  // [B, H]
    float[] hd = h.data();
    float[] send = new float[b * (hc + heads)];
    float[] keep = new float[b * (hc + 2 * heads)];
    for (int r = 0; r < b; r++) {
      System.arraycopy(hd, r * hc, send, r * (hc + heads), hc);
      System.arraycopy(ss, r * heads, send, r * (hc + heads) + hc, heads);
      int k = r * (hc + 2 * heads);
      System.arraycopy(hd, r * hc, keep, k, hc);
      System.arraycopy(ss, r * heads, keep, k + hc, heads);
      System.arraycopy(sd, r * heads, keep, k + hc + heads, heads);
    }
    return new NodeSide(ctx.tensor(send, b, hc + heads), ctx.tensor(sd, b, heads),
        ctx.tensor(keep, b, hc + 2 * heads));
  }

  @Override
  public boolean readsTarget() {
    return true;
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    int hc = heads * channels;
    float[] scores = new float[heads];
    for (int a = 0; a < heads; a++) scores[a] = leaky(source[hc + a] + target[a], slope);
    return OnlineSoftmax.packedOf(scores, source, 0, heads, channels);
  }

  @Override
  void selfScores(float[] keep, int row, float[] scores) {
    int k = row * (heads * channels + 2 * heads) + heads * channels;
    for (int a = 0; a < heads; a++) scores[a] = leaky(keep[k + a] + keep[k + heads + a], slope);
  }

  @Override
  int selfValueOffset(int row) {
    return row * (heads * channels + 2 * heads);
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    return combineHeads(ctx, attended(ctx, keep, aggregate, stats));
  }
}
