package org.gnn4j.graph;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.MultiHeadAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;

/**
 * "A Transformer is a GNN on the complete graph": the attention layers run on an edge-set
 * pattern equal a dense multi-head attention with the matching boolean mask, written here with
 * plain loops in double precision. Forward values are compared directly; gradients of
 * sum(out * r) with respect to the input and every parameter are compared with central finite
 * differences of the dense reference (in double, so the reference gradient is exact to ~1e-8).
 */
class SparseTransformerTest {
  private static final int N = 9;
  private static final int C = 8;
  private static final int H = 2;

  /** A pattern and the dense mask rule it must equal: mask(i, j) = query i sees key j. */
  private record Case(String name, EdgeIndex pattern, BiPredicate<Integer, Integer> mask) {}

  private static List<Case> cases() {
    return List.of(
        new Case("complete", EdgeSets.complete(N, true), (i, j) -> true),
        new Case("causal", EdgeSets.causal(N), (i, j) -> j <= i),
        new Case("band w=3", AttentionPatterns.longformer(N, 3, 1, false),
            (i, j) -> Math.abs(i - j) <= 1),
        new Case("causal band w=5 dilation 2 + global 4", AttentionPatterns.longformer(N, 5, 2,
            true, 4), (i, j) -> j <= i && ((i - j <= 4 && (i - j) % 2 == 0) || i == 4 || j == 4)));
  }

  @Test
  void multiHeadAttentionEqualsMaskedDenseAttention() {
    for (Context ctx : new Context[] {Contexts.scalar(1), Contexts.vector(2)}) {
      try (ctx) {
        for (Case c : cases()) {
          SplittableRandom r = new SplittableRandom(21);
          MultiHeadAttention mha = new MultiHeadAttention(ctx, C, H, r);
          check(ctx, "MultiHeadAttention " + c.name(), mha, x -> mha.forward(x, Graph.of(c.pattern())),
              in -> denseMha(in, c.mask()), r);
        }
      }
    }
  }

  @Test
  void transformerConvEqualsMaskedDenseAttention() {
    for (Context ctx : new Context[] {Contexts.scalar(1), Contexts.vector(2)}) {
      try (ctx) {
        for (Case c : cases()) {
          SplittableRandom r = new SplittableRandom(22);
          TransformerConv conv =
              new TransformerConv(ctx, TransformerConv.Config.of(C, C / H, H), r);
          check(ctx, "TransformerConv " + c.name(), conv, x -> conv.forward(x, Graph.of(c.pattern())),
              in -> denseConv(in, c.mask()), r);
        }
      }
    }
  }

  /**
   * Compares forward values and the gradients of sum(out * r) for x and every parameter.
   * The reference gets inputs {x, params in namedParameters order} as double arrays.
   */
  private static void check(Context ctx, String what, Module m, Function<Tensor, Tensor> layer,
                            Function<double[][], double[]> ref, SplittableRandom r) {
    Tensor x = ctx.randn(r, N, C).requiresGrad(true);
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(x);
    inputs.addAll(m.namedParameters().values());
    double[][] in = new double[inputs.size()][];
    for (int t = 0; t < in.length; t++) in[t] = toDouble(inputs.get(t).data());
    Tensor out = layer.apply(x);
    double[] expected = ref.apply(in);
    assertClose(what + ": forward", expected, toDouble(out.data()), 1e-5, 1e-4);
    float[] proj = new float[out.numel()];
    for (int t = 0; t < proj.length; t++) proj[t] = (float) (r.nextDouble() * 2 - 1);
    for (Tensor t : inputs) t.zeroGrad();
    out.mul(ctx.tensor(proj, out.dim(0), out.dim(1))).sum().backward();
    for (int t = 0; t < in.length; t++) {
      float[] got = inputs.get(t).gradArray();
      double[] numeric = new double[in[t].length];
      for (int e = 0; e < in[t].length; e++) {
        double orig = in[t][e];
        in[t][e] = orig + 1e-4;
        double plus = dot(ref.apply(in), proj);
        in[t][e] = orig - 1e-4;
        double minus = dot(ref.apply(in), proj);
        in[t][e] = orig;
        numeric[e] = (plus - minus) / 2e-4;
      }
      if (got == null) got = new float[in[t].length];
      assertClose(what + ": gradient of input " + t, numeric, toDouble(got), 1e-4, 1e-3);
    }
  }

  /** torch.nn.MultiheadAttention, boolean mask: in = {x, in_proj w, in_proj b, out w, out b}. */
  private static double[] denseMha(double[][] in, BiPredicate<Integer, Integer> mask) {
    double[] x = in[0];
    double[] q = linear(x, in[1], in[2], 0, C);
    double[] k = linear(x, in[1], in[2], C, C);
    double[] v = linear(x, in[1], in[2], 2 * C, C);
    double[] o = attend(q, k, v, mask, C / H);
    return linear(o, in[3], in[4], 0, C);
  }

  /** PyG TransformerConv: in = {x, key w, b, query w, b, value w, b, skip w, b}. */
  private static double[] denseConv(double[][] in, BiPredicate<Integer, Integer> mask) {
    double[] x = in[0];
    double[] k = linear(x, in[1], in[2], 0, C);
    double[] q = linear(x, in[3], in[4], 0, C);
    double[] v = linear(x, in[5], in[6], 0, C);
    double[] o = attend(q, k, v, mask, C / H);
    double[] skip = linear(x, in[7], in[8], 0, C);
    for (int t = 0; t < o.length; t++) o[t] += skip[t];
    return o;
  }

  /** y[i, o] = sum_c w[rowOffset + o, c] x[i, c] + b[rowOffset + o], o < outDim. */
  private static double[] linear(double[] x, double[] w, double[] b, int rowOffset, int outDim) {
    double[] y = new double[N * outDim];
    for (int i = 0; i < N; i++) {
      for (int o = 0; o < outDim; o++) {
        double s = b[rowOffset + o];
        for (int c = 0; c < C; c++) s += w[(rowOffset + o) * C + c] * x[i * C + c];
        y[i * outDim + o] = s;
      }
    }
    return y;
  }

  /** Per head: softmax over allowed keys of q.k / sqrt(hd), then the weighted sum of values. */
  private static double[] attend(double[] q, double[] k, double[] v,
                                 BiPredicate<Integer, Integer> mask, int hd) {
    double[] out = new double[N * C];
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      for (int h = 0; h < H; h++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < N; j++) {
          if (!mask.test(i, j)) continue;
          double s = 0;
          for (int c = 0; c < hd; c++) s += q[i * C + h * hd + c] * k[j * C + h * hd + c];
          w[j] = s / Math.sqrt(hd);
          max = Math.max(max, w[j]);
        }
        double z = 0;
        for (int j = 0; j < N; j++) if (mask.test(i, j)) z += (w[j] = Math.exp(w[j] - max));
        for (int j = 0; j < N; j++) {
          if (!mask.test(i, j)) continue;
          for (int c = 0; c < hd; c++) out[i * C + h * hd + c] += w[j] / z * v[j * C + h * hd + c];
        }
      }
    }
    return out;
  }

  private static double dot(double[] a, float[] b) {
    double s = 0;
    for (int t = 0; t < a.length; t++) s += a[t] * b[t];
    return s;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int t = 0; t < a.length; t++) d[t] = a[t];
    return d;
  }

  private static void assertClose(String what, double[] expected, double[] got, double atol,
                                  double rtol) {
    if (expected.length != got.length) {
      fail(what + ": length " + got.length + " != " + expected.length);
    }
    for (int t = 0; t < got.length; t++) {
      double tol = atol + rtol * Math.abs(expected[t]);
      if (!(Math.abs(expected[t] - got[t]) <= tol)) {
        fail(what + ": element " + t + " expected " + expected[t] + " got " + got[t]);
      }
    }
  }
}
