package org.gnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceOnPlateauTest {
  private static final double[] LOSSES =
      {1.0, 0.99995, 1.2, 1.1, 1.3, 1.3, 1.3, 1.3, 0.5, 0.6, 0.6, 0.6};
  // best 1.0; 0.99995 is not below 1.0 * (1 - 1e-4); the 3rd bad epoch (> patience 2) halves lr,
  // one cooldown epoch does not count, three more bad epochs would halve to 0.025 but minLr is
  // 0.03; after 0.5 the next cut would be 0.015 -> clamped to 0.03, i.e. no change
  private static final float[] EXPECTED =
      {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f, 0.03f, 0.03f, 0.03f, 0.03f, 0.03f};

  private static ReduceOnPlateau make() {
    return new ReduceOnPlateau(
        new ReduceOnPlateau.Config(MetricMode.MIN, 0.5, 2, 1e-4, true, 1, 0.03), 0.1f);
  }

  @Test
  void followsTorchReduceLrOnPlateauInMinMode() {
    ReduceOnPlateau r = make();
    float[] got = new float[LOSSES.length];
    for (int i = 0; i < LOSSES.length; i++) got[i] = r.observe(LOSSES[i]);
    assertArrayEquals(EXPECTED, got, 1e-7f);
    assertEquals(0.5, r.best(), 0);
  }

  @Test
  void maxModeWithAbsoluteThreshold() {
    ReduceOnPlateau r = new ReduceOnPlateau(
        new ReduceOnPlateau.Config(MetricMode.MAX, 0.1, 1, 0.01, false, 0, 0), 0.1f);
    Sgd opt = new Sgd(List.of(), Sgd.Config.of(0.1f));
    // 0.605 is not above 0.6 + 0.01: two bad epochs exceed patience 1
    for (double acc : new double[] {0.5, 0.6, 0.605, 0.6}) r.observe(acc, opt);
    assertEquals(0.01f, opt.lr(), 1e-9);
    assertEquals(0.6, r.best(), 0);
  }

  @Test
  void resumesFromExportedState() {
    ReduceOnPlateau first = make();
    for (int i = 0; i < 5; i++) first.observe(LOSSES[i]);
    ReduceOnPlateau second = make();
    second.loadState(first.state());
    for (int i = 5; i < LOSSES.length; i++) assertEquals(EXPECTED[i], second.observe(LOSSES[i]), 1e-7);
  }

  @Test
  void rejectsBadConfigAndIncompleteState() {
    assertThrows(IllegalArgumentException.class,
        () -> new ReduceOnPlateau.Config(MetricMode.MIN, 1.0, 1, 0, true, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ReduceOnPlateau.Config(MetricMode.MIN, 0.5, -1, 0, true, 0, 0));
    var s = new HashMap<>(make().state());
    s.remove("best");
    var e = assertThrows(IllegalArgumentException.class, () -> make().loadState(s));
    assertTrue(e.getMessage().contains("'best' is missing"), e.getMessage());
  }
}
