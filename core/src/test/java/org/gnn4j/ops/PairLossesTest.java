package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class PairLossesTest {
  @Test
  void bprMatchesHandValues() {
    try (Context ctx = Context.create()) {
      Tensor pos = ctx.tensor(new float[] {2f, 0f, -1f}, 3);
      Tensor neg = ctx.tensor(new float[] {0f, 0f, 1f}, 3);
      // mean of -ln sigmoid(2), ln 2, -ln sigmoid(-2)
      double want = (Math.log1p(Math.exp(-2)) + Math.log(2) + Math.log1p(Math.exp(2))) / 3;
      assertEquals(want, PairLosses.bpr(pos, neg).item(), 1e-6);
    }
  }

  @Test
  void bprIsStableForLargeDifferences() {
    try (Context ctx = Context.create()) {
      Tensor pos = ctx.tensor(new float[] {300f, -300f}, 2).requiresGrad(true);
      Tensor neg = ctx.tensor(new float[] {0f, 0f}, 2).requiresGrad(true);
      Tensor loss = PairLosses.bpr(pos, neg);
      assertEquals(150.0, loss.item(), 1e-3);           // (0 + 300) / 2
      loss.backward();
      assertArrayEquals(new float[] {0f, -0.5f}, pos.gradArray(), 1e-7f);
      assertArrayEquals(new float[] {0f, 0.5f}, neg.gradArray(), 1e-7f);
    }
  }

  @Test
  void bprGradientMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom rnd = new SplittableRandom(3);
      Tensor pos = ctx.randn(rnd, 9).requiresGrad(true);
      Tensor neg = ctx.randn(rnd, 9).requiresGrad(true);
      GradCheck.defaults().check("bpr", 1, in -> PairLosses.bpr(in[0], in[1]), pos, neg);
    }
  }

  @Test
  void anEmptyBatchIsZeroAndMismatchedShapesAreRefused() {
    try (Context ctx = Context.create()) {
      assertEquals(0f, PairLosses.bpr(ctx.zeros(0), ctx.zeros(0)).item());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PairLosses.bpr(ctx.zeros(3), ctx.zeros(4)));
      assertEquals("bpr: pos and neg must both be [B] (got [3] and [4], expected two equal one-axis"
          + " shapes)", e.getMessage());
    }
  }
}
