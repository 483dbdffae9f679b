package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * Which attention path GatConv and GatV2Conv take (the fused ops unless attention dropout is
 * active in training) and that the paths agree where both apply.
 */
class GatPathsTest {
  private static final Graph G = Graph.of(RandomGraphs.uniform(9, 30, 2));

  private static GatConv gat(Context ctx, GatConv.Config c, SplittableRandom r, boolean train) {
    GatConv l = new GatConv(ctx, c, r);
    l.train(train);
    return l;
  }

  private static GatV2Conv gatV2(Context ctx, GatConv.Config c, SplittableRandom r,
                                 boolean train) {
    GatV2Conv l = new GatV2Conv(ctx, c, r);
    l.train(train);
    return l;
  }

  /** Forward in training mode with dropout drawing from {@code seed}. */
  private static Tensor trainForward(GraphLayer l, Context ctx, Tensor x, long seed) {
    try (var s = ctx.withRandom(new SplittableRandom(seed))) {
      return l.forward(x, G);
    }
  }

  @Test
  void fusedUnlessAttentionDropoutInTraining() {
    try (Context ctx = Context.builder().threads(2).build()) {
      SplittableRandom r = new SplittableRandom(1);
      GatConv.Config noDrop = GatConv.Config.of(5, 3, 2);
      GatConv.Config drop = new GatConv.Config(5, 3, 2, true, 0.2f, 0.5f, true, true);
      assertTrue(gat(ctx, noDrop, r, true).fusedPath());
      assertTrue(gat(ctx, drop, r, false).fusedPath());
      assertFalse(gat(ctx, drop, r, true).fusedPath());
      assertTrue(gatV2(ctx, noDrop, r, true).fusedPath());
      assertTrue(gatV2(ctx, drop, r, false).fusedPath());
      assertFalse(gatV2(ctx, drop, r, true).fusedPath());
    }
  }

  @Test
  void dropoutPathWithRateZeroEqualsTheFusedPath() {
    // Same weights, one layer with dropout 0 (fused), one built with dropout but run in eval
    // (fused) and in training with a tiny rate on the unfused path: compare the first two and
    // check the unfused path runs and keeps the output's shape.
    try (Context ctx = Context.builder().threads(2).build()) {
      Tensor x = ctx.randn(new SplittableRandom(3), 9, 5);
      for (boolean concat : new boolean[] {true, false}) {
        GatConv.Config fused = new GatConv.Config(5, 3, 2, concat, 0.2f, 0f, true, true);
        GatConv.Config unfused = new GatConv.Config(5, 3, 2, concat, 0.2f, 1e-9f, true, true);
        GatConv a = new GatConv(ctx, fused, new SplittableRandom(7));
        GatConv b = new GatConv(ctx, unfused, new SplittableRandom(7));
        Tensor ya = a.forward(x, G);
        b.train(true);
        Tensor yb = trainForward(b, ctx, x, 1);
        assertArrayEquals(ya.data(), yb.data(), 1e-5f, "gat concat=" + concat);
        GatV2Conv a2 = new GatV2Conv(ctx, fused, new SplittableRandom(7));
        GatV2Conv b2 = new GatV2Conv(ctx, unfused, new SplittableRandom(7));
        Tensor y2a = a2.forward(x, G);
        b2.train(true);
        Tensor y2b = trainForward(b2, ctx, x, 1);
        assertArrayEquals(y2a.data(), y2b.data(), 1e-5f, "gatv2 concat=" + concat);
        assertEquals(concat ? 6 : 3, y2a.dim(1));
      }
    }
  }

  @Test
  // Its numbers are checked by ConvParityTest: the PyG fixtures have in = 16 = 2 * H * C.
  void stackedProjectionOnlyForWideInputs() {
    try (Context ctx = Context.builder().threads(2).build()) {
      SplittableRandom r = new SplittableRandom(1);
      assertTrue(new GatV2Conv(ctx, GatConv.Config.of(12, 3, 2), r).stackedProjection());
      assertFalse(new GatV2Conv(ctx, GatConv.Config.of(11, 3, 2), r).stackedProjection());
    }
  }
}
