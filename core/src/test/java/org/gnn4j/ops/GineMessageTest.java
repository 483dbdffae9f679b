package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
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
  void edgeFeaturesOfAnotherWidthAreNamed() {
    EdgeIndex g = RandomGraphs.uniform(4, 6, 1);
    try (Context ctx = Context.create()) {
      var err = assertThrows(IllegalArgumentException.class,
          () -> GineMessage.apply(ctx.zeros(4, 3), ctx.zeros(6, 2), g));
      assertTrue(err.getMessage().contains("gine_message: e has shape [6, 2], expected [6, 3]"), err.getMessage());
    }
  }
}
