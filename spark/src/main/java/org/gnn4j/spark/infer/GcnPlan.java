package org.gnn4j.spark.infer;

import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GCN (gnn4j's GcnConv) as a layer plan: the projection h = x W^T runs on the source's block,
 * each edge carries h_j deg_j^-1/2, and the target finishes with deg_i^-1/2 (sum + h_i
 * deg_i^-1/2) + b, where deg is the in-degree without self-loops plus the one loop GCN adds
 * (PyG's add_remaining_self_loops); the degrees come from the engine's statistics.
 */
final class GcnPlan implements LayerPlan {
  private final Dense lin;       // [out, in], no bias
  private final float[] bias;    // [out]

  GcnPlan(Dense lin, float[] bias) {
    this.lin = lin;
    this.bias = bias;
  }

  @Override
  public String kind() {
    return "gcn";
  }

  @Override
  public int inWidth() {
    return lin.in();
  }

  @Override
  public int outWidth() {
    return lin.out();
  }

  static double invSqrtDegree(float[] stats, int row) {
    return 1.0 / Math.sqrt(stats[row * Stats.WIDTH + Stats.IN_DEGREE_NO_LOOPS] + 1.0);
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    Tensor h = lin.apply(ctx, x);                              // [B, out]
    int b = x.dim(0);
    int f = lin.out();
    float[] send = new float[b * (f + 1)];                     // send: [B, out + 1]: h, deg^-1/2
    float[] hd = h.data();
    for (int r = 0; r < b; r++) {
      System.arraycopy(hd, r * f, send, r * (f + 1), f);
      send[r * (f + 1) + f] = (float) invSqrtDegree(stats, r);
    }
    return new NodeSide(ctx.tensor(send, b, f + 1), null, h);
  }

  @Override
  public boolean replacesSelfLoops() {
    return true;
  }

  @Override
  public boolean readsTarget() {
    return false;
  }

  @Override
  public RowReduce rowReduce() {
    return new RowReduce(Reduce.SUM, lin.out(), true);
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    int f = source.length - 1;
    double d = source[f];
    double[] m = new double[f];
    for (int c = 0; c < f; c++) m[c] = source[c] * d;
    return m;
  }

  @Override
  public double[] accumulate(double[] state, float[] source, float[] target, float[] edge) {
    if (state == null) return message(source, target, edge);
    int f = source.length - 1;
    double d = source[f];
    for (int c = 0; c < f; c++) state[c] += source[c] * d;
    return state;
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return Reduce.SUM.merge(a, b);
  }

  @Override
  public float[] finish(double[] state) {
    return Reduce.SUM.finish(state, lin.out());
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    int b = keep.dim(0);
    int f = lin.out();
    float[] h = keep.data();
    float[] agg = aggregate.data();
    float[] out = new float[b * f];
    for (int r = 0; r < b; r++) {
      double d = invSqrtDegree(stats, r);
      for (int c = 0; c < f; c++) {
        // agg was rounded once to float; the loop's own term joins it in double
        out[r * f + c] = (float) (d * (agg[r * f + c] + d * h[r * f + c])) + bias[c];
      }
    }
    return ctx.tensor(out, b, f);
  }
}
