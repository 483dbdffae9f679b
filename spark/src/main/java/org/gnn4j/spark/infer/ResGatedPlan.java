package org.gnn4j.spark.infer;

import org.gnn4j.ops.Elementwise;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Residual gated graph convolution (gnn4j's ResGatedGraphConv) as a layer plan: x'_i = W_skip
 * x_i + sum_j sigmoid(k_i + q_j) v_j + b. The gate reads the target, so the target's key row
 * joins each edge after the shuffle. With edge features each projection of [x, e] is split
 * into its node part (on node blocks) and its edge part plus bias (on edge blocks), which is
 * the same sum in another rounding order.
 */
final class ResGatedPlan implements LayerPlan {
  private final Dense key;       // [C, F (+ D)] + bias
  private final Dense query;
  private final Dense value;
  private final Dense skip;      // [C, F] or null
  private final float[] bias;    // [C] or null
  private final int in;
  private final int edgeDim;

  ResGatedPlan(Dense key, Dense query, Dense value, Dense skip, float[] bias, int edgeDim) {
    this.key = key;
    this.query = query;
    this.value = value;
    this.skip = skip;
    this.bias = bias;
    this.edgeDim = edgeDim;
    this.in = key.in() - edgeDim;
  }

  @Override
  public String kind() {
    return "resgated";
  }

  @Override
  public int inWidth() {
    return in;
  }

  @Override
  public int outWidth() {
    return key.out();
  }

  @Override
  public int edgeWidth() {
    return edgeDim;
  }

  /** Columns [from, from + width) of a [out, in] weight, as a map without bias. */
  private static Dense columns(Dense d, int from, int width, boolean withBias) {
    float[] w = new float[d.out() * width];
    for (int r = 0; r < d.out(); r++) System.arraycopy(d.weight(), r * d.in() + from, w, r * width, width);
    return new Dense(w, d.out(), width, withBias ? d.bias() : null);
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    int c = key.out();
    boolean e = edgeDim > 0;
    Tensor k = (e ? columns(key, 0, in, false) : key).apply(ctx, x);       // [B, C]
    Tensor q = (e ? columns(query, 0, in, false) : query).apply(ctx, x);   // [B, C]
    Tensor v = (e ? columns(value, 0, in, false) : value).apply(ctx, x);   // [B, C]
    float[] send = new float[b * 2 * c];                                   // send: [B, 2C]: q, v
    for (int r = 0; r < b; r++) {
      System.arraycopy(q.data(), r * c, send, r * 2 * c, c);
      System.arraycopy(v.data(), r * c, send, r * 2 * c + c, c);
    }
    Tensor keep = skip != null ? skip.apply(ctx, x) : ctx.tensor(new float[0], b, 0);
    return new NodeSide(ctx.tensor(send, b, 2 * c), k, keep);
  }

  @Override
  public Tensor edgeSide(Context ctx, Tensor e) {
    int b = e.dim(0);
    int c = key.out();
    Tensor ek = columns(key, in, edgeDim, true).apply(ctx, e);
    Tensor eq = columns(query, in, edgeDim, true).apply(ctx, e);
    Tensor ev = columns(value, in, edgeDim, true).apply(ctx, e);
    float[] out = new float[b * 3 * c];                                    // [B, 3C]: k, q, v parts
    for (int r = 0; r < b; r++) {
      System.arraycopy(ek.data(), r * c, out, r * 3 * c, c);
      System.arraycopy(eq.data(), r * c, out, r * 3 * c + c, c);
      System.arraycopy(ev.data(), r * c, out, r * 3 * c + 2 * c, c);
    }
    return ctx.tensor(out, b, 3 * c);
  }

  @Override
  public boolean readsTarget() {
    return true;
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    int c = key.out();
    double[] m = new double[c];
    for (int j = 0; j < c; j++) {
      double k = target[j];
      double q = source[j];
      double v = source[c + j];
      if (edge != null) {
        k += edge[j];
        q += edge[c + j];
        v += edge[2 * c + j];
      }
      m[j] = v / (1.0 + Math.exp(-(k + q)));
    }
    return m;
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return Reduce.SUM.merge(a, b);
  }

  @Override
  public float[] finish(double[] state) {
    return Reduce.SUM.finish(state, key.out());
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    Tensor out = skip != null ? Elementwise.add(aggregate, keep) : aggregate;
    return bias == null ? out : Elementwise.add(out, ctx.tensor(bias, bias.length));
  }
}
