package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * "A Transformer is a GNN on the complete graph": the encoder layer run as graph attention
 * equals a dense textbook implementation written with plain loops, in outputs and in input
 * gradients (the reference's gradients by central differences in double precision).
 */
class TransformerEncoderLayerTest {
  private static final int N = 5;
  private static final int C = 6;
  private static final int H = 2;
  private static final int FF = 7;

  /** Dense multi-head attention softmax(Q K^T / sqrt(d) + mask) V, then out_proj. */
  private static double[] denseMha(TransformerEncoderLayer l, double[] x, boolean causal) {
    double[] qkv = LoopRef.linear(x, N, C, LoopRef.p(l, "self_attn.in_proj_weight"),
        LoopRef.p(l, "self_attn.in_proj_bias"));                       // [N, 3C]
    int d = C / H;
    double[] att = new double[N * C];
    for (int h = 0; h < H; h++) {
      for (int i = 0; i < N; i++) {
        int keys = causal ? i + 1 : N;
        double[] s = new double[keys];
        for (int j = 0; j < keys; j++) {
          for (int c = 0; c < d; c++) {
            s[j] += qkv[i * 3 * C + h * d + c] * qkv[j * 3 * C + C + h * d + c];
          }
          s[j] /= Math.sqrt(d);
        }
        LoopRef.softmax(s);
        for (int j = 0; j < keys; j++) {
          for (int c = 0; c < d; c++) {
            att[i * C + h * d + c] += s[j] * qkv[j * 3 * C + 2 * C + h * d + c];
          }
        }
      }
    }
    return LoopRef.linear(att, N, C, LoopRef.p(l, "self_attn.out_proj.weight"),
        LoopRef.p(l, "self_attn.out_proj.bias"));
  }

  private static double[] dense(TransformerEncoderLayer l, double[] x, boolean causal) {
    boolean pre = l.config().normFirst();
    double[] a = pre ? norm(l, "norm1", x) : x;
    double[] x1 = LoopRef.add(x, denseMha(l, a, causal));
    if (!pre) x1 = norm(l, "norm1", x1);
    double[] b = pre ? norm(l, "norm2", x1) : x1;
    double[] f = LoopRef.linear(LoopRef.relu(LoopRef.linear(b, N, C, LoopRef.p(l,
        "linear1.weight"), LoopRef.p(l, "linear1.bias"))), N, FF, LoopRef.p(l, "linear2.weight"),
        LoopRef.p(l, "linear2.bias"));
    double[] out = LoopRef.add(x1, f);
    return pre ? out : norm(l, "norm2", out);
  }

  private static double[] norm(TransformerEncoderLayer l, String name, double[] x) {
    return LoopRef.layerNorm(x, N, C, LoopRef.p(l, name + ".weight"), LoopRef.p(l, name + ".bias"));
  }

  @Test
  void equalsDenseLoopsInOutputsAndInputGradients() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(41);
      for (boolean normFirst : new boolean[] {false, true}) {
        for (boolean causal : new boolean[] {false, true}) {
          String what = (normFirst ? "pre-norm" : "post-norm") + (causal ? " causal" : "");
          var l = new TransformerEncoderLayer(ctx,
              new TransformerEncoderLayer.Config(C, H, FF, normFirst), r);
          LoopRef.randomize(l, r, 0.4f);
          Tensor x = ctx.randn(r, N, C).requiresGrad(true);
          Tensor out = causal ? l.forward(x, Graph.of(EdgeSets.causal(N))) : l.forward(x);
          double[] xd = LoopRef.toDouble(x.data());
          double[] want = dense(l, xd, causal);
          OpAssert.assertClose(what + " out", LoopRef.toFloat(want), out.data(), 2e-5, 2e-4);
          // loss = sum(out * w) for a fixed w; d loss / d x by autograd and by the reference
          float[] w = new float[N * C];
          for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
          Autograd.backward(out, w);
          float[] numeric = new float[N * C];
          for (int i = 0; i < xd.length; i++) {
            double keep = xd[i];
            xd[i] = keep + 1e-6;
            double plus = dot(dense(l, xd, causal), w);
            xd[i] = keep - 1e-6;
            double minus = dot(dense(l, xd, causal), w);
            xd[i] = keep;
            numeric[i] = (float) ((plus - minus) / 2e-6);
          }
          OpAssert.assertClose(what + " dx", numeric, x.gradArray(), 2e-4, 2e-3);
        }
      }
    }
  }

  private static double dot(double[] a, float[] w) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * w[i];
    return s;
  }

  @Test
  void parameterGradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(42);
      for (boolean normFirst : new boolean[] {false, true}) {
        var l = new TransformerEncoderLayer(ctx, new TransformerEncoderLayer.Config(4, 2, 5,
            normFirst), r);
        Tensor x = ctx.randn(r, 4, 4).requiresGrad(true);
        GradCheck.defaults().eps(1e-3).tolerance(4e-3, 4e-2).maxElements(24).check(
            "encoder normFirst=" + normFirst, 42, in -> l.forward(in[0]), LoopRef.leaves(l, x));
      }
    }
  }

  @Test
  void torchParameterNamesAndBadInput() {
    try (Context ctx = Context.create()) {
      var l = new TransformerEncoderLayer(ctx, new TransformerEncoderLayer.Config(C, H, FF,
          false), new SplittableRandom(43));
      for (String name : new String[] {"self_attn.in_proj_weight", "self_attn.out_proj.bias",
          "linear1.weight", "linear2.bias", "norm1.weight", "norm2.bias"}) {
        assertTrue(l.namedParameters().containsKey(name), name);
      }
      var e = assertThrows(IllegalArgumentException.class, () -> l.forward(ctx.zeros(N, C + 1)));
      assertTrue(e.getMessage().contains("[5, 7]") && e.getMessage().contains("[5, 6]"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(N, C), Graph.of(EdgeSets.complete(N + 1, true))));
      assertTrue(e.getMessage().contains("[6, 6]"), e.getMessage());
    }
  }
}
