package org.gnn4j.spark.infer;

import java.util.List;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GIN and GINE (gnn4j's GinConv, GineConv) as a layer plan: x'_i = mlp((1 + eps) x_i + sum_j
 * m_ji) with m_ji = x_j (GIN) or relu(x_j + lin(e_ji)) (GINE, lin applied to blocks of edges
 * before the join, or none when the edges already have the node width). The MLP runs on the
 * target's block after the shuffle.
 */
final class GinPlan implements LayerPlan {
  private final List<Dense> mlp;     // Linear, ReLU, ..., Linear
  private final float onePlusEps;
  private final boolean edges;       // GINE
  private final Dense edgeLin;       // GINE's lin, or null
  private final int edgeWidth;

  GinPlan(List<Dense> mlp, float eps, boolean edges, Dense edgeLin, int edgeWidth) {
    this.mlp = List.copyOf(mlp);
    this.onePlusEps = eps + 1f;
    this.edges = edges;
    this.edgeLin = edgeLin;
    this.edgeWidth = edgeWidth;
  }

  @Override
  public String kind() {
    return edges ? "gine" : "gin";
  }

  @Override
  public int inWidth() {
    return mlp.get(0).in();
  }

  @Override
  public int outWidth() {
    return mlp.get(mlp.size() - 1).out();
  }

  @Override
  public int edgeWidth() {
    return edges ? edgeWidth : 0;
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    return new NodeSide(x, null, x.mul(onePlusEps));
  }

  @Override
  public Tensor edgeSide(Context ctx, Tensor e) {
    return edgeLin == null ? e : edgeLin.apply(ctx, e);
  }

  @Override
  public boolean readsTarget() {
    return false;
  }

  @Override
  public boolean readsInDegree() {
    return false;
  }

  @Override
  public RowReduce rowReduce() {
    return edges ? null : new RowReduce(Reduce.SUM, inWidth(), false);
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    if (!edges) return Reduce.SUM.of(source);
    double[] m = new double[source.length];
    for (int c = 0; c < m.length; c++) {
      float v = source[c] + edge[c];
      m[c] = v > 0f ? v : 0f;
    }
    return m;
  }

  @Override
  public double[] accumulate(double[] state, float[] source, float[] target, float[] edge) {
    if (edges) return LayerPlan.super.accumulate(state, source, target, edge);
    return Reduce.SUM.accumulate(state, source);
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return Reduce.SUM.merge(a, b);
  }

  @Override
  public float[] finish(double[] state) {
    return Reduce.SUM.finish(state, inWidth());
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    return mlpForward(ctx, mlp, keep.add(aggregate));
  }

  /** gnn4j's Mlp: ReLU between the linear layers, none after the last. */
  static Tensor mlpForward(Context ctx, List<Dense> layers, Tensor x) {
    Tensor h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).apply(ctx, h);
      if (i + 1 < layers.size()) h = h.relu();
    }
    return h;
  }
}
