package org.gnn4j.spark.infer.attention;

import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * What the softmax-attention layer plans share: an edge's message is the packed
 * {@link OnlineSoftmax} state of its per-head scores and value, states merge by rescaling, and
 * the heads are concatenated or averaged at the end. A layer that adds self-loops (GAT, GATv2:
 * the graph's own loops replaced by exactly one per node) asks the engine to drop the graph's
 * loops ({@link #replacesSelfLoops}) and cannot let it divide before its own loop has joined: its
 * {@link #finish} hands the whole state on (each double as a float pair, so nothing is rounded
 * to float), and {@link #update} adds the loop, computed from the node's kept row, then divides.
 */
abstract class SoftmaxPlan implements LayerPlan {
  private static final long serialVersionUID = 1L;

  final int heads;
  final int channels;
  final boolean concat;
  final float[] bias;           // [H*C] (concat) or [C], or null
  final boolean selfLoops;

  SoftmaxPlan(int heads, int channels, boolean concat, float[] bias, boolean selfLoops) {
    this.heads = heads;
    this.channels = channels;
    this.concat = concat;
    this.bias = bias;
    this.selfLoops = selfLoops;
  }

  @Override
  public int outWidth() {
    return concat ? heads * channels : channels;
  }

  @Override
  public boolean replacesSelfLoops() {
    return selfLoops;
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return OnlineSoftmax.packedMerge(a, b, heads, channels);
  }

  /** Width of a finished aggregate row: the result, or the whole state as float pairs. */
  int finishedWidth() {
    return selfLoops ? 2 * OnlineSoftmax.packedLength(heads, channels) : heads * channels;
  }

  @Override
  public float[] finish(double[] state) {
    if (!selfLoops) {
      float[] out = new float[heads * channels];
      if (state != null) OnlineSoftmax.packedResult(state, heads, channels, out, 0);
      return out;
    }
    double[] p = state != null ? state : OnlineSoftmax.emptyPacked(heads, channels);
    float[] out = new float[2 * p.length];
    for (int i = 0; i < p.length; i++) {
      float hi = (float) p[i];
      out[2 * i] = hi;
      out[2 * i + 1] = Double.isInfinite(p[i]) ? 0f : (float) (p[i] - hi);
    }
    return out;
  }

  /** The state {@link #finish} wrote at {@code row} of a block of finished rows. */
  double[] unfinish(float[] block, int row) {
    int len = OnlineSoftmax.packedLength(heads, channels);
    double[] p = new double[len];
    int o = row * 2 * len;
    for (int i = 0; i < len; i++) p[i] = (double) block[o + 2 * i] + block[o + 2 * i + 1];
    return p;
  }

  /**
   * The node's self-loop: per head its score into {@code scores[0 .. H)}; its value is at
   * {@code keep[valueOffset(r) ..)}.
   */
  void selfScores(float[] keep, int row, float[] scores) {
    throw new UnsupportedOperationException(kind() + " adds no self-loops");
  }

  /** Where row r's self-loop value starts in the keep rows. */
  int selfValueOffset(int row) {
    throw new UnsupportedOperationException(kind() + " adds no self-loops");
  }

  /**
   * [B, H, C] attention outputs from the finished rows: with self-loops, each node's own loop
   * added to its state and the state divided out here.
   */
  Tensor attended(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    int b = aggregate.dim(0);
    if (!selfLoops) return aggregate.view(b, heads, channels);
    float[] agg = aggregate.data();
    float[] kept = keep.data();
    float[] out = new float[b * heads * channels];
    float[] scores = new float[heads];
    for (int r = 0; r < b; r++) {
      double[] p = unfinish(agg, r);
      selfScores(kept, r, scores);
      int vo = selfValueOffset(r);
      for (int h = 0; h < heads; h++) {
        OnlineSoftmax.packedAdd(p, heads, channels, h, scores[h], kept, vo + h * channels);
      }
      OnlineSoftmax.packedResult(p, heads, channels, out, r * heads * channels);
    }
    return ctx.tensor(out, b, heads, channels);
  }

  /** out [B, H, C] -> heads concatenated [B, H*C] or averaged [B, C], plus the bias (as GatConv). */
  Tensor combineHeads(Context ctx, Tensor out) {
    Tensor o = concat ? out.view(out.dim(0), heads * channels) : out.mean(1);
    return bias == null ? o : o.add(ctx.tensor(bias, bias.length));
  }

  static float leaky(float z, float slope) {
    return z > 0 ? z : slope * z;
  }

  /** A [1, H, C] parameter as [H*C], checked. */
  static float[] headParam(String layer, org.gnn4j.tensor.Tensor t, String name, int heads,
                           int channels) {
    if (t == null || t.numel() != heads * channels) {
      throw new IllegalArgumentException(layer + ": parameter " + name + " must hold " + heads
          + " x " + channels + " values (got " + (t == null ? "none" : t.shape()) + ")");
    }
    return t.toArray();
  }
}
