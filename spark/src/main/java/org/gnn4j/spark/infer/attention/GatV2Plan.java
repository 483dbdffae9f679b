package org.gnn4j.spark.infer.attention;

import java.util.Map;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GATv2 (gnn4j's {@link GatV2Conv}) as a layer plan. The score a . LeakyReLU(W_l x_j + W_r x_i)
 * has its non-linearity between the two node terms, so each node sends xl = W_l x + b_l and
 * keeps xr = W_r x + b_r for its in-edges, and the message joins the two per edge. Self-loops,
 * heads and bias as in {@link GatPlan}.
 */
final class GatV2Plan extends SoftmaxPlan {
  private static final long serialVersionUID = 1L;
  private static final String OP = "GatV2Conv";

  private final Lin linL;           // [H*C, in] + bias, the sources
  private final Lin linR;           // [H*C, in] + bias, the targets
  private final float[] att;        // [H*C]
  private final float slope;

  private GatV2Plan(Lin linL, Lin linR, float[] att, GatConv.Config cfg, float[] bias) {
    super(cfg.heads(), cfg.outChannels(), cfg.concat(), bias, cfg.addSelfLoops());
    this.linL = linL;
    this.linR = linR;
    this.att = att;
    this.slope = cfg.negativeSlope();
  }

  /**
   * The plan of a trained layer (eval mode).
   *
   * @throws IllegalArgumentException for a bipartite layer (two input widths)
   */
  static GatV2Plan of(GatV2Conv layer) {
    GatConv.Config cfg = layer.config();
    if (cfg.inSrc() != cfg.inDst()) {
      throw new IllegalArgumentException(OP + ": a bipartite layer (inputs " + cfg.inSrc() + " and "
          + cfg.inDst() + " wide) has no homogeneous layer-wise plan");
    }
    Map<String, Tensor> p = layer.namedParameters();
    Tensor b = p.get("bias");
    return new GatV2Plan(Lin.of(OP, p, "lin_l"), Lin.of(OP, p, "lin_r"),
        headParam(OP, p.get("att"), "att", cfg.heads(), cfg.outChannels()), cfg,
        b == null ? null : b.toArray());
  }

  @Override
  public String kind() {
    return "gatv2";
  }

  @Override
  public int inWidth() {
    return linL.in();
  }

  /** send [B, H*C] = xl, target [B, H*C] = xr, keep [B, 2 H*C] = [xl | xr]. */
  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    int hc = heads * channels;
    Tensor xl;
    Tensor xr;
    if (linL.in() >= 2 * hc) {
      // the layer's stacked product when the input is wide: one matmul with both weights
      Tensor w = Concat.concat(0, ctx.tensor(linL.weight(), hc, linL.in()),
          ctx.tensor(linR.weight(), hc, linR.in()));
      Tensor bias = Concat.concat(0, ctx.tensor(linL.bias(), hc), ctx.tensor(linR.bias(), hc));
      Tensor[] lr = Concat.split(MatMul.matmul(x, w, false, true).add(bias), 1, hc, hc);
      xl = lr[0];
      xr = lr[1];
    } else {
      xl = linL.apply(ctx, x);
      xr = linR.apply(ctx, x);
    }
    return new NodeSide(xl, xr, Concat.concat(1, xl, xr));
  }

  @Override
  public boolean readsTarget() {
    return true;
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    float[] scores = new float[heads];
    scores(source, 0, target, 0, scores);
    return OnlineSoftmax.packedOf(scores, source, 0, heads, channels);
  }

  /** s_h = sum_c att[h,c] leaky(xl[h,c] + xr[h,c]), in float as gnn4j's kernel. */
  private void scores(float[] xl, int lo, float[] xr, int ro, float[] out) {
    for (int a = 0; a < heads; a++) {
      float s = 0f;
      for (int c = a * channels; c < (a + 1) * channels; c++) {
        s += att[c] * leaky(xl[lo + c] + xr[ro + c], slope);
      }
      out[a] = s;
    }
  }

  @Override
  void selfScores(float[] keep, int row, float[] scores) {
    int hc = heads * channels;
    scores(keep, row * 2 * hc, keep, row * 2 * hc + hc, scores);
  }

  @Override
  int selfValueOffset(int row) {
    return row * 2 * heads * channels;
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    return combineHeads(ctx, attended(ctx, keep, aggregate, stats));
  }
}
