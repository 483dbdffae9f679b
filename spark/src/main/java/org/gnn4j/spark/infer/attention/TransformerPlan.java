package org.gnn4j.spark.infer.attention;

import java.util.Map;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.ops.Concat;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * TransformerConv (gnn4j's {@link TransformerConv}) as a layer plan: each node sends its key and
 * value [k | v] and keeps its query for its in-edges; with edge features the edge side projects
 * them once (W_e e) and the message adds them to both key and value. The score per head is
 * (q_i . (k_j + W_e e)) / sqrt(C), aggregated by {@link OnlineSoftmax}; no self-loops are added,
 * so a node without in-edges aggregates 0. The update concatenates or averages the heads and adds
 * the root weight W_skip x_i, gated by beta when the layer has it.
 */
final class TransformerPlan extends SoftmaxPlan {
  private static final long serialVersionUID = 1L;
  private static final String OP = "TransformerConv";

  private final Lin key;
  private final Lin query;
  private final Lin value;
  private final Lin edgeLin;        // [H*C, edgeDim], no bias; null without edge features
  private final Lin skip;           // [out width, in] + bias; null without root weight
  private final Lin beta;           // [1, 3 out width], no bias; null without beta
  private final float scale;

  private TransformerPlan(TransformerConv.Config cfg, Lin key, Lin query, Lin value, Lin edgeLin,
                          Lin skip, Lin beta) {
    super(cfg.heads(), cfg.outChannels(), cfg.concat(), null, false);
    this.key = key;
    this.query = query;
    this.value = value;
    this.edgeLin = edgeLin;
    this.skip = skip;
    this.beta = beta;
    this.scale = (float) (1 / Math.sqrt(cfg.outChannels()));
  }

  /**
   * The plan of a trained layer.
   *
   * @throws IllegalArgumentException for a bipartite layer (two input widths)
   */
  static TransformerPlan of(TransformerConv layer) {
    TransformerConv.Config cfg = layer.config();
    if (cfg.inSrc() != cfg.inDst()) {
      throw new IllegalArgumentException(OP + ": a bipartite layer (inputs " + cfg.inSrc()
          + " and " + cfg.inDst() + " wide) has no homogeneous layer-wise plan");
    }
    Map<String, Tensor> p = layer.namedParameters();
    return new TransformerPlan(cfg, Lin.of(OP, p, "lin_key"), Lin.of(OP, p, "lin_query"),
        Lin.of(OP, p, "lin_value"), cfg.edgeDim() > 0 ? Lin.of(OP, p, "lin_edge") : null,
        cfg.rootWeight() ? Lin.of(OP, p, "lin_skip") : null,
        cfg.beta() ? Lin.of(OP, p, "lin_beta") : null);
  }

  @Override
  public String kind() {
    return "transformer";
  }

  @Override
  public int inWidth() {
    return key.in();
  }

  @Override
  public int edgeWidth() {
    return edgeLin == null ? 0 : edgeLin.in();
  }

  /** send [B, 2 H*C] = [k | v], target [B, H*C] = q, keep [B, out width] = W_skip x (or empty). */
  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    Tensor q = query.apply(ctx, x);
    Tensor kv = Concat.concat(1, key.apply(ctx, x), value.apply(ctx, x));
    Tensor keep = skip == null ? ctx.zeros(b, 0) : skip.apply(ctx, x);
    return new NodeSide(kv, q, keep);
  }

  /** @param e [B, edgeDim] -> W_e e [B, H*C] */
  @Override
  public Tensor edgeSide(Context ctx, Tensor e) {
    return edgeLin == null ? e : edgeLin.apply(ctx, e);
  }

  @Override
  public boolean readsTarget() {
    return true;
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    int hc = heads * channels;
    float[] scores = new float[heads];
    for (int a = 0; a < heads; a++) {
      float dot = 0f;
      for (int c = a * channels; c < (a + 1) * channels; c++) {
        dot += target[c] * (edge == null ? source[c] : source[c] + edge[c]);
      }
      scores[a] = scale * dot;
    }
    if (edge == null) return OnlineSoftmax.packedOf(scores, source, hc, heads, channels);
    float[] v = new float[hc];
    for (int c = 0; c < hc; c++) v[c] = source[hc + c] + edge[c];
    return OnlineSoftmax.packedOf(scores, v, 0, heads, channels);
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    Tensor out = combineHeads(ctx, attended(ctx, keep, aggregate, stats));    // [B, out width]
    if (skip == null) return out;
    if (beta == null) return out.add(keep);
    Tensor g = beta.apply(ctx, Concat.concat(1, out, keep, out.sub(keep))).sigmoid(); // [B, 1]
    return g.mul(keep).add(g.neg().add(1f).mul(out));
  }
}
