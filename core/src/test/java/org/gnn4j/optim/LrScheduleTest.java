package org.gnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void warmupThenCosineToFloor() {
    LrSchedule s = LrSchedule.warmupCosine(1f, 4, 12, 0.1f);
    assertEquals(0.25f, s.lr(0), 1e-7);      // (0 + 1) / 4
    assertEquals(0.75f, s.lr(2), 1e-7);
    assertEquals(1f, s.lr(3), 1e-7);
    assertEquals(1f, s.lr(4), 1e-7);         // progress 0
    // progress 2/8: 0.1 + 0.9 * 0.5 * (1 + cos(pi/4))
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.sqrt(0.5)), s.lr(6), 1e-6);
    assertEquals(0.55f, s.lr(8), 1e-6);      // progress 1/2: midway
    assertEquals(0.1f, s.lr(12), 0f);
    assertEquals(0.1f, s.lr(1000), 0f);
  }

  @Test
  void warmupThenLinearToFloor() {
    LrSchedule s = LrSchedule.warmupLinear(1f, 4, 12, 0.1f);
    assertEquals(0.5f, s.lr(1), 1e-7);
    assertEquals(0.775f, s.lr(6), 1e-6);     // 0.1 + 0.9 * (1 - 2/8)
    assertEquals(0.2125f, s.lr(11), 1e-6);   // 0.1 + 0.9 * (1 - 7/8)
    assertEquals(0.1f, s.lr(12), 0f);
  }

  @Test
  void noWarmupStartsAtBase() {
    assertEquals(2f, LrSchedule.warmupCosine(2f, 0, 10, 0f).lr(0), 0f);
    assertEquals(0f, LrSchedule.warmupCosine(2f, 0, 10, 0f).lr(10), 0f);
  }

  @Test
  void stepDecayHalvesEveryThreeSteps() {
    LrSchedule s = LrSchedule.stepDecay(0.1f, 3, 0.5f);
    float[] expected = {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f};
    for (int t = 0; t < expected.length; t++) assertEquals(expected[t], s.lr(t), 1e-8, "t=" + t);
  }

  @Test
  void constantAndApplyToOptimizer() {
    Sgd opt = new Sgd(List.of(), Sgd.Config.of(1f));
    LrSchedule.constant(0.3f).apply(opt, 7);
    assertEquals(0.3f, opt.lr(), 0f);
    LrSchedule.warmupLinear(1f, 4, 12, 0f).apply(opt, 0);
    assertEquals(0.25f, opt.lr(), 0f);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1f, 5, 4, 0f));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1f, 0, 4, 2f));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(1f, 0, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(1f, 2, 1.5f));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(1f).lr(-1));
  }
}
