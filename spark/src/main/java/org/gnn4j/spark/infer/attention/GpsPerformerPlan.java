package org.gnn4j.spark.infer.attention;

import java.io.Serializable;
import java.util.Map;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.nn.transformer.PerformerAttention;
import org.gnn4j.ops.BatchNorm;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.MatMul;
import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A GPS layer with Performer global attention (gnn4j's {@link GpsLayer} with
 * {@link PerformerAttention}) as a layer plan, in eval mode: local = norm1(conv(x) + x),
 * global = norm2(attn_out(linear attention) + x), o = local + global, out = norm3(o + mlp(o)).
 * The local layer is another plan (gin, gine or resgated), whose node side, messages and update
 * this one passes through; the global attention's sums over all nodes, per head
 * ksum = sum_j phi(k_j) [M] and kv = sum_j phi(k_j) v_j^T [M, D], are {@link GlobalPlan} sums,
 * and each node's update reads them with its own query: phi(q_i)^T kv / phi(q_i) . ksum. The
 * feature map phi(x) = relu(x P^T) + 0.001 uses the layer's own projection matrix P (the
 * checkpoint's {@code attn.fast_attn.projection_matrix}), so it is gnn4j's exactly. One graph:
 * PyG's padding of smaller graphs in a batch does not arise.
 */
final class GpsPerformerPlan implements GlobalPlan {
  private static final long serialVersionUID = 1L;
  private static final String OP = "GpsLayer";

  /** A batch norm's affine parameters and running statistics (eval mode). */
  private record Norm(float[] weight, float[] bias, float[] mean, float[] var)
      implements Serializable {
    static Norm of(Map<String, Tensor> p, String prefix) {
      String[] names = {"weight", "bias", "running_mean", "running_var"};
      float[][] v = new float[4][];
      for (int i = 0; i < 4; i++) {
        Tensor t = p.get(prefix + "." + names[i]);
        if (t == null) throw new IllegalArgumentException(OP + ": no parameter " + prefix + "." + names[i]);
        v[i] = t.toArray();
      }
      return new Norm(v[0], v[1], v[2], v[3]);
    }

    Tensor apply(Context ctx, Tensor x) {
      int f = weight.length;
      return BatchNorm.apply(x, ctx.tensor(weight, f), ctx.tensor(bias, f), ctx.tensor(mean, f),
          ctx.tensor(var, f), false, BatchNorm.DEFAULT_MOMENTUM, BatchNorm.DEFAULT_EPS);
    }
  }

  private final LayerPlan local;
  private final int channels;       // C, the layer's width
  private final int heads;          // H
  private final int headChannels;   // D
  private final int features;       // M, rows of the projection
  private final Lin q;              // [H D, C]
  private final Lin k;
  private final Lin v;
  private final Lin attnOut;        // [C, H D]
  private final float[] projection; // [M, D]
  private final Lin mlp0;           // [2C, C]
  private final Lin mlp3;           // [C, 2C]
  private final Norm norm1;
  private final Norm norm2;
  private final Norm norm3;

  private GpsPerformerPlan(LayerPlan local, Map<String, Tensor> p) {
    this.local = local;
    Tensor proj = p.get("attn.fast_attn.projection_matrix");
    if (proj == null || proj.rank() != 2) {
      throw new IllegalArgumentException(OP + ": no Performer projection matrix"
          + " (attn.fast_attn.projection_matrix)");
    }
    this.q = Lin.of(OP, p, "attn.q");
    this.k = Lin.of(OP, p, "attn.k");
    this.v = Lin.of(OP, p, "attn.v");
    this.attnOut = Lin.of(OP, p, "attn.attn_out");
    this.channels = q.in();
    this.features = proj.dim(0);
    this.headChannels = proj.dim(1);
    this.heads = q.out() / headChannels;
    this.projection = proj.toArray();
    this.mlp0 = Lin.of(OP, p, "mlp.0");
    this.mlp3 = Lin.of(OP, p, "mlp.3");
    this.norm1 = Norm.of(p, "norm1.module");
    this.norm2 = Norm.of(p, "norm2.module");
    this.norm3 = Norm.of(p, "norm3.module");
    if (local.inWidth() != channels || local.outWidth() != channels) {
      throw new IllegalArgumentException(OP + ": the local layer maps " + local.inWidth() + " -> "
          + local.outWidth() + " features, the layer is " + channels + " wide");
    }
  }

  /**
   * @param local the plan of the layer's local message passing ({@code conv})
   * @throws IllegalArgumentException when the global attention is not Performer's (exact
   *     attention over a whole graph is N^2, not a sum)
   */
  static GpsPerformerPlan of(GpsLayer layer, LayerPlan local) {
    if (!(layer.attention() instanceof PerformerAttention)) {
      throw new IllegalArgumentException(OP + ": only Performer global attention runs layer-wise"
          + " (exact attention relates every pair of nodes of the graph)");
    }
    return new GpsPerformerPlan(local, layer.namedParameters());
  }

  @Override
  public String kind() {
    return "gps_" + local.kind();
  }

  @Override
  public int inWidth() {
    return channels;
  }

  @Override
  public int outWidth() {
    return channels;
  }

  @Override
  public int edgeWidth() {
    return local.edgeWidth();
  }

  @Override
  public Tensor edgeSide(Context ctx, Tensor e) {
    return local.edgeSide(ctx, e);
  }

  /** The local layer's node side, with the input row appended to what the node keeps. */
  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    NodeSide s = local.nodeSide(ctx, x, stats);
    return new NodeSide(s.send(), s.target(), Concat.concat(1, s.keep(), x));
  }

  @Override
  public boolean readsTarget() {
    return local.readsTarget();
  }

  @Override
  public boolean readsInDegree() {
    return local.readsInDegree();
  }

  @Override
  public org.gnn4j.spark.infer.RowReduce rowReduce() {
    return local.rowReduce();
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    return local.message(source, target, edge);
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return local.merge(a, b);
  }

  @Override
  public float[] finish(double[] state) {
    return local.finish(state);
  }

  /** [H M (ksum) | H M D (kv)]. */
  @Override
  public int globalLength() {
    return heads * features * (headChannels + 1);
  }

  /** phi of head h of the rows of t [B, H D]: relu(t_h P^T) + eps, [B, M] as gnn4j's kernel. */
  private float[] featureMap(Context ctx, Tensor t, int h) {
    float[] pre = MatMul.matmul(head(t, h), ctx.tensor(projection, features, headChannels), false, true)
        .data();                                                                       // [B, M]
    for (int i = 0; i < pre.length; i++) {
      pre[i] = Math.max(pre[i], 0f) + PerformerAttention.KERNEL_EPS;
    }
    return pre;
  }

  /** Columns [h D, (h + 1) D) of t [B, H D]: head h, [B, D]. */
  private Tensor head(Tensor t, int h) {
    return Concat.split(t, 1, h * headChannels, headChannels, (heads - h - 1) * headChannels)[1];
  }

  /**
   * Per head, the block's phi(K)^T V [M, D] as one float product over the block (as gnn4j's
   * kernel forms it), and phi(K)^T 1 [M]; blocks are then added up in double.
   */
  @Override
  public double[] globalPartial(Context ctx, Tensor x) {
    int b = x.dim(0);
    int d = headChannels;
    int m = features;
    Tensor kx = k.apply(ctx, x);                                                       // [B, H D]
    Tensor vx = v.apply(ctx, x);                                                       // [B, H D]
    double[] g = new double[globalLength()];
    int kvOff = heads * m;
    for (int h = 0; h < heads; h++) {
      float[] phi = featureMap(ctx, kx, h);                                            // [B, M]
      float[] kv = MatMul.matmul(ctx.tensor(phi, b, m), head(vx, h), true, false).data();  // [M, D]
      for (int i = 0; i < m * d; i++) g[kvOff + h * m * d + i] += kv[i];
      for (int r = 0; r < b; r++) {
        for (int f = 0; f < m; f++) g[h * m + f] += phi[r * m + f];
      }
    }
    return g;
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats,
                       double[] global) {
    if (global == null || global.length != globalLength()) {
      throw new IllegalArgumentException(OP + ": the global sums must hold " + globalLength()
          + " values (got " + (global == null ? "none" : global.length) + ")");
    }
    int b = keep.dim(0);
    int localKeep = keep.dim(1) - channels;
    Tensor[] parts = Concat.split(keep, 1, localKeep, channels);
    Tensor x = parts[1];                                                               // [B, C]
    Tensor conv = local.update(ctx, parts[0], aggregate, stats);                       // [B, C]
    Tensor h1 = norm1.apply(ctx, conv.add(x));
    Tensor attn = attnOut.apply(ctx, ctx.tensor(attend(ctx, q.apply(ctx, x), global), b,
        heads * headChannels));
    Tensor h2 = norm2.apply(ctx, attn.add(x));
    Tensor o = h1.add(h2);
    return norm3.apply(ctx, o.add(mlp3.apply(ctx, mlp0.apply(ctx, o).relu())));
  }

  /**
   * Per row and head phi(q)^T kv / phi(q) . ksum, [B, H D]: one float product of phi(q) [B, M]
   * with [kv | ksum] [M, D + 1] per head, numerator and denominator together, as gnn4j's kernel.
   */
  private float[] attend(Context ctx, Tensor qx, double[] global) {
    int b = qx.dim(0);
    int d = headChannels;
    int m = features;
    int hd = heads * d;
    int kvOff = heads * m;
    float[] out = new float[b * hd];
    float[] kvz = new float[m * (d + 1)];                                              // [M, D + 1]
    for (int h = 0; h < heads; h++) {
      for (int f = 0; f < m; f++) {
        for (int c = 0; c < d; c++) kvz[f * (d + 1) + c] = (float) global[kvOff + (h * m + f) * d + c];
        kvz[f * (d + 1) + d] = (float) global[h * m + f];
      }
      float[] phi = featureMap(ctx, qx, h);                                            // [B, M]
      float[] nd = MatMul.matmul(ctx.tensor(phi, b, m), ctx.tensor(kvz, m, d + 1)).data();
      for (int r = 0; r < b; r++) {
        float inv = 1f / nd[r * (d + 1) + d];
        for (int c = 0; c < d; c++) out[r * hd + h * d + c] = nd[r * (d + 1) + c] * inv;
      }
    }
    return out;
  }
}
