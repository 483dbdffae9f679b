package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class LossesTest {
  private static final float[] LOGITS = {0f, 2f, -3f, 1f};
  private static final float[] BIN = {1f, 0f, 0f, 1f};

  @Test
  void bceWithLogitsMatchesHandValues() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.tensor(LOGITS, 2, 2);
      // mean of log 2, 2 + log1p(e^-2), log1p(e^-3), log1p(e^-1)
      assertEquals(0.7954810576737208, Losses.bceWithLogits(z, BIN).item(), 1e-6);
      // row 1 only: log1p(e^-3), log1p(e^-1)
      assertEquals(0.18092451954598246,
          Losses.bceWithLogits(z, BIN, null, new int[] {1}).item(), 1e-6);
      // the mask drops (0, 1) and (1, 0): log 2 and log1p(e^-1)
      boolean[] mask = {true, false, false, true};
      float[] withNan = {1f, Float.NaN, Float.NaN, 1f};
      assertEquals((Math.log(2) + Math.log1p(Math.exp(-1))) / 2,
          Losses.bceWithLogits(z, withNan, mask, null).item(), 1e-6);
    }
  }

  @Test
  void bceWithLogitsIsStableForLargeLogits() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.tensor(new float[] {200f, -200f}, 2).requiresGrad(true);
      Tensor loss = Losses.bceWithLogits(z, new float[] {1f, 1f});
      assertEquals(100.0, loss.item(), 1e-4);              // (0 + 200) / 2
      loss.backward();
      assertArrayEquals(new float[] {0f, -0.5f}, z.gradArray(), 1e-7f);
    }
  }

  @Test
  void l1AndMseMatchHandValues() {
    try (Context ctx = Context.create()) {
      Tensor p = ctx.tensor(new float[] {1f, -2f, 3f}, 3, 1);
      float[] y = {0.5f, -2f, 5f};
      assertEquals(2.5 / 3, Losses.l1(p, y).item(), 1e-6);
      assertEquals(4.25 / 3, Losses.mse(p, y).item(), 1e-6);
      assertEquals(2.0, Losses.l1(p, y, null, new int[] {2, 1}).item() * 2, 1e-6);
      assertEquals(4.25, Losses.mse(p, y, new boolean[] {true, false, true}, null).item() * 2, 1e-6);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom rnd = new SplittableRandom(11);
      Tensor z = ctx.randn(rnd, 5, 3).requiresGrad(true);
      float[] y = new float[15];
      boolean[] mask = new boolean[15];
      for (int i = 0; i < 15; i++) {
        y[i] = (float) rnd.nextDouble();           // soft targets are allowed
        mask[i] = i % 4 != 1;
      }
      int[] rows = {0, 2, 2, 4};
      GradCheck.defaults().check("bce all", 1, in -> Losses.bceWithLogits(in[0], y), z);
      GradCheck.defaults().check("bce rows+mask", 2,
          in -> Losses.bceWithLogits(in[0], y, mask, rows), z);
      GradCheck.defaults().check("mse rows+mask", 3, in -> Losses.mse(in[0], y, mask, rows), z);
      // keep |p - y| well above the finite-difference step so |.| is smooth where probed
      float[] far = new float[15];
      for (int i = 0; i < 15; i++) far[i] = z.data()[i] + (i % 2 == 0 ? 0.5f : -0.5f);
      GradCheck.defaults().check("l1 rows", 4, in -> Losses.l1(in[0], far, null, rows), z);
    }
  }

  @Test
  void emptySelectionGivesZero() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.tensor(LOGITS, 2, 2).requiresGrad(true);
      Tensor loss = Losses.mse(z, BIN, null, new int[0]);
      assertEquals(0f, loss.item(), 0f);
      loss.backward();
      assertArrayEquals(new float[4], z.gradArray());
    }
  }

  @Test
  void rejectsBadTargetsNamingThem() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.tensor(LOGITS, 2, 2);
      var len = assertThrows(IllegalArgumentException.class,
          () -> Losses.bceWithLogits(z, new float[3]));
      assertTrue(len.getMessage().contains("targets has 3 values, expected 4"), len.getMessage());
      var range = assertThrows(IllegalArgumentException.class,
          () -> Losses.bceWithLogits(z, new float[] {0f, 2f, 0f, 1f}));
      assertTrue(range.getMessage().contains("targets[1] = 2.0 is not in [0, 1]"), range.getMessage());
      var nan = assertThrows(IllegalArgumentException.class,
          () -> Losses.l1(z, new float[] {0f, Float.NaN, 0f, 1f}));
      assertTrue(nan.getMessage().contains("targets[1] = NaN"), nan.getMessage());
      var row = assertThrows(IllegalArgumentException.class,
          () -> Losses.mse(z, BIN, null, new int[] {0, 2}));
      assertTrue(row.getMessage().contains("rows[1] = 2 is out of range [0, 2)"), row.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Losses.mse(z, BIN, new boolean[2], null));
    }
  }
}
