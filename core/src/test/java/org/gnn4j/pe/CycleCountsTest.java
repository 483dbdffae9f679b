package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleCountsTest {
  /** Row i of a K-wide count array as {c_3, ..., c_K}. */
  private static float[] row(float[] counts, int i, int k) {
    int w = CycleCounts.width(k);
    float[] r = new float[w];
    System.arraycopy(counts, i * w, r, 0, w);
    return r;
  }

  /** Ring 0..5 and ring 4,5,6,7,8,9 fused on the bond 4-5. */
  private static Adjacency naphthalene() {
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i < 6; i++) e.add(new int[] {i, (i + 1) % 6});
    e.add(new int[] {4, 6});
    e.add(new int[] {6, 7});
    e.add(new int[] {7, 8});
    e.add(new int[] {8, 9});
    e.add(new int[] {9, 5});
    return Graphs.of(10, e);
  }

  /**
   * Reference: every sequence of L distinct nodes whose consecutive pairs (and last-first) are
   * edges is one of the 2L rotations and directions of a cycle through each of its nodes.
   */
  private static float[] bruteForce(Adjacency a, int k) {
    int w = CycleCounts.width(k);
    long[] seq = new long[a.n() * w];
    int[] path = new int[k];
    boolean[] used = new boolean[a.n()];
    for (int s = 0; s < a.n(); s++) {
      path[0] = s;
      used[s] = true;
      walk(a, k, path, 1, used, seq);
      used[s] = false;
    }
    float[] out = new float[seq.length];
    for (int i = 0; i < a.n(); i++) {
      for (int l = 3; l <= k; l++) out[i * w + l - 3] = seq[i * w + l - 3] / (2f * l);
    }
    return out;
  }

  private static void walk(Adjacency a, int k, int[] path, int len, boolean[] used, long[] seq) {
    if (len >= 3 && adjacent(a, path[len - 1], path[0])) {
      for (int i = 0; i < len; i++) seq[path[i] * CycleCounts.width(k) + len - 3]++;
    }
    if (len == k) return;
    for (int v = 0; v < a.n(); v++) {
      if (!used[v] && adjacent(a, path[len - 1], v)) {
        used[v] = true;
        path[len] = v;
        walk(a, k, path, len + 1, used, seq);
        used[v] = false;
      }
    }
  }

  private static boolean adjacent(Adjacency a, int u, int v) {
    for (int p = a.rowPtr()[u]; p < a.rowPtr()[u + 1]; p++) if (a.col()[p] == v) return true;
    return false;
  }

  @Test
  void triangleSquareAndSevenRingCountTheirOwnLength() {
    for (int n : new int[] {3, 4, 7}) {
      float[] c = CycleCounts.compute(Graphs.cycle(n), new int[] {n}, 8);
      float[] expected = new float[CycleCounts.width(8)];
      expected[n - 3] = 1;
      for (int i = 0; i < n; i++) assertArrayEquals(expected, row(c, i, 8), "cycle of " + n + ", node " + i);
    }
  }

  @Test
  void treesHaveNoCycles() {
    float[] c = CycleCounts.compute(Graphs.star(6), new int[] {6}, 10);
    for (float v : c) assertEquals(0f, v);
    c = CycleCounts.compute(Graphs.path(9), new int[] {9}, 10);
    for (float v : c) assertEquals(0f, v);
  }

  @Test
  void naphthaleneHasTwoSixRingsAndTheirTenRingEnvelope() {
    float[] c = CycleCounts.compute(naphthalene(), new int[] {10}, 10);
    for (int i = 0; i < 10; i++) {
      float[] r = row(c, i, 10);
      float six = i == 4 || i == 5 ? 2 : 1;
      for (int l = 3; l <= 10; l++) {
        float expected = l == 6 ? six : l == 10 ? 1 : 0;
        assertEquals(expected, r[l - 3], "node " + i + ", length " + l);
      }
    }
    // below the envelope's length only the two rings count
    float[] c8 = CycleCounts.compute(naphthalene(), new int[] {10}, 8);
    assertEquals(0f, row(c8, 0, 8)[CycleCounts.width(8) - 1]);
    assertEquals(2f, row(c8, 4, 8)[3]);
  }

  @Test
  void aBudgetLargeEnoughCountsAsWithout() {
    Adjacency a = Graphs.random(9, 14, 1);
    assertArrayEquals(CycleCounts.compute(a, new int[] {9}, 8), CycleCounts.compute(a, new int[] {9}, 8, 100_000));
  }

  @Test
  void completeGraphOnFourNodes() {
    // K4: 4 triangles (3 through each node), 3 four-cycles (all through every node)
    float[] c = CycleCounts.compute(Graphs.complete(4), new int[] {4}, 5);
    for (int i = 0; i < 4; i++) assertArrayEquals(new float[] {3, 3, 0}, row(c, i, 5));
  }

  @Test
  void matchesBruteForceOnRandomGraphs() {
    int nonZero = 0;
    for (long seed = 0; seed < 6; seed++) {
      Adjacency a = Graphs.random(9, 14, seed);
      float[] c = CycleCounts.compute(a, new int[] {9}, 8);
      assertArrayEquals(bruteForce(a, 8), c, "seed " + seed);
      for (float v : c) if (v != 0) nonZero++;
    }
    assertTrue(nonZero > 20, "the random graphs had only " + nonZero + " non-zero counts");
  }

  @Test
  void countsFollowTheNodesWhenRenumbered() {
    Adjacency a = naphthalene();
    int[] perm = {7, 2, 9, 0, 5, 1, 8, 3, 6, 4};   // old node i becomes perm[i]
    int[] s = new int[a.col().length];
    int[] d = new int[a.col().length];
    for (int i = 0, e = 0; i < a.n(); i++) {
      for (int p = a.rowPtr()[i]; p < a.rowPtr()[i + 1]; p++, e++) {
        s[e] = perm[i];
        d[e] = perm[a.col()[p]];
      }
    }
    float[] before = CycleCounts.compute(a, new int[] {10}, 10);
    float[] after = CycleCounts.compute(Adjacency.undirected(s, d, 10), new int[] {10}, 10);
    for (int i = 0; i < 10; i++) assertArrayEquals(row(before, i, 10), row(after, perm[i], 10), "node " + i);
  }

  @Test
  void batchRowsEqualEachGraphOnItsOwn() {
    Adjacency a = naphthalene();
    Adjacency b = Graphs.random(7, 12, 3);
    float[] both = CycleCounts.compute(Graphs.union(a, b), new int[] {10, 7}, 9);
    float[] ca = CycleCounts.compute(a, new int[] {10}, 9);
    float[] cb = CycleCounts.compute(b, new int[] {7}, 9);
    float[] joined = new float[both.length];
    System.arraycopy(ca, 0, joined, 0, ca.length);
    System.arraycopy(cb, 0, joined, ca.length, cb.length);
    assertArrayEquals(joined, both);
  }

  @Test
  void rejectsLengthsOutOfRangeAndGraphsTooLargeToEnumerate() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CycleCounts.compute(Graphs.cycle(5), new int[] {5}, 2));
    assertTrue(e.getMessage().contains("[3, 16]") && e.getMessage().contains("got 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CycleCounts.compute(Graphs.cycle(5), new int[] {5}, 17));
    e = assertThrows(IllegalArgumentException.class,
        () -> CycleCounts.compute(Graphs.complete(12), new int[] {12}, 12, 10_000));
    assertTrue(e.getMessage().contains("graph 0") && e.getMessage().contains("smaller"), e.getMessage());
  }
}
