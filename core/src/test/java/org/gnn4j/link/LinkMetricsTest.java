package org.gnn4j.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Every expected value below is worked out by hand in the comment beside it. */
class LinkMetricsTest {
  @Test
  void aucCountsTiesAsOneHalf() {
    // pairs (pos, neg): 0.9>0.5, 0.9>0.1, 0.5=0.5 (1/2), 0.5>0.1 -> 3.5 / 4
    assertEquals(0.875, LinkMetrics.rocAuc(new float[] {0.9f, 0.5f}, new float[] {0.5f, 0.1f}), 1e-12);
    assertEquals(0.5, LinkMetrics.rocAuc(new float[] {1f, 1f}, new float[] {1f}), 1e-12);
    assertEquals(0.0, LinkMetrics.rocAuc(new float[] {0f}, new float[] {1f, 2f}), 1e-12);
  }

  @Test
  void averagePrecisionSumsPrecisionAtEachRecallStep() {
    // thresholds 3: P 1, R 1/2; 2: recall unchanged; 1: P 2/3, R 1 -> 1/2 + 1/2 * 2/3
    assertEquals(0.5 + 1.0 / 3, LinkMetrics.averagePrecision(new float[] {3f, 1f}, new float[] {2f}), 1e-12);
    // a positive tied with a negative enters with it: 0.9: P 1, R 1/2; 0.5 (pos + neg): P 2/3, R 1
    assertEquals(0.5 + 1.0 / 3,
        LinkMetrics.averagePrecision(new float[] {0.9f, 0.5f}, new float[] {0.5f, 0.1f}), 1e-12);
    // the positive below both negatives: P 1/3 at R 1
    assertEquals(1.0 / 3, LinkMetrics.averagePrecision(new float[] {1f}, new float[] {2f, 3f}), 1e-12);
    // all tied: one threshold, P 2/4 at R 1
    assertEquals(0.5, LinkMetrics.averagePrecision(new float[] {1f, 1f}, new float[] {1f, 1f}), 1e-12);
  }

  @Test
  void hitsAtKCountsPositivesStrictlyAboveTheKthNegative() {
    float[] pos = {5f, 3f, 2f};
    float[] neg = {4f, 3f, 1f};
    assertEquals(1.0 / 3, LinkMetrics.hitsAtK(pos, neg, 1), 1e-12);   // t = 4: only 5
    assertEquals(1.0 / 3, LinkMetrics.hitsAtK(pos, neg, 2), 1e-12);   // t = 3: 3 ties, not above
    assertEquals(1.0, LinkMetrics.hitsAtK(pos, neg, 3), 1e-12);       // t = 1: all
    assertEquals(1.0, LinkMetrics.hitsAtK(pos, neg, 4), 1e-12);       // fewer than K negatives
    assertThrows(IllegalArgumentException.class, () -> LinkMetrics.hitsAtK(pos, neg, 0));
  }

  @Test
  void mrrRanksTiesHalfwayAgainstSharedOrOwnNegatives() {
    // 5: rank 1; 3: one above (4) and one tie (3) -> rank 1 + 1 + 1/2 = 2.5
    assertEquals((1 + 1 / 2.5) / 2, LinkMetrics.mrr(new float[] {5f, 3f}, new float[] {4f, 3f, 1f}), 1e-12);
    // own negatives, k = 2: p0 = 1 vs {0, 3}: rank 2; p1 = 2 vs {2, 2}: rank 1 + 2/2 = 2
    assertEquals(0.5, LinkMetrics.mrr(new float[] {1f, 2f}, new float[] {0f, 3f, 2f, 2f}, 2), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> LinkMetrics.mrr(new float[] {1f}, new float[] {0f, 3f, 2f}, 2));
  }

  @Test
  void nanScoresAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> LinkMetrics.averagePrecision(new float[] {Float.NaN}, new float[] {1f}));
    assertThrows(IllegalArgumentException.class,
        () -> LinkMetrics.mrr(new float[] {1f}, new float[] {Float.NaN}));
  }
}
