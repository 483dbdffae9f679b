package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class BatchNormTest {
  private static final float EPS = BatchNorm.DEFAULT_EPS;
  private static final float M = BatchNorm.DEFAULT_MOMENTUM;

  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  @Test
  void trainModeGivesZeroMeanUnitVariancePerColumn() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(53);
      Tensor x = Elementwise.addScalar(Elementwise.mulScalar(ctx.randn(r, 2000, 5), 3f), 7f);
      Tensor y = BatchNorm.apply(x, null, null, null, null, true, M, 0f);
      for (int j = 0; j < 5; j++) {
        double m = 0, v = 0;
        for (int i = 0; i < 2000; i++) m += y.data()[i * 5 + j];
        m /= 2000;
        for (int i = 0; i < 2000; i++) v += Math.pow(y.data()[i * 5 + j] - m, 2);
        assertEquals(0, m, 1e-5, "column " + j + " mean, seed 53");
        assertEquals(1, v / 2000, 1e-4, "column " + j + " biased variance, seed 53");
      }
    }
  }

  @Test
  void runningStatsUpdateWithUnbiasedVariance() {
    try (Context ctx = ctx(1)) {
      // column means [2, 4], biased var [1, 4], unbiased var [2, 8]
      Tensor x = ctx.tensor(new float[] {1, 2, 3, 6}, 2, 2);
      Tensor rm = ctx.zeros(2);
      Tensor rv = ctx.ones(2);
      Tensor y = BatchNorm.apply(x, null, null, rm, rv, true, M, EPS);
      OpAssert.assertClose("running mean", new float[] {0.2f, 0.4f}, rm.data(), 1e-7, 1e-6);
      OpAssert.assertClose("running var", new float[] {1.1f, 1.7f}, rv.data(), 1e-7, 1e-6);
      float s0 = (float) (1 / Math.sqrt(1 + EPS));
      float s1 = (float) (2 / Math.sqrt(4 + EPS));
      OpAssert.assertClose("train output", new float[] {-s0, -s1, s0, s1}, y.data(), 1e-6, 1e-6);
      // a second step under noGrad still updates (torch updates whenever training)
      try (var s = ctx.noGrad()) {
        BatchNorm.apply(x, null, null, rm, rv, true, 0.5f, EPS);
      }
      OpAssert.assertClose("running mean 2", new float[] {1.1f, 2.2f}, rm.data(), 1e-6, 1e-6);
      OpAssert.assertClose("running var 2", new float[] {1.55f, 4.85f}, rv.data(), 1e-6, 1e-6);
    }
  }

  @Test
  void evalModeUsesRunningStatsAndLeavesThemAlone() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.tensor(new float[] {1, 2, 3, 6, 0, -1}, 3, 2);
      Tensor rm = ctx.tensor(new float[] {0.5f, -1f}, 2);
      Tensor rv = ctx.tensor(new float[] {4f, 0.25f}, 2);
      Tensor w = ctx.tensor(new float[] {2f, 3f}, 2);
      Tensor b = ctx.tensor(new float[] {0.1f, -0.2f}, 2);
      Tensor y = BatchNorm.apply(x, w, b, rm, rv, false, M, EPS);
      float[] expected = new float[6];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          expected[i * 2 + j] = (float) ((x.data()[i * 2 + j] - rm.data()[j])
              / Math.sqrt(rv.data()[j] + EPS) * w.data()[j] + b.data()[j]);
        }
      }
      OpAssert.assertClose("eval output", expected, y.data(), 1e-6, 1e-6);
      assertArrayEquals(new float[] {0.5f, -1f}, rm.data());
      assertArrayEquals(new float[] {4f, 0.25f}, rv.data());
      // a single row is fine in eval mode
      assertEquals(2, BatchNorm.apply(ctx.ones(1, 2), w, b, rm, rv, false, M, EPS).numel());
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(59);
      GradCheck g = GradCheck.defaults();
      for (int[] dims : new int[][] {{4, 3}, {7, 5}, {2, 1}, {9, 2}}) {
        int f = dims[1];
        Tensor x = ctx.randn(r, dims).requiresGrad(true);
        Tensor w = ctx.uniform(r, 0.5f, 1.5f, f).requiresGrad(true);
        Tensor b = ctx.randn(r, f).requiresGrad(true);
        Tensor rm = ctx.randn(r, f);
        Tensor rv = ctx.uniform(r, 0.5f, 2f, f);
        g.check("batchNorm train " + x.shape(), 59,
            in -> BatchNorm.apply(in[0], in[1], in[2], null, null, true, M, EPS), x, w, b);
        g.check("batchNorm train no affine " + x.shape(), 59,
            in -> BatchNorm.apply(in[0], null, null, null, null, true, M, EPS), x);
        g.check("batchNorm eval " + x.shape(), 59,
            in -> BatchNorm.apply(in[0], in[1], in[2], rm, rv, false, M, EPS), x, w, b);
        g.check("batchNorm eval bias only " + x.shape(), 59,
            in -> BatchNorm.apply(in[0], null, in[1], rm, rv, false, M, EPS), x, b);
      }
    }
  }

  @Test
  void rejectsBadInputs() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> BatchNorm.apply(ctx.ones(1, 4), null, null, ctx.zeros(4), ctx.ones(4), true, M, EPS));
      assertTrue(e.getMessage().startsWith("batchNorm: expected more than 1 value")
          && e.getMessage().contains("[1, 4]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> BatchNorm.apply(ctx.ones(3, 4), ctx.ones(3), null, null, null, true, M, EPS));
      assertTrue(e.getMessage().startsWith("batchNorm: weight") && e.getMessage().contains("[3]")
          && e.getMessage().contains("expected [4]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> BatchNorm.apply(ctx.ones(3, 4, 2), null, null, null, null, true, M, EPS));
      assertTrue(e.getMessage().contains("[3, 4, 2]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> BatchNorm.apply(ctx.ones(3, 4), null, null, ctx.zeros(4), null, true, M, EPS));
      assertTrue(e.getMessage().contains("runningMean and runningVar"), e.getMessage());
      Tensor trackedMean = ctx.zeros(4).requiresGrad(true);
      assertThrows(IllegalStateException.class,
          () -> BatchNorm.apply(ctx.ones(3, 4), null, null, trackedMean, ctx.ones(4), true, M, EPS));
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.randn(new SplittableRandom(1), 4, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(BatchNorm.apply(x, null, null, null, null, true, M, EPS).isLeaf());
      }
      assertTrue(BatchNorm.apply(x, null, null, null, null, true, M, EPS).requiresGrad());
    }
  }
}
