package org.gnn4j.spark.infer;

import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * RGCN over typed edges (gnn4j's RgcnConv in its homogeneous form, PyG's RGCNConv with
 * {@code aggr="mean"}) as a layer plan: out_i = b + x_i Θ_root + Σ_r mean_{j -> i, type r} x_j W_r.
 * The message reads only the source and the edge's relation (carried as a one-wide edge row), so
 * the block engine runs it; a target's state holds, per relation, a sum and a count, and a
 * relation without in-edges at i adds 0. As SAGE's plan does, when the output is narrower than
 * the input the sources are projected by every W_r before the shuffle (mean(x) W = mean(x W)),
 * which also shrinks the states; otherwise the target multiplies [mean_0 | .. | mean_R-1 | x_i]
 * by [W_0; ..; W_R-1; Θ_root] in one product, as the layer does on one machine.
 */
final class RgcnPlan implements LayerPlan {
  private final int relations;       // R
  private final int in;
  private final int out;
  private final float[] weights;     // [R, in, out]: W_r
  private final float[] root;        // [in, out] or null
  private final float[] bias;        // [out] or null
  private final boolean projectFirst;

  /**
   * @param weights [R, in, out] every relation's W_r, as {@code RgcnConv.relationWeights()}
   * @param root [in, out] or null; bias [out] or null
   */
  RgcnPlan(int relations, int in, int out, float[] weights, float[] root, float[] bias) {
    this.relations = relations;
    this.in = in;
    this.out = out;
    this.weights = weights;
    this.root = root;
    this.bias = bias;
    this.projectFirst = out < in;
  }

  @Override
  public String kind() {
    return "rgcn";
  }

  @Override
  public int inWidth() {
    return in;
  }

  @Override
  public int outWidth() {
    return out;
  }

  /** Width of what a source sends for one relation. */
  private int part() {
    return projectFirst ? out : in;
  }

  @Override
  public int edgeWidth() {
    return 1;   // the relation id
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    if (!projectFirst) return new NodeSide(x, null, x);
    // [in, R out]: W_r side by side, so one product gives x W_r for every r
    float[] wide = new float[in * relations * out];
    for (int r = 0; r < relations; r++) {
      for (int i = 0; i < in; i++) {
        System.arraycopy(weights, (r * in + i) * out, wide, (i * relations + r) * out, out);
      }
    }
    Tensor send = MatMul.matmul(x, ctx.tensor(wide, in, relations * out));     // [B, R out]
    Tensor keep = root != null ? MatMul.matmul(x, ctx.tensor(root, in, out))   // [B, out]
        : ctx.zeros(b, out);
    if (bias != null) keep = Elementwise.add(keep, ctx.tensor(bias, out));
    return new NodeSide(send, null, keep);
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
  public double[] message(float[] source, float[] target, float[] edge) {
    return accumulate(null, source, target, edge);
  }

  /** state: [R (part + 1)], per relation the sum of its messages and their count. */
  @Override
  public double[] accumulate(double[] state, float[] source, float[] target, float[] edge) {
    int p = part();
    int r = (int) edge[0];
    if (state == null) state = new double[relations * (p + 1)];
    int at = r * (p + 1);
    int from = projectFirst ? r * p : 0;
    for (int c = 0; c < p; c++) state[at + c] += source[from + c];
    state[at + p] += 1;
    return state;
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    for (int c = 0; c < a.length; c++) a[c] += b[c];
    return a;
  }

  /** [R part]: every relation's mean (0 for one without in-edges). */
  @Override
  public float[] finish(double[] state) {
    int p = part();
    float[] agg = new float[relations * p];
    if (state == null) return agg;
    for (int r = 0; r < relations; r++) {
      double count = state[r * (p + 1) + p];
      if (count == 0) continue;
      for (int c = 0; c < p; c++) agg[r * p + c] = (float) (state[r * (p + 1) + c] / count);
    }
    return agg;
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    int b = aggregate.dim(0);
    if (projectFirst) {
      float[] a = aggregate.data();
      float[] sum = keep.toArray();                                 // [B, out]
      for (int i = 0; i < b; i++) {
        for (int r = 0; r < relations; r++) {
          for (int c = 0; c < out; c++) sum[i * out + c] += a[(i * relations + r) * out + c];
        }
      }
      return ctx.tensor(sum, b, out);
    }
    // [B, (R + 1) in] @ [(R + 1) in, out], the layer's own product
    int blocks = root == null ? relations : relations + 1;
    float[] lhs = new float[b * blocks * in];
    float[] a = aggregate.data();
    float[] x = keep.data();
    for (int i = 0; i < b; i++) {
      System.arraycopy(a, i * relations * in, lhs, i * blocks * in, relations * in);
      if (root != null) System.arraycopy(x, i * in, lhs, (i * blocks + relations) * in, in);
    }
    float[] rhs = new float[blocks * in * out];
    System.arraycopy(weights, 0, rhs, 0, weights.length);
    if (root != null) System.arraycopy(root, 0, rhs, weights.length, root.length);
    Tensor y = MatMul.matmul(ctx.tensor(lhs, b, blocks * in), ctx.tensor(rhs, blocks * in, out));
    return bias == null ? y : Elementwise.add(y, ctx.tensor(bias, out));
  }
}
