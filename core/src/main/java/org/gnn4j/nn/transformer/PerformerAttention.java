package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.LinearAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Performer attention (Choromanski et al., arXiv:2009.14794) as PyG 2.6.1's
 * {@code torch_geometric.nn.attention.PerformerAttention} with its ReLU kernel, applied among the
 * nodes of each graph of a batch (GPS's {@code attn_type='performer'}): q, k, v = x Wq^T, x Wk^T,
 * x Wv^T split into H heads of {@code headChannels} (PyG's default 64 whatever the width),
 * out = attn_out(linear attention of {@link LinearAttention} with phi(x) = relu(x P^T) + 0.001),
 * P the fixed random projection of M = floor(D ln D) rows (D = headChannels) made of
 * orthonormal blocks. Parameter names are PyG's ({@code q.weight}, {@code k.weight},
 * {@code v.weight}, {@code attn_out.weight}, {@code attn_out.bias}, the buffer
 * {@code fast_attn.projection_matrix}), so a PyG state_dict loads by name. Like PyG's, the
 * attention counts the zero rows PyG pads smaller graphs with in its denominator (see
 * {@link LinearAttention}); with one graph, or graphs of one size, there are none.
 */
public final class PerformerAttention implements GlobalAttention {
  /** PyG's {@code generalized_kernel} epsilon, added to every random feature. */
  public static final float KERNEL_EPS = 0.001f;
  private final int channels;
  private final int heads;
  private final int headChannels;
  private final Linear q;          // [H D, C], bias only with qkvBias
  private final Linear k;
  private final Linear v;
  private final Linear attnOut;    // [C, H D] + bias
  private final Tensor projection; // [M, D] buffer
  private final Tensor zeroKey;    // [H D]: the key of a zero padding row without a key bias

  /** PyG's defaults: headChannels 64, no q/k/v bias, attn_out bias. */
  public PerformerAttention(Context ctx, int channels, int heads, SplittableRandom rng) {
    this(ctx, channels, heads, 64, false, true, rng);
  }

  public PerformerAttention(Context ctx, int channels, int heads, int headChannels,
                            boolean qkvBias, boolean attnOutBias, SplittableRandom rng) {
    if (heads < 1 || channels < 1 || channels % heads != 0 || headChannels < 2) {
      throw new IllegalArgumentException("PerformerAttention: need channels a positive multiple"
          + " of heads and headChannels >= 2 (got channels = " + channels + ", heads = " + heads
          + ", headChannels = " + headChannels + ")");
    }
    this.channels = channels;
    this.heads = heads;
    this.headChannels = headChannels;
    int inner = heads * headChannels;
    this.q = new Linear(ctx, channels, inner, qkvBias, rng);
    this.k = new Linear(ctx, channels, inner, qkvBias, rng);
    this.v = new Linear(ctx, channels, inner, qkvBias, rng);
    this.attnOut = new Linear(ctx, inner, channels, attnOutBias, rng);
    int rows = (int) (headChannels * Math.log(headChannels));
    this.projection = ctx.zeros(rows, headChannels);
    this.zeroKey = ctx.zeros(heads * headChannels);
    redrawProjectionMatrix(rng);
  }

  /** Rows M of the random projection: floor(D ln D), as PyG. */
  public int numFeatures() {
    return projection.dim(0);
  }

  /**
   * Draws a new projection matrix in place (PyG's {@code redraw_projection_matrix}): blocks of
   * D orthonormal rows, each the Gram-Schmidt orthonormalisation of D standard normal vectors,
   * the last block cut to the rows left. Call it between steps, never between a forward and
   * its backward.
   */
  public void redrawProjectionMatrix(SplittableRandom rng) {
    int d = headChannels;
    int rows = projection.dim(0);
    float[] p = projection.data();
    for (int r0 = 0; r0 < rows; r0 += d) {
      double[][] block = orthonormalRows(rng, d);
      for (int r = r0; r < Math.min(rows, r0 + d); r++) {
        for (int j = 0; j < d; j++) p[r * d + j] = (float) block[r - r0][j];
      }
    }
  }

  /** d orthonormal rows: modified Gram-Schmidt (in double) on d standard normal vectors. */
  private static double[][] orthonormalRows(SplittableRandom rng, int d) {
    double[][] b = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double u1 = 1.0 - rng.nextDouble();
        b[i][j] = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
      }
      for (int pass = 0; pass < 2; pass++) {     // twice: keeps the rows orthogonal to 1e-15
        for (int o = 0; o < i; o++) {
          double dot = 0;
          for (int j = 0; j < d; j++) dot += b[i][j] * b[o][j];
          for (int j = 0; j < d; j++) b[i][j] -= dot * b[o][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) norm += b[i][j] * b[i][j];
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) b[i][j] /= norm;
    }
    return b;
  }

  @Override
  public Tensor forwardWithinGraphs(Tensor x, int[] graphPtr) {
    if (x.rank() != 2 || x.dim(1) != channels) {
      throw new IllegalArgumentException("PerformerAttention: x has shape " + x.shape()
          + ", expected [N, " + channels + "]");
    }
    Tensor padKey = k.bias() == null ? zeroKey : k.bias();
    Tensor out = LinearAttention.apply(q.forward(x), k.forward(x), v.forward(x), heads,
        projection, graphPtr, KERNEL_EPS, padKey);                      // [N, H D]
    return attnOut.forward(out);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("fast_attn.projection_matrix", projection);
    Module.addAll(m, "q", q);
    Module.addAll(m, "k", k);
    Module.addAll(m, "v", v);
    Module.addAll(m, "attn_out", attnOut);
    return m;
  }
}
