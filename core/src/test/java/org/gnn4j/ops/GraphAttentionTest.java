package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GraphAttentionTest {
  private static final long SEED = 2024;

  /** Naive attention in double: explicit scores, per-node softmax, weighted sum and backward. */
  private record Reference(float[] out, float[] dq, float[] dk, float[] dv, float[] dEkv,
                           float[] dBias) {
    static Reference of(EdgeIndex g, float[] q, float[] k, float[] v, float[] ekv, float[] bias,
                        float scale, int heads, int ch, float[] dOut) {
      int nd = g.numDstNodes();
      int ns = g.numSrcNodes();
      int ne = g.numEdges();
      int[] src = g.src();
      int[] dst = g.dst();
      double[] s = new double[ne * heads];
      double[] dAlpha = new double[ne * heads];
      double[] out = new double[nd * heads * ch];
      double[] dq = new double[nd * heads * ch];
      double[] dk = new double[ns * heads * ch];
      double[] dv = new double[ns * heads * ch];
      double[] dEkv = new double[ne * heads * ch];
      double[] dBias = new double[ne * heads];
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < nd; i++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int e = 0; e < ne; e++) {
            if (dst[e] != i) continue;
            double dot = 0;
            for (int c = 0; c < ch; c++) {
              double key = k[(src[e] * heads + h) * ch + c]
                  + (ekv == null ? 0 : ekv[(e * heads + h) * ch + c]);
              dot += q[(i * heads + h) * ch + c] * key;
            }
            s[e * heads + h] = scale * dot + (bias == null ? 0 : bias[e * heads + h]);
            max = Math.max(max, s[e * heads + h]);
          }
          double z = 0;
          for (int e = 0; e < ne; e++) if (dst[e] == i) z += Math.exp(s[e * heads + h] - max);
          double sumAd = 0;                                   // sum_e alpha_e * dAlpha_e
          for (int e = 0; e < ne; e++) {
            if (dst[e] != i) continue;
            double alpha = Math.exp(s[e * heads + h] - max) / z;
            s[e * heads + h] = alpha;                          // s now holds alpha
            double da = 0;
            for (int c = 0; c < ch; c++) {
              double val = v[(src[e] * heads + h) * ch + c]
                  + (ekv == null ? 0 : ekv[(e * heads + h) * ch + c]);
              out[(i * heads + h) * ch + c] += alpha * val;
              da += dOut[(i * heads + h) * ch + c] * val;
            }
            dAlpha[e * heads + h] = da;
            sumAd += alpha * da;
          }
          for (int e = 0; e < ne; e++) {
            if (dst[e] != i) continue;
            int eh = e * heads + h;
            double alpha = s[eh];
            double dsc = alpha * (dAlpha[eh] - sumAd);         // softmax Jacobian
            dBias[eh] = dsc;
            for (int c = 0; c < ch; c++) {
              int qi = (i * heads + h) * ch + c;
              int kj = (src[e] * heads + h) * ch + c;
              int ei = (e * heads + h) * ch + c;
              double key = k[kj] + (ekv == null ? 0 : ekv[ei]);
              dq[qi] += scale * dsc * key;
              dk[kj] += scale * dsc * q[qi];
              dv[kj] += alpha * dOut[qi];
              dEkv[ei] += scale * dsc * q[qi] + alpha * dOut[qi];
            }
          }
        }
      }
      return new Reference(f(out), f(dq), f(dk), f(dv), f(dEkv), f(dBias));
    }

    private static float[] f(double[] d) {
      float[] r = new float[d.length];
      for (int i = 0; i < d.length; i++) r[i] = (float) d[i];
      return r;
    }
  }

  private static List<RandomGraphs.Case> graphs() {
    List<RandomGraphs.Case> cases = new ArrayList<>(RandomGraphs.edgeCases(SEED));
    cases.add(new RandomGraphs.Case("random-40x300", RandomGraphs.uniform(40, 300, SEED)));
    SplittableRandom r = new SplittableRandom(SEED);
    int[] src = new int[50];
    int[] dst = new int[50];
    for (int e = 0; e < 50; e++) {
      src[e] = r.nextInt(9);
      dst[e] = r.nextInt(4);
    }
    cases.add(new RandomGraphs.Case("bipartite-9to4", EdgeIndex.bipartite(src, dst, 9, 4)));
    return cases;
  }

  @Test
  void forwardAndAllGradientsMatchNaiveReference() {
    int heads = 2;
    int ch = 5;
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).seed(SEED).kernels(kernels).build()) {
        for (RandomGraphs.Case gc : graphs()) {
          for (int variant = 0; variant < 4; variant++) {
            boolean withEkv = (variant & 1) != 0;
            boolean withBias = (variant & 2) != 0;
            String what = kernels.name() + " " + gc + " edgeKv=" + withEkv + " bias=" + withBias
                + " seed=" + SEED;
            EdgeIndex g = gc.edges();
            SplittableRandom r = new SplittableRandom(SEED + variant);
            Tensor q = ctx.randn(r, g.numDstNodes(), heads, ch).requiresGrad(true);
            Tensor k = ctx.randn(r, g.numSrcNodes(), heads, ch).requiresGrad(true);
            Tensor v = ctx.randn(r, g.numSrcNodes(), heads, ch).requiresGrad(true);
            Tensor ekv = withEkv ? ctx.randn(r, g.numEdges(), heads, ch).requiresGrad(true) : null;
            Tensor bias = withBias ? ctx.randn(r, g.numEdges(), heads).requiresGrad(true) : null;
            float scale = 0.7f;
            Tensor out = GraphAttention.apply(g, q, k, v, ekv, bias, scale);
            float[] dOut = ctx.randn(r, g.numDstNodes(), heads, ch).data();
            Reference ref = Reference.of(g, q.data(), k.data(), v.data(),
                ekv == null ? null : ekv.data(), bias == null ? null : bias.data(), scale, heads,
                ch, dOut);
            OpAssert.assertClose(what + " out", ref.out, out.data(), 1e-5, 1e-4);
            Autograd.backward(out, dOut);
            OpAssert.assertClose(what + " dq", ref.dq, q.gradArray(), 1e-4, 1e-3);
            OpAssert.assertClose(what + " dk", ref.dk, k.gradArray(), 1e-4, 1e-3);
            OpAssert.assertClose(what + " dv", ref.dv, v.gradArray(), 1e-4, 1e-3);
            if (ekv != null) {
              OpAssert.assertClose(what + " dEdgeKv", ref.dEkv, ekv.gradArray(), 1e-4, 1e-3);
            }
            if (bias != null) {
              OpAssert.assertClose(what + " dBias", ref.dBias, bias.gradArray(), 1e-4, 1e-3);
            }
          }
        }
      }
    }
  }

  @Test
  void graphWithoutEdgesGivesZeroOutputAndZeroGradients() {
    try (Context ctx = Context.builder().threads(2).seed(SEED).kernels(Kernels.vector()).build()) {
      EdgeIndex g = EdgeIndex.of(new int[0], new int[0], 4);
      SplittableRandom r = new SplittableRandom(SEED);
      Tensor q = ctx.randn(r, 4, 2, 3).requiresGrad(true);
      Tensor k = ctx.randn(r, 4, 2, 3).requiresGrad(true);
      Tensor v = ctx.randn(r, 4, 2, 3).requiresGrad(true);
      Tensor out = GraphAttention.apply(g, q, k, v);
      assertArrayEquals(new float[24], out.data());
      Autograd.backward(out, ctx.ones(4, 2, 3).data());
      assertArrayEquals(new float[24], q.gradArray());
      assertArrayEquals(new float[24], k.gradArray());
      assertArrayEquals(new float[24], v.gradArray());
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).seed(SEED).kernels(kernels).build()) {
        for (RandomGraphs.Case gc : graphs()) {
          EdgeIndex g = gc.edges();
          if (g.numEdges() == 0) continue;
          SplittableRandom r = new SplittableRandom(SEED);
          int heads = 2;
          int ch = 3;
          Tensor q = ctx.randn(r, g.numDstNodes(), heads, ch).requiresGrad(true);
          Tensor k = ctx.randn(r, g.numSrcNodes(), heads, ch).requiresGrad(true);
          Tensor v = ctx.randn(r, g.numSrcNodes(), heads, ch).requiresGrad(true);
          Tensor ekv = ctx.randn(r, g.numEdges(), heads, ch).requiresGrad(true);
          Tensor bias = ctx.randn(r, g.numEdges(), heads).requiresGrad(true);
          GradCheck check = GradCheck.defaults().maxElements(gc.name().startsWith("hub") ? 8 : 24);
          check.check(kernels.name() + " " + gc + " full", SEED,
              in -> GraphAttention.apply(g, in[0], in[1], in[2], in[3], in[4], 0.5f),
              q, k, v, ekv, bias);
          check.check(kernels.name() + " " + gc + " plain", SEED,
              in -> GraphAttention.apply(g, in[0], in[1], in[2]), q, k, v);
        }
      }
    }
  }

  @Test
  void onlyInputsThatRequireGradGetOne() {
    try (Context ctx = Context.builder().threads(1).seed(SEED).kernels(Kernels.scalar()).build()) {
      EdgeIndex g = RandomGraphs.uniform(6, 15, SEED);
      SplittableRandom r = new SplittableRandom(SEED);
      Tensor q = ctx.randn(r, 6, 1, 4);
      Tensor k = ctx.randn(r, 6, 1, 4);
      Tensor v = ctx.randn(r, 6, 1, 4).requiresGrad(true);
      Tensor bias = ctx.randn(r, 15, 1).requiresGrad(true);
      Tensor out = GraphAttention.apply(g, q, k, v, null, bias, 1f);
      Autograd.backward(out, ctx.ones(6, 1, 4).data());
      assertTrue(q.gradArray() == null && k.gradArray() == null);
      assertTrue(v.gradArray() != null && bias.gradArray() != null);
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = Context.builder().threads(1).seed(SEED).kernels(Kernels.scalar()).build()) {
      EdgeIndex g = RandomGraphs.uniform(5, 10, SEED);
      Tensor x = ctx.ones(5, 2, 4).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        Tensor out = GraphAttention.apply(g, x, x, x);
        assertTrue(out.isLeaf() && !out.requiresGrad());
      }
      assertTrue(GraphAttention.apply(g, x, x, x).requiresGrad());
    }
  }

  private static void assertRejects(String[] fragments, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }
  }

  @Test
  void rejectsMismatchedShapesNamingOpAndShapes() {
    try (Context ctx = Context.builder().threads(1).kernels(Kernels.scalar()).build()) {
      EdgeIndex g = EdgeIndex.bipartite(new int[] {0, 1, 2}, new int[] {0, 1, 1}, 3, 2);
      Tensor q = ctx.zeros(2, 2, 4);
      Tensor k = ctx.zeros(3, 2, 4);
      Tensor v = ctx.zeros(3, 2, 4);
      assertRejects(new String[] {"graphAttention", "q", "[3, 2, 4]", "2 rows"},
          () -> GraphAttention.apply(g, ctx.zeros(3, 2, 4), k, v));
      assertRejects(new String[] {"graphAttention", "k", "[4, 2, 4]", "[3, 2, 4]"},
          () -> GraphAttention.apply(g, q, ctx.zeros(4, 2, 4), v));
      assertRejects(new String[] {"graphAttention", "k", "[3, 3, 4]", "[3, 2, 4]"},
          () -> GraphAttention.apply(g, q, ctx.zeros(3, 3, 4), v));
      assertRejects(new String[] {"graphAttention", "k", "[3, 2, 5]", "[3, 2, 4]"},
          () -> GraphAttention.apply(g, q, ctx.zeros(3, 2, 5), v));
      assertRejects(new String[] {"graphAttention", "v", "[3, 2, 5]", "[3, 2, 4]"},
          () -> GraphAttention.apply(g, q, k, ctx.zeros(3, 2, 5)));
      assertRejects(new String[] {"graphAttention", "edgeKv", "[4, 2, 4]", "[3, 2, 4]"},
          () -> GraphAttention.apply(g, q, k, v, ctx.zeros(4, 2, 4), null, 1f));
      assertRejects(new String[] {"graphAttention", "scoreBias", "[3, 1]", "[3, 2]"},
          () -> GraphAttention.apply(g, q, k, v, null, ctx.zeros(3, 1), 1f));
      assertRejects(new String[] {"graphAttention", "q", "[2, 8]", "rank 3"},
          () -> GraphAttention.apply(g, ctx.zeros(2, 8), k, v));
    }
  }
}
