package org.gnn4j.spark.infer.attention;

import java.util.Map;
import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A minimal GIN plan for the GPS tests (the engine has its own): x'_i = nn((1 + eps) x_i +
 * sum_j x_j) with the two-layer MLP GPS gives its GINConv, read from the parameters under a
 * prefix. It stands in for the local layer so that the global part is tested on its own.
 */
final class SumGinPlan implements LayerPlan {
  private final Lin nn0;
  private final Lin nn2;
  private final float eps;

  SumGinPlan(Map<String, Tensor> p, String prefix) {
    nn0 = Lin.of("test", p, prefix + "nn.0");
    nn2 = Lin.of("test", p, prefix + "nn.2");
    eps = p.get(prefix + "eps").item();
  }

  @Override
  public String kind() {
    return "gin";
  }

  @Override
  public int inWidth() {
    return nn0.in();
  }

  @Override
  public int outWidth() {
    return nn2.out();
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    return new NodeSide(x, null, x.mul(eps + 1f));
  }

  @Override
  public boolean readsTarget() {
    return false;
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    double[] m = new double[source.length];
    for (int i = 0; i < m.length; i++) m[i] = source[i];
    return m;
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  @Override
  public float[] finish(double[] state) {
    float[] out = new float[nn0.in()];
    if (state != null) for (int i = 0; i < out.length; i++) out[i] = (float) state[i];
    return out;
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    return nn2.apply(ctx, nn0.apply(ctx, keep.add(aggregate)).relu());
  }
}
