package org.gnn4j.nn.transformer;

import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * "Transformers are GNNs": multi-head self-attention run as graph attention over the complete
 * graph equals the textbook dense computation softmax(Q K^T / sqrt(d)) V per head; over the
 * causal graph it equals the dense computation with a lower-triangular mask.
 */
class MultiHeadAttentionTest {
  /** Dense reference with explicit loops in double precision: [N, C] -> [N, C]. */
  private static float[] dense(float[] x, int n, int c, int heads, float[] w, float[] b,
                               float[] wo, float[] bo, boolean causal) {
    int hd = c / heads;
    double[][] qkv = new double[3][n * c];
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < c; o++) {
          double s = b[t * c + o];
          for (int k = 0; k < c; k++) s += (double) x[i * c + k] * w[(t * c + o) * c + k];
          qkv[t][i * c + o] = s;
        }
      }
    }
    double[] att = new double[n * c];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < n; i++) {
        double[] sc = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          if (causal && j > i) continue;
          double s = 0;
          for (int d = 0; d < hd; d++) s += qkv[0][i * c + h * hd + d] * qkv[1][j * c + h * hd + d];
          sc[j] = s / Math.sqrt(hd);
          max = Math.max(max, sc[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) if (!(causal && j > i)) z += Math.exp(sc[j] - max);
        for (int j = 0; j < n; j++) {
          if (causal && j > i) continue;
          double p = Math.exp(sc[j] - max) / z;
          for (int d = 0; d < hd; d++) att[i * c + h * hd + d] += p * qkv[2][j * c + h * hd + d];
        }
      }
    }
    float[] out = new float[n * c];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < c; o++) {
        double s = bo[o];
        for (int k = 0; k < c; k++) s += att[i * c + k] * wo[o * c + k];
        out[i * c + o] = (float) s;
      }
    }
    return out;
  }

  @Test
  void completeAndCausalGraphsEqualDenseAttention() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(8);
      int n = 9;
      int c = 12;
      MultiHeadAttention mha = new MultiHeadAttention(ctx, c, 3, r);
      for (Tensor p : mha.parameters()) {
        try (var s = ctx.noGrad()) {
          float[] d = p.data();
          for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * 0.3f;
        }
      }
      Tensor x = ctx.randn(r, n, c);
      var ps = mha.namedParameters();
      for (boolean causal : new boolean[] {false, true}) {
        float[] want = dense(x.data(), n, c, 3, ps.get("in_proj_weight").data(),
            ps.get("in_proj_bias").data(), ps.get("out_proj.weight").data(),
            ps.get("out_proj.bias").data(), causal);
        Tensor got = mha.forward(x, Graph.of(causal ? EdgeSets.causal(n) : EdgeSets.complete(n, true)));
        OpAssert.assertClose(causal ? "causal" : "complete", want, got.data(), 1e-5, 1e-4);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(9);
      MultiHeadAttention mha = new MultiHeadAttention(ctx, 6, 2, r);
      Tensor x = ctx.randn(r, 5, 6).requiresGrad(true);
      List<Tensor> ps = mha.parameters();
      Tensor[] leaves = new Tensor[ps.size() + 1];
      leaves[0] = x;
      for (int i = 0; i < ps.size(); i++) leaves[i + 1] = ps.get(i);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("mha causal", 9,
          in -> mha.forward(in[0], Graph.of(EdgeSets.causal(5))), leaves);
    }
  }
}
