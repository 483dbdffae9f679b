package org.gnn4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BFS tables against Floyd-Warshall; paths are real shortest paths; size and batch errors. */
class ShortestPathsTest {
  // graph 0: undirected path 0-1-2-3; graph 1: directed cycle 4->5->6->4, node 7 isolated;
  // graph 2: empty; graph 3: nodes 8, 9 without edges
  static final int[] SRC = {0, 1, 1, 2, 2, 3, 4, 5, 6};
  static final int[] DST = {1, 0, 2, 1, 3, 2, 5, 6, 4};
  static final int[] BATCH = {0, 0, 0, 0, 1, 1, 1, 1, 3, 3};
  static final int INF = Integer.MAX_VALUE / 4;

  static int[][] floydWarshall(int n, int[] src, int[] dst) {
    int[][] d = new int[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) d[a][b] = a == b ? 0 : INF;
    }
    for (int e = 0; e < src.length; e++) d[src[e]][dst[e]] = Math.min(d[src[e]][dst[e]], 1);
    for (int k = 0; k < n; k++) {
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) d[a][b] = Math.min(d[a][b], d[a][k] + d[k][b]);
      }
    }
    return d;
  }

  @Test
  void distancesEqualFloydWarshallCappedWithUnreachableId() {
    EdgeIndex g = EdgeIndex.of(SRC, DST, 10);
    int[][] fw = floydWarshall(10, SRC, DST);
    for (int maxDist : new int[] {1, 2, 5}) {
      ShortestPaths sp = ShortestPaths.compute(g, BATCH, maxDist);
      assertEquals(16 + 16 + 0 + 4, sp.numPairs());
      assertEquals(maxDist + 1, sp.unreachable());
      EdgeIndex pairs = sp.pairs();
      for (int p = 0; p < sp.numPairs(); p++) {
        int j = pairs.src()[p];
        int i = pairs.dst()[p];
        assertEquals(BATCH[i], BATCH[j], "pairs stay inside graphs");
        int want = fw[j][i] >= INF ? maxDist + 1 : Math.min(fw[j][i], maxDist);
        assertEquals(want, sp.distances()[p], "distance " + j + " -> " + i);
        assertEquals(want, sp.distance(j, i));
        assertEquals(p, sp.pairIndex(j, i));
      }
      assertEquals(Math.min(2, maxDist), sp.distance(6, 5), "directed: 6 -> 4 -> 5, two hops");
      assertEquals(1, sp.distance(5, 6), "directed: 5 -> 6, one hop");
      assertEquals(maxDist + 1, sp.distance(7, 4), "isolated node 7 reaches nothing");
    }
  }

  @Test
  void pathEdgesFormAShortestWalkFromKeyToQuery() {
    int n = 12;
    EdgeIndex g = org.gnn4j.testing.RandomGraphs.uniform(n, 20, 5);
    int[][] fw = floydWarshall(n, g.src(), g.dst());
    int maxDist = 3;
    ShortestPaths sp = ShortestPaths.compute(g, maxDist);
    int checked = 0;
    for (int p = 0; p < sp.numPairs(); p++) {
      int j = sp.pairs().src()[p];
      int i = sp.pairs().dst()[p];
      int len = sp.pathLength(p);
      assertEquals(fw[j][i] >= INF ? 0 : Math.min(fw[j][i], maxDist), len);
      int at = j;
      for (int hop = 0; hop < len; hop++) {
        int e = sp.pathEdge(p, hop);
        assertEquals(at, g.src()[e], "hop " + hop + " of " + j + " -> " + i + " starts where"
            + " the previous ended");
        at = g.dst()[e];
        assertEquals(hop + 1, fw[j][at], "each hop gets one step closer");
      }
      if (len > 0 && fw[j][i] <= maxDist) {
        assertEquals(i, at, "a full path ends at the query");
        checked++;
      }
    }
    assertTrue(checked > 10, "the random graph has paths (" + checked + ")");
    assertThrows(IllegalArgumentException.class, () -> sp.pathEdge(0, 0));
  }

  @Test
  void badBatchesAndTooLargeGraphsAreRefusedWithClearMessages() {
    EdgeIndex g = EdgeIndex.of(SRC, DST, 10);
    var e = assertThrows(IllegalArgumentException.class,
        () -> ShortestPaths.compute(g, new int[] {0, 0, 0}, 2));
    assertTrue(e.getMessage().contains("got 3") && e.getMessage().contains("10"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShortestPaths.compute(g, new int[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0}, 2));
    assertTrue(e.getMessage().contains("sorted"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShortestPaths.compute(g, new int[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, 2));
    assertTrue(e.getMessage().contains("edge 2 (1 -> 2)") && e.getMessage().contains("joins graph"),
        e.getMessage());
    EdgeIndex big = EdgeIndex.of(new int[0], new int[0], 30_000);
    e = assertThrows(IllegalArgumentException.class, () -> ShortestPaths.compute(big, 3));
    assertTrue(e.getMessage().contains("30000 nodes") && e.getMessage().contains("900000000"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShortestPaths.compute(g, BATCH, 0));
  }
}
