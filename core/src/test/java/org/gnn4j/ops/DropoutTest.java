package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  @Test
  void evalAndZeroProbabilityReturnTheInput() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(3, 4);
      assertSame(x, Dropout.apply(x, 0.5f, false, new SplittableRandom(1)));
      assertSame(x, Dropout.apply(x, 0f, true, new SplittableRandom(1)));
    }
  }

  @Test
  void probabilityOneGivesZerosAndZeroGradient() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(3, 4).requiresGrad(true);
      Tensor y = Dropout.apply(x, 1f, true, new SplittableRandom(1));
      assertArrayEquals(new float[12], y.data());
      Reductions.sumAll(y).backward();
      assertArrayEquals(new float[12], x.gradArray());
    }
  }

  @Test
  void dropsAboutPAndScalesSurvivors() {
    try (Context ctx = ctx(2)) {
      int n = 200_003;
      Tensor x = ctx.ones(n);
      for (float p : new float[] {0.1f, 0.5f, 0.8f}) {
        float[] y = Dropout.apply(x, p, true, new SplittableRandom(61)).data();
        int zeros = 0;
        for (float v : y) {
          if (v == 0f) zeros++;
          else assertEquals(1f / (1f - p), v, 0f, "survivor scale, p " + p);
        }
        assertEquals(p, zeros / (double) n, 0.01, "dropped fraction, p " + p + ", seed 61");
      }
    }
  }

  @Test
  void maskDependsOnSeedNotThreadCount() {
    float[][] y = new float[3][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        y[t - 1] = Dropout.apply(ctx.ones(100_000), 0.3f, true, new SplittableRandom(7)).data();
        if (t == 2) y[2] = Dropout.apply(ctx.ones(100_000), 0.3f, true, new SplittableRandom(8)).data();
      }
    }
    assertArrayEquals(y[0], y[1]);
    assertTrue(!java.util.Arrays.equals(y[0], y[2]), "different seeds gave the same mask");
  }

  @Test
  void gradientUsesTheSameMask() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(67);
      for (int[] dims : new int[][] {{1}, {7}, {3, 65}, {2, 3, 11}}) {
        Tensor x = ctx.randn(r, dims).requiresGrad(true);
        // a fresh stream with the same seed per call: the same mask every evaluation
        GradCheck.defaults().check("dropout " + x.shape(), 67,
            in -> Dropout.apply(in[0], 0.4f, true, new SplittableRandom(5)), x);
        x.zeroGrad();
        Tensor y = Dropout.apply(x, 0.4f, true, new SplittableRandom(5));
        Reductions.sumAll(y).backward();
        for (int i = 0; i < x.numel(); i++) {
          float expected = y.data()[i] == 0f && x.data()[i] != 0f ? 0f : 1f / 0.6f;
          assertEquals(expected, x.gradArray()[i], 1e-6, "element " + i + " of " + x.shape());
        }
      }
    }
  }

  @Test
  void rejectsProbabilityOutOfRange() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Dropout.apply(ctx.ones(2), 1.5f, true, new SplittableRandom(1)));
      assertTrue(e.getMessage().startsWith("dropout: probability") && e.getMessage().contains("1.5"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> Dropout.apply(ctx.ones(2), Float.NaN, true, new SplittableRandom(1)));
      assertThrows(IllegalArgumentException.class,
          () -> Dropout.apply(ctx.ones(2), -0.1f, false, new SplittableRandom(1)));
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(5).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(Dropout.apply(x, 0.5f, true, new SplittableRandom(1)).isLeaf());
      }
      assertTrue(Dropout.apply(x, 0.5f, true, new SplittableRandom(1)).requiresGrad());
    }
  }
}
