package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.optim.MetricMode;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  @Test
  void stopsAfterPatienceEpochsWithoutImprovementInMaxMode() {
    EarlyStopping es = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MAX, 3));
    assertTrue(es.observe(1, 0.5));
    assertTrue(es.observe(2, 0.7));
    assertFalse(es.observe(3, 0.7));     // equal is not better
    assertFalse(es.observe(4, 0.6));
    assertFalse(es.shouldStop());
    assertFalse(es.observe(5, Double.NaN));
    assertTrue(es.shouldStop());
    assertEquals(0.7, es.best(), 0);
    assertEquals(2, es.bestEpoch());
  }

  @Test
  void minModeWithMinDeltaResetsOnRealImprovement() {
    EarlyStopping es = new EarlyStopping(new EarlyStopping.Config(MetricMode.MIN, 2, 0.1));
    assertEquals(-1, es.bestEpoch());
    es.observe(0, 1.0);
    assertFalse(es.observe(1, 0.95));    // not below 1.0 - 0.1
    assertTrue(es.observe(2, 0.85));
    assertEquals(0, es.badEpochs());
    es.observe(3, 0.9);
    assertFalse(es.shouldStop());
    es.observe(4, 0.8);
    assertTrue(es.shouldStop());
    assertEquals(2, es.bestEpoch());
  }

  @Test
  void resumesFromState() {
    EarlyStopping a = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MIN, 2));
    a.observe(0, 3.0);
    a.observe(1, 4.0);
    EarlyStopping b = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MIN, 2));
    b.loadState(a.state());
    assertFalse(b.shouldStop());
    b.observe(2, 5.0);
    assertTrue(b.shouldStop());
    assertEquals(0, b.bestEpoch());
    assertEquals(3.0, b.best(), 0);
  }

  @Test
  void tiesGoToTheLowerTieBreakAndTheFirstObservationAlwaysCounts() {
    EarlyStopping es = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MAX, 2));
    assertTrue(es.observe(1, Double.NaN, 1.0));   // first: the best so far, even NaN
    assertFalse(es.observe(2, 0.5, 0.9));         // nothing beats a NaN best
    es = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MAX, 2));
    assertTrue(es.observe(1, 0.8, 0.6));
    assertFalse(es.observe(2, 0.8, 0.7));
    assertTrue(es.observe(3, 0.8, 0.5));
    assertEquals(0.5, es.bestTieBreak(), 0);
    assertEquals(3, es.bestEpoch());
  }

  @Test
  void unscoredEpochsAreAlwaysTheBest() {
    EarlyStopping es = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MIN, 1));
    es.observeUnscored(1);
    es.observeUnscored(2);
    assertFalse(es.shouldStop());
    assertEquals(2, es.bestEpoch());
  }

  @Test
  void rejectsBadConfig() {
    assertThrows(IllegalArgumentException.class, () -> EarlyStopping.Config.of(MetricMode.MIN, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping.Config(MetricMode.MAX, 2, -1));
  }
}
