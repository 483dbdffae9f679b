package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * The blocked linear attention equals a naive O(N^2) evaluation of the same formula (every
 * query against every key of its graph, in double), with and without PyG's padding keys, on
 * graphs larger than one block (512 nodes) split over two threads, a one-node graph and an
 * empty graph; its gradients match finite differences.
 */
class LinearAttentionTest {
  private static final float EPS = 1e-3f;

  /** out_i = sum_j a_ij v_j / (sum_j a_ij + pad_g a_i,pad), a_ij = phi(q_i) . phi(k_j). */
  private static float[] naive(float[] q, float[] k, float[] v, float[] w, int m, int[] ptr,
                               int heads, int c, float[] padKey) {
    float[] out = new float[q.length];
    int n = q.length / (heads * c);
    double[][] pq = new double[n * heads][];
    double[][] pk = new double[n * heads][];
    for (int r = 0; r < n * heads; r++) {
      pq[r] = phi(q, r * c, w, m, c);
      pk[r] = phi(k, r * c, w, m, c);
    }
    int max = 0;
    for (int g = 0; g + 1 < ptr.length; g++) max = Math.max(max, ptr[g + 1] - ptr[g]);
    for (int g = 0; g + 1 < ptr.length; g++) {
      int pad = max - (ptr[g + 1] - ptr[g]);
      for (int h = 0; h < heads; h++) {
        double[] pp = padKey == null ? null : phi(padKey, h * c, w, m, c);
        for (int i = ptr[g]; i < ptr[g + 1]; i++) {
          double[] a = pq[i * heads + h];
          double den = 0;
          double[] num = new double[c];
          for (int j = ptr[g]; j < ptr[g + 1]; j++) {
            double[] b = pk[j * heads + h];
            double s = 0;
            for (int f = 0; f < m; f++) s += a[f] * b[f];
            den += s;
            for (int d = 0; d < c; d++) num[d] += s * v[(j * heads + h) * c + d];
          }
          if (pp != null) for (int f = 0; f < m; f++) den += pad * a[f] * pp[f];
          for (int d = 0; d < c; d++) out[(i * heads + h) * c + d] = (float) (num[d] / den);
        }
      }
    }
    return out;
  }

  private static double[] phi(float[] x, int off, float[] w, int m, int c) {
    double[] p = new double[m];
    for (int f = 0; f < m; f++) {
      double s = 0;
      for (int d = 0; d < c; d++) s += (double) x[off + d] * w[f * c + d];
      p[f] = Math.max(s, 0) + EPS;
    }
    return p;
  }

  private static int[] ptr(int... sizes) {
    int[] p = new int[sizes.length + 1];
    for (int g = 0; g < sizes.length; g++) p[g + 1] = p[g] + sizes[g];
    return p;
  }

  @Test
  void equalsNaiveQuadraticReference() {
    // 1300 nodes: two threads of 650 nodes, each more than one 512-node block
    int[][] batches = {ptr(1300), ptr(1, 70, 5, 600, 0, 260, 400), ptr(3, 0, 4)};
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (int[] p : batches) {
        for (boolean padded : new boolean[] {false, true}) {
          try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
            SplittableRandom r = new SplittableRandom(p[p.length - 1]);
            int n = p[p.length - 1];
            int heads = 2;
            int c = 8;
            int m = 11;
            Tensor q = ctx.randn(r, n, heads * c);
            Tensor k = ctx.randn(r, n, heads * c);
            Tensor v = ctx.randn(r, n, heads * c);
            Tensor w = ctx.randn(r, m, c);
            Tensor pad = padded ? ctx.randn(r, heads * c) : null;
            Tensor out = LinearAttention.apply(q, k, v, heads, w, p, EPS, pad);
            float[] ref = naive(q.data(), k.data(), v.data(), w.data(), m, p, heads, c,
                padded ? pad.data() : null);
            OpAssert.assertClose(kernels.name() + " n=" + n + " padded=" + padded, ref,
                out.data(), 1e-5, 1e-3);
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(3);
      Tensor q = ctx.randn(r, 9, 6).requiresGrad(true);
      Tensor k = ctx.randn(r, 9, 6).requiresGrad(true);
      Tensor v = ctx.randn(r, 9, 6).requiresGrad(true);
      Tensor pad = ctx.randn(r, 6).requiresGrad(true);
      Tensor w = ctx.randn(r, 5, 3);
      int[] p = {0, 4, 4, 9, 9};
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("linear attention, padded", 3,
          in -> LinearAttention.apply(in[0], in[1], in[2], 2, w, p, EPS, in[3]), q, k, v, pad);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("linear attention", 4,
          in -> LinearAttention.apply(in[0], in[1], in[2], 2, w, p, EPS, null), q, k, v);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesAcrossBlocksAndThreads() {
    try (Context ctx = Context.builder().threads(2).build()) {
      SplittableRandom r = new SplittableRandom(8);
      int n = 1100;
      Tensor q = ctx.randn(r, n, 8).requiresGrad(true);
      Tensor k = ctx.randn(r, n, 8).requiresGrad(true);
      Tensor v = ctx.randn(r, n, 8).requiresGrad(true);
      Tensor w = ctx.randn(r, 6, 4);
      int[] p = {0, 540, 1100};
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).maxElements(12)
          .check("linear attention, 1100 nodes", 8,
              in -> LinearAttention.apply(in[0], in[1], in[2], 2, w, p, EPS, null), q, k, v);
    }
  }

  @Test
  void sameBitsRunToRunForOneThreadCount() {
    float[][] grads = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (Context ctx = Context.builder().threads(2).build()) {
        SplittableRandom r = new SplittableRandom(5);
        Tensor q = ctx.randn(r, 1300, 16).requiresGrad(true);
        Tensor k = ctx.randn(r, 1300, 16).requiresGrad(true);
        Tensor v = ctx.randn(r, 1300, 16).requiresGrad(true);
        Tensor w = ctx.randn(r, 13, 8);
        Tensor out = LinearAttention.apply(q, k, v, 2, w, new int[] {0, 1300}, EPS, null);
        Autograd.backward(out, ctx.randn(r, out.numel()).data());
        grads[run] = k.gradArray().clone();
      }
    }
    assertArrayEquals(grads[0], grads[1]);
  }

  @Test
  void rejectsBadShapesOffsetsAndEps() {
    try (Context ctx = Context.create()) {
      Tensor q = ctx.zeros(4, 6);
      Tensor w = ctx.zeros(5, 3);
      int[] p = {0, 4};
      var e1 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, q, q, 2, ctx.zeros(5, 4), p, EPS, null));
      assertTrue(e1.getMessage().contains("projection"), e1.getMessage());
      var e2 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, q, q, 2, w, new int[] {0, 3}, EPS, null));
      assertTrue(e2.getMessage().contains("graphPtr"), e2.getMessage());
      var e3 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, q, q, 2, w, p, 0f, null));
      assertTrue(e3.getMessage().contains("eps"), e3.getMessage());
      var e4 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, q, q, 2, w, p, EPS, ctx.zeros(3, 2)));
      assertTrue(e4.getMessage().contains("padKey"), e4.getMessage());
      var e5 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, ctx.zeros(4, 4), q, 2, w, p, EPS, null));
      assertTrue(e5.getMessage().contains("one shape"), e5.getMessage());
      var e6 = assertThrows(IllegalArgumentException.class,
          () -> LinearAttention.apply(q, q, q, 4, w, p, EPS, null));
      assertTrue(e6.getMessage().contains("H = 4"), e6.getMessage());
    }
  }
}
