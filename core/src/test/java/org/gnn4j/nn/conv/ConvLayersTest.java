package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/** Finite-difference gradients, options PyG users expect, and bad input for the conv layers. */
class ConvLayersTest {
  private static final Graph G = Graph.of(RandomGraphs.uniform(6, 14, 3));

  /** Checks d/dx and d/dparam of a layer by finite differences (parameters are leaves). */
  private static void gradCheck(String name, Context ctx, Module m, Function<Tensor, Tensor> f,
                                Tensor x) {
    List<Tensor> leaves = new ArrayList<>();
    leaves.add(x);
    leaves.addAll(m.parameters());
    // a small step: ReLU hidden units must not cross their kink between the two evaluations
    GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check(name, 3, in -> f.apply(in[0]),
        leaves.toArray(Tensor[]::new));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(3);
      Tensor x = ctx.randn(r, 6, 5).requiresGrad(true);
      Tensor ea = ctx.randn(r, 14, 3);
      GinConv gin = new GinConv(ctx, new Mlp(ctx, r, 5, 7, 4), 0.1f, true);
      gradCheck("gin", ctx, gin, in -> gin.forward(in, G), x);
      GineConv gine = new GineConv(ctx, new Mlp(ctx, r, 5, 7, 4), 0f, false, 3, r);
      gradCheck("gine", ctx, gine, in -> gine.forward(in, G, ea), x);
      SplittableRandom r2 = new SplittableRandom(11);
      Tensor wide = ctx.randn(r2, 14, 5);
      GineConv gineNoLin = new GineConv(ctx, new Mlp(ctx, r2, 5, 7, 4), 0f, false, 0, r2);
      assertTrue(gineNoLin.namedParameters().keySet().stream().noneMatch(k -> k.startsWith("lin")));
      gradCheck("gine edge_dim=None", ctx, gineNoLin, in -> gineNoLin.forward(in, G, wide), x);
      GatConv gat = new GatConv(ctx, GatConv.Config.of(5, 3, 2), r);
      gradCheck("gat", ctx, gat, in -> gat.forward(in, G), x);
      GatV2Conv gat2 = new GatV2Conv(ctx, GatConv.Config.of(5, 3, 2), r);
      gradCheck("gatv2", ctx, gat2, in -> gat2.forward(in, G), x);
      TransformerConv tb = new TransformerConv(ctx, TransformerConv.Config.of(5, 3, 2)
          .withBeta(true).withEdgeDim(3), r);
      gradCheck("transformer beta+edge", ctx, tb, in -> tb.forward(in, G, ea), x);
    }
  }

  @Test
  void ginWithAFixedZeroEpsGivesTheBitsOfTheScaledPath() {
    // eps fixed at 0 skips the (1 + eps) x product; a trainable eps of 0 still runs it
    float[][] outs = new float[2][];
    float[][] xGrads = new float[2][];
    List<float[]> paramGrads = new ArrayList<>();
    for (int trainEps = 0; trainEps < 2; trainEps++) {
      try (Context ctx = Context.create()) {
        SplittableRandom r = new SplittableRandom(21);
        Tensor x = ctx.randn(r, 6, 5).requiresGrad(true);
        GinConv gin = new GinConv(ctx, new Mlp(ctx, r, 5, 7, 4), 0f, trainEps == 1);
        Tensor out = gin.forward(x, G);
        out.mul(out).mean().backward();
        outs[trainEps] = out.data().clone();
        xGrads[trainEps] = x.gradArray().clone();
        for (var e : gin.namedParameters().entrySet()) {
          if (!e.getKey().equals("eps")) paramGrads.add(e.getValue().gradArray().clone());
        }
      }
    }
    assertArrayEquals(outs[0], outs[1], "output");
    assertArrayEquals(xGrads[0], xGrads[1], "d x");
    int half = paramGrads.size() / 2;
    for (int i = 0; i < half; i++) {
      assertArrayEquals(paramGrads.get(i),
          paramGrads.get(half + i), "parameter " + i);
    }
  }

  @Test
  void betaGatingMixesSkipAndAttention() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(4);
      TransformerConv t = new TransformerConv(ctx, TransformerConv.Config.of(5, 3, 2).withBeta(true), r);
      assertTrue(t.namedParameters().containsKey("lin_beta.weight"));
      assertEquals(1, t.namedParameters().get("lin_beta.weight").dim(0));
      assertEquals(18, t.namedParameters().get("lin_beta.weight").dim(1));  // 3 * H * C
      Tensor out = t.forward(ctx.randn(r, 6, 5), G);
      assertEquals(6, out.dim(0));
      assertEquals(6, out.dim(1));
    }
  }

  @Test
  void gatMeanOverHeadsAndAttentionDropoutIsSeeded() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(5);
      GatConv.Config c = new GatConv.Config(5, 3, 4, false, 0.2f, 0.5f, true, true);
      GatConv gat = new GatConv(ctx, c, r);
      Tensor x = ctx.randn(r, 6, 5);
      gat.eval();
      assertEquals(3, gat.forward(x, G).dim(1));
      float[] plain = gat.forward(x, G).data();
      // dropout draws from the context's random stream in training mode
      gat.train(true);
      float[] a;
      float[] b;
      try (var s = ctx.withRandom(new SplittableRandom(9))) {
        a = gat.forward(x, G).data();
      }
      try (var s = ctx.withRandom(new SplittableRandom(9))) {
        b = gat.forward(x, G).data();
      }
      assertTrue(java.util.Arrays.equals(a, b), "same seed, same dropout mask");
      assertTrue(!java.util.Arrays.equals(a, plain), "dropout changed nothing");
    }
  }

  @Test
  void missingEdgeFeaturesAndWrongWidthsAreNamed() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(6);
      GineConv gine = new GineConv(ctx, new Mlp(ctx, r, 5, 4), 0f, false, 3, r);
      Tensor x = ctx.randn(r, 6, 5);
      var e = assertThrows(IllegalArgumentException.class, () -> gine.forward(x, G, null));
      assertEquals("GineConv: edge features are required (edgeDim = 3) but none were given",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> gine.forward(x, G, ctx.zeros(14, 2)));
      assertTrue(e.getMessage().contains("[14, 2]") && e.getMessage().contains("[14, 3]"),
          e.getMessage());
      GatConv gat = new GatConv(ctx, GatConv.Config.of(4, 3, 2), r);
      e = assertThrows(IllegalArgumentException.class, () -> gat.forward(x, G));
      assertEquals("GatConv: x has 5 features, expected 4", e.getMessage());
      TransformerConv t = new TransformerConv(ctx, TransformerConv.Config.of(5, 3, 2), r);
      e = assertThrows(IllegalArgumentException.class, () -> t.forward(x, G, ctx.zeros(14, 2)));
      assertTrue(e.getMessage().contains("edgeDim = 0"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> t.forward(ctx.zeros(7, 5), G));
      assertTrue(e.getMessage().contains("[7, 5]") && e.getMessage().contains("6 nodes"), e.getMessage());
    }
  }
}
