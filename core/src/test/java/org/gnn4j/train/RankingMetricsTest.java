package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final float NEG = Float.NEGATIVE_INFINITY;

  @Test
  void topKIsBestFirstWithTiesToTheLowerColumn() {
    float[] s = {
        0.1f, 0.9f, 0.5f, 0.9f, 0.3f,
        1f, 2f, 3f, 4f, 5f};
    assertArrayEquals(new int[] {1, 3, 2, 4, 3, 2}, RankingMetrics.topK(s, 2, 5, 3));
  }

  @Test
  void maskedEntriesAreNeverPickedAndShortRowsArePadded() {
    float[] s = {5f, 4f, 3f, 2f, 1f};
    RankingMetrics.maskInPlace(s, 5, new int[] {0, 2}, new int[] {0, 2});
    assertArrayEquals(new float[] {NEG, 4f, NEG, 2f, 1f}, s);
    assertArrayEquals(new int[] {1, 3}, RankingMetrics.topK(s, 1, 5, 2));
    assertArrayEquals(new int[] {1, 3, 4, -1}, RankingMetrics.topK(s, 1, 5, 4));
  }

  @Test
  void recallNdcgPrecisionByHand() {
    // user 0: ranked [4, 2, 7], held out {2, 9}: one hit at rank 2
    // user 1: nothing held out, skipped; user 2: ranked [1, 0, 3], held out {1}: hit at rank 1
    int[] top = {4, 2, 7, 5, 6, 8, 1, 0, 3};
    int[] ptr = {0, 2, 2, 3};
    int[] cols = {2, 9, 1};
    RankingMetrics.Result r = RankingMetrics.evaluate(top, 3, ptr, cols, 10);
    assertEquals(2, r.users());
    assertEquals((0.5 + 1.0) / 2, r.recall(), 1e-12);
    double ndcg0 = (1 / log2(3)) / (1 + 1 / log2(3));
    assertEquals((ndcg0 + 1.0) / 2, r.ndcg(), 1e-12);
    assertEquals((1.0 / 3 + 1.0 / 3) / 2, r.precision(), 1e-12);
  }

  @Test
  void aTrainingItemMaskedOutMakesRoomForAHeldOutOne() {
    // one user, 4 items; item 0 is a training item with the top score, item 3 is held out
    float[] s = {0.9f, 0.5f, 0.1f, 0.4f};
    int[] ptr = {0, 1};
    assertEquals(0.0, RankingMetrics.evaluate(RankingMetrics.topK(s.clone(), 1, 4, 2), 2, ptr,
        new int[] {3}, 4).recall());
    RankingMetrics.maskInPlace(s, 4, ptr, new int[] {0});
    RankingMetrics.Result r = RankingMetrics.evaluate(RankingMetrics.topK(s, 1, 4, 2), 2, ptr,
        new int[] {3}, 4);
    assertEquals(1.0, r.recall());
    assertEquals(1 / log2(3), r.ndcg(), 1e-12);          // the hit is at rank 2 of an ideal rank 1
  }

  @Test
  void badArgumentsAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> RankingMetrics.topK(new float[5], 2, 3, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RankingMetrics.evaluate(new int[] {0}, 1, new int[] {0, 1}, new int[] {7}, 5));
    assertEquals("evaluate: cols[0] = 7 is out of range [0, 5)", e.getMessage());
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
