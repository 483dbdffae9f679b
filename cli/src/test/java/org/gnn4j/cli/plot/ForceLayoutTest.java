package org.gnn4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Seeded, inside the unit square, and a ring drawn without crossings. */
class ForceLayoutTest {
  private static final int N = 12;

  private static int[][] ring() {
    int[] a = new int[N];
    int[] b = new int[N];
    for (int i = 0; i < N; i++) {
      a[i] = i;
      b[i] = (i + 1) % N;
    }
    return new int[][] {a, b};
  }

  @Test
  void sameSeedSamePositionsInsideTheUnitSquare() {
    int[][] r = ring();
    double[][] p = ForceLayout.layout(N, r[0], r[1], 5, 300);
    double[][] q = ForceLayout.layout(N, r[0], r[1], 5, 300);
    for (int i = 0; i < N; i++) {
      assertArrayEquals(p[i], q[i]);
      assertTrue(p[i][0] >= 0 && p[i][0] <= 1 && p[i][1] >= 0 && p[i][1] <= 1);
    }
  }

  @Test
  void untangledRingHasNoCrossingsAndSpreadsItsNodes() {
    int[][] r = ring();
    double[][] p = ForceLayout.untangled(N, r[0], r[1], 11, 1000, 6);
    assertEquals(0, ForceLayout.crossings(p, r[0], r[1]));
    double closest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < N; i++) {
      for (int j = i + 1; j < N; j++) {
        closest = Math.min(closest, Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]));
      }
    }
    assertTrue(closest > 0.05, "two nodes drawn on top of each other: " + closest);
  }

  @Test
  void crossingsCountsIntersectingEdgesOnly() {
    double[][] square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    // the two diagonals cross; the sides touch only at shared ends
    assertEquals(1, ForceLayout.crossings(square, new int[] {0, 1}, new int[] {2, 3}));
    assertEquals(0, ForceLayout.crossings(square, new int[] {0, 1, 2, 3}, new int[] {1, 2, 3, 0}));
  }
}
