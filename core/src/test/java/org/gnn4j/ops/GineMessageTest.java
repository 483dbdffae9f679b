package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class GineMessageTest {
  @Test
  void equalsTheUnfusedGatherAddReluScatterInValuesAndGradients() {
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(5)) {
      EdgeIndex g = c.edges();
      try (Context ctx = Context.builder().threads(2).build()) {
        SplittableRandom r = new SplittableRandom(9);
        Tensor x1 = ctx.randn(r, g.numSrcNodes(), 6).requiresGrad(true);
        Tensor e1 = ctx.randn(r, g.numEdges(), 6).requiresGrad(true);
        Tensor x2 = x1.detach().requiresGrad(true);
        Tensor e2 = e1.detach().requiresGrad(true);
        Tensor w = ctx.randn(r, g.numDstNodes(), 6);
        Tensor fused = GineMessage.apply(x1, e1, g);
        Tensor plain = Scatter.sum(Gather.src(x2, g).add(e2).relu(), g);
        assertArrayEquals(plain.data(), fused.data(), 1e-5f, c.name());
        fused.mul(w).sum().backward();
        plain.mul(w).sum().backward();
        assertArrayEquals(x2.gradArray(), x1.gradArray(), 1e-5f, c.name());
        assertArrayEquals(e2.gradArray(), e1.gradArray(), 1e-5f, c.name());
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    EdgeIndex g = RandomGraphs.uniform(7, 20, 3);
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(4);
      Tensor x = ctx.randn(r, 7, 3).requiresGrad(true);
      Tensor e = ctx.randn(r, 20, 3).requiresGrad(true);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("gine_message", 4,
          in -> GineMessage.apply(in[0], in[1], g), x, e);
    }
  }

  @Test
  void withSelfEqualsTheScaledSumOfTwoOpsBitForBitInValuesAndGradients() {
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(5)) {
      EdgeIndex g = c.edges();
      if (g.numSrcNodes() != g.numDstNodes()) continue;
      for (float s : new float[] {1f, 1.25f}) {
        for (int threads : new int[] {1, 2}) {
          try (Context ctx = Context.builder().threads(threads).build()) {
            SplittableRandom r = new SplittableRandom(17);
            Tensor x1 = ctx.randn(r, g.numSrcNodes(), 6).requiresGrad(true);
            Tensor e1 = ctx.randn(r, g.numEdges(), 6).requiresGrad(true);
            Tensor x2 = x1.detach().requiresGrad(true);
            Tensor e2 = e1.detach().requiresGrad(true);
            Tensor w = ctx.randn(r, g.numDstNodes(), 6);
            // x also feeds a residual, as in a model, so its gradient sums three parts in order
            Tensor fused = GineMessage.withSelf(x1, e1, g, s).relu().add(x1);
            Tensor plain = x2.mul(ctx.tensor(new float[] {s}, 1)).add(GineMessage.apply(x2, e2, g))
                .relu().add(x2);
            String what = c.name() + " s=" + s + " threads=" + threads;
            assertArrayEquals(plain.data(), fused.data(), 0f, what);
            fused.mul(w).sum().backward();
            plain.mul(w).sum().backward();
            assertArrayEquals(x2.gradArray(), x1.gradArray(), 0f, what + " dx");
            assertArrayEquals(e2.gradArray(), e1.gradArray(), 0f, what + " de");
          }
        }
      }
    }
  }

  @Test
  void withSelfGradientsMatchFiniteDifferences() {
    EdgeIndex g = RandomGraphs.uniform(7, 20, 3);
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(6);
      Tensor x = ctx.randn(r, 7, 3).requiresGrad(true);
      Tensor e = ctx.randn(r, 20, 3).requiresGrad(true);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("gine_message_self", 4,
          in -> GineMessage.withSelf(in[0], in[1], g, 1.5f), x, e);
    }
  }

  @Test
  void edgeFeaturesOfAnotherWidthAreNamed() {
    EdgeIndex g = RandomGraphs.uniform(4, 6, 1);
    try (Context ctx = Context.create()) {
      var err = assertThrows(IllegalArgumentException.class,
          () -> GineMessage.apply(ctx.zeros(4, 3), ctx.zeros(6, 2), g));
      assertTrue(err.getMessage().contains("gine_message: e has shape [6, 2], expected [6, 3]"), err.getMessage());
    }
  }

  @Test
  void projectedEqualsTheLinearThenMessageFormInValuesAndGradients() {
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(5)) {
      EdgeIndex g = c.edges();
      for (boolean bias : new boolean[] {true, false}) {
        for (int threads : new int[] {1, 2}) {
          try (Context ctx = Context.builder().threads(threads).build()) {
            SplittableRandom r = new SplittableRandom(13);
            Tensor x1 = ctx.randn(r, g.numSrcNodes(), 6).requiresGrad(true);
            Tensor a1 = ctx.randn(r, g.numEdges(), 3).requiresGrad(true);
            Tensor w1 = ctx.randn(r, 6, 3).requiresGrad(true);
            Tensor b1 = bias ? ctx.randn(r, 6).requiresGrad(true) : null;
            Tensor x2 = x1.detach().requiresGrad(true);
            Tensor a2 = a1.detach().requiresGrad(true);
            Tensor w2 = w1.detach().requiresGrad(true);
            Tensor b2 = bias ? b1.detach().requiresGrad(true) : null;
            Tensor probe = ctx.randn(r, g.numDstNodes(), 6);
            Tensor fused = GineMessage.projected(x1, a1, w1, b1, g);
            Tensor e = bias ? MatMul.linear(a2, w2, b2) : MatMul.matmul(a2, w2, false, true);
            Tensor plain = GineMessage.apply(x2, e, g);
            String what = c.name() + " bias=" + bias + " threads=" + threads;
            OpAssert.assertClose(what, plain.data(), fused.data(), 1e-5, 1e-5);
            fused.mul(probe).sum().backward();
            plain.mul(probe).sum().backward();
            OpAssert.assertClose(what + " dx", x2.gradArray(), x1.gradArray(), 1e-5, 1e-5);
            OpAssert.assertClose(what + " dattr", a2.gradArray(), a1.gradArray(), 1e-4, 1e-5);
            OpAssert.assertClose(what + " dw", w2.gradArray(), w1.gradArray(), 1e-4, 1e-5);
            if (bias) OpAssert.assertClose(what + " db", b2.gradArray(), b1.gradArray(), 1e-4, 1e-5);
          }
        }
      }
    }
  }

  @Test
  void projectedGradientsMatchFiniteDifferences() {
    EdgeIndex g = RandomGraphs.uniform(7, 20, 3);
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(5);
      Tensor x = ctx.randn(r, 7, 3).requiresGrad(true);
      Tensor a = ctx.randn(r, 20, 2).requiresGrad(true);
      Tensor w = ctx.randn(r, 3, 2).requiresGrad(true);
      Tensor b = ctx.randn(r, 3).requiresGrad(true);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("gine_message projected", 5,
          in -> GineMessage.projected(in[0], in[1], in[2], in[3], g), x, a, w, b);
    }
  }

  @Test
  void projectedNamesEveryShapeWhenTheyDoNotFit() {
    EdgeIndex g = RandomGraphs.uniform(4, 6, 1);
    try (Context ctx = Context.create()) {
      var err = assertThrows(IllegalArgumentException.class,
          () -> GineMessage.projected(ctx.zeros(4, 3), ctx.zeros(6, 2), ctx.zeros(3, 5), null, g));
      assertTrue(err.getMessage().contains("attr [6, D], w [F, D]")
          && err.getMessage().contains("w [3, 5]"), err.getMessage());
    }
  }
}
