package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void accuracyOnAllAndOnSelectedRows() {
    try (Context ctx = Context.create()) {
      // arg-max per row: 1, 0, 2, 0 (first on the tie in row 3)
      Tensor z = ctx.tensor(new float[] {0, 1, 0, 5, 1, 2, 0, 0, 3, 1, 1, 0}, 4, 3);
      int[] y = {1, 2, 2, 1};
      assertEquals(0.5, Metrics.accuracy(z, y, null), 0);
      assertEquals(1.0, Metrics.accuracy(z, y, new int[] {0, 2}), 0);
      assertEquals(1.0 / 3, Metrics.accuracy(z, y, new int[] {1, 3, 2}), 1e-15);
      assertEquals(0.0, Metrics.accuracy(z, y, new int[0]), 0);
      var e = assertThrows(IllegalArgumentException.class,
          () -> Metrics.accuracy(z, y, new int[] {4}));
      assertTrue(e.getMessage().contains("rows[0] = 4 is out of range [0, 4)"), e.getMessage());
    }
  }

  @Test
  void maeAndRmse() {
    try (Context ctx = Context.create()) {
      Tensor p = ctx.tensor(new float[] {1f, -2f, 3f}, 3, 1);
      float[] y = {0.5f, -2f, 5f};
      assertEquals(2.5 / 3, Metrics.mae(p, y, null), 1e-12);
      assertEquals(Math.sqrt(4.25 / 3), Metrics.rmse(p, y, null), 1e-12);
      assertEquals(2.0, Metrics.rmse(p, y, new int[] {2}), 1e-12);
      assertThrows(IllegalArgumentException.class, () -> Metrics.mae(p, new float[2], null));
    }
  }

  @Test
  void rocAucMatchesHandValues() {
    // sklearn's documented example
    assertEquals(0.75, Metrics.rocAuc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new int[] {0, 0, 1, 1}), 1e-12);
    // ties count one half: (1/2 + 1/2 + 1 + 1) / 4
    assertEquals(0.75, Metrics.rocAuc(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, new int[] {0, 1, 0, 1}), 1e-12);
    // negative scores order correctly; -0 ties +0
    assertEquals(0.5, Metrics.rocAuc(new float[] {-1f, -2f, 3f}, new int[] {1, 0, 0}), 1e-12);
    assertEquals(0.5, Metrics.rocAuc(new float[] {-0f, 0f}, new int[] {1, 0}), 1e-12);
    assertEquals(0.0, Metrics.rocAuc(new float[] {1f, 2f}, new int[] {1, 0}), 1e-12);
  }

  @Test
  void rocAucEqualsPairCountingOnRandomTiedScores() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 20; trial++) {
      int n = 2 + rnd.nextInt(60);
      float[] s = new float[n];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        s[i] = rnd.nextInt(7) - 3;                         // few distinct values: many ties
        y[i] = i < 2 ? i : rnd.nextInt(2);
      }
      double pairs = 0;
      long count = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (y[i] == 1 && y[j] == 0) {
            pairs += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
            count++;
          }
        }
      }
      assertEquals(pairs / count, Metrics.rocAuc(s, y), 1e-12, "trial " + trial + " seed 7");
    }
  }

  @Test
  void rocAucRejectsUndefinedCases() {
    var one = assertThrows(IllegalArgumentException.class,
        () -> Metrics.rocAuc(new float[] {1f, 2f}, new int[] {1, 1}));
    assertTrue(one.getMessage().contains("only one class present (2 positives, 0 negatives)"),
        one.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new float[] {1f}, new int[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> Metrics.rocAuc(new float[] {Float.NaN, 1f}, new int[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new float[2], new int[3]));
  }

  @Test
  void macroRocAucSkipsMissingLabelsAndOneClassTasks() {
    try (Context ctx = Context.create()) {
      float nan = Float.NaN;
      Tensor s = ctx.tensor(new float[] {
          0.1f, 0.9f, 0.5f,
          0.4f, 0.2f, 0.1f,
          0.35f, 0.3f, 0.7f,
          0.8f, 0.1f, 0.2f}, 4, 3);
      float[] y = {
          0, nan, 1,
          0, 1, 1,
          1, 0, nan,
          1, 0, 1};
      // task 0: 0.75; task 1 on rows 1-3: positive 0.2 beats 0.1 only: 0.5; task 2: one class
      assertEquals(0.625, Metrics.macroRocAuc(s, y), 1e-12);
      float[] allOne = {1, nan, 1, 1, 1, 1, 1, nan, nan, 1, 1, 1};
      assertThrows(IllegalArgumentException.class, () -> Metrics.macroRocAuc(s, allOne));
    }
  }

  @Test
  void oneVsRestMacroRocAucAveragesPerClassAuc() {
    try (Context ctx = Context.create()) {
      Tensor p = ctx.tensor(new float[] {
          0.7f, 0.2f, 0.1f,
          0.3f, 0.4f, 0.3f,
          0.2f, 0.2f, 0.6f,
          0.5f, 0.1f, 0.4f}, 4, 3);
      int[] y = {0, 1, 2, 1};
      // class 0: positive 0.7 beats 0.3, 0.2, 0.5 -> 1; class 1: positives 0.4, 0.1 vs 0.2, 0.2
      // -> (1 + 1 + 0 + 0) / 4 = 0.5; class 2: positive 0.6 beats 0.1, 0.3, 0.4 -> 1
      assertEquals((1 + 0.5 + 1) / 3, Metrics.macroRocAucOneVsRest(p, y, null), 1e-12);
      var e = assertThrows(IllegalArgumentException.class,
          () -> Metrics.macroRocAucOneVsRest(p, y, new int[] {0, 1}));
      assertTrue(e.getMessage().contains("class 2"), e.getMessage());
    }
  }
}
