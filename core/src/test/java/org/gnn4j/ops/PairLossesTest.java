package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class PairLossesTest {
  @Test
  void bprIsTheMeanOfMinusLogSigmoidOfTheGap() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Tensor pos = ctx.tensor(new float[] {2f, -1f, 0f, 50f}, 4);
      Tensor neg = ctx.tensor(new float[] {1f, 1f, 0f, -50f}, 4);
      double want = 0;
      float[] p = pos.data();
      float[] q = neg.data();
      for (int i = 0; i < 4; i++) want -= Math.log(1 / (1 + Math.exp(-(p[i] - q[i]))));
      assertEquals(want / 4, PairLosses.bpr(pos, neg).item(), 1e-6);
      // a gap of -100 neither overflows nor loses its slope
      assertEquals(100.0, PairLosses.bpr(ctx.tensor(new float[] {-50f}, 1), ctx.tensor(new float[] {50f}, 1)).item(), 1e-4);
    }
  }

  @Test
  void bprGradientsMatchFiniteDifferences() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Tensor pos = ctx.randn(new java.util.SplittableRandom(1), 7).requiresGrad(true);
      Tensor neg = ctx.randn(new java.util.SplittableRandom(2), 7).requiresGrad(true);
      GradCheck.defaults().check("bpr", 1, in -> PairLosses.bpr(in[0], in[1]), pos, neg);
    }
  }

  @Test
  void bprRejectsMismatchedShapes() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      assertThrows(IllegalArgumentException.class, () -> PairLosses.bpr(ctx.zeros(3), ctx.zeros(4)));
      assertThrows(IllegalArgumentException.class, () -> PairLosses.bpr(ctx.zeros(2, 2), ctx.zeros(2, 2)));
    }
  }
}
