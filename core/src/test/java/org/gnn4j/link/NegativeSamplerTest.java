package org.gnn4j.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
  /** A ring 0-1-...-(n-1)-0 given one orientation per edge, plus a chord 0-n/2. */
  private static NodePairs ring(int n) {
    int[] s = new int[n + 1];
    int[] d = new int[n + 1];
    for (int i = 0; i < n; i++) {
      s[i] = i;
      d[i] = (i + 1) % n;
    }
    s[n] = 0;
    d[n] = n / 2;
    return new NodePairs(s, d);
  }

  @Test
  void uniformNeverDrawsAKnownPositiveASelfPairOrADuplicate() {
    int n = 30;
    NegativeSampler ns = new NegativeSampler(n, ring(n), true);
    NodePairs neg = ns.uniform(400, new SplittableRandom(1));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < neg.size(); i++) {
      int u = neg.src()[i];
      int v = neg.dst()[i];
      assertNotEquals(u, v);
      assertFalse(ns.isKnown(u, v), u + "," + v);
      assertFalse(Math.abs(u - v) == 1 || Math.abs(u - v) == n - 1, "ring edge " + u + "," + v);
      assertTrue(seen.add((long) u * n + v), "duplicate " + u + "," + v);
    }
    assertEquals(400, neg.size());
  }

  @Test
  void seededAndFreshPerStream() {
    NegativeSampler ns = new NegativeSampler(50, ring(50), true);
    NodePairs a = ns.uniform(100, new SplittableRandom(7));
    NodePairs b = ns.uniform(100, new SplittableRandom(7));
    NodePairs c = ns.uniform(100, new SplittableRandom(8));
    assertArrayEquals(a.src(), b.src());
    assertArrayEquals(a.dst(), b.dst());
    assertFalse(java.util.Arrays.equals(a.src(), c.src()) && java.util.Arrays.equals(a.dst(), c.dst()));
  }

  @Test
  void askingForEveryNonEdgeReturnsEachExactlyOnce() {
    int n = 6;
    NegativeSampler ns = new NegativeSampler(n, ring(n), true);
    long free = (long) n * (n - 1) - 2 * (n + 1);
    assertEquals(free, ns.available());
    NodePairs all = ns.uniform((int) free, new SplittableRandom(3));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      assertFalse(ns.isKnown(all.src()[i], all.dst()[i]));
      assertTrue(seen.add((long) all.src()[i] * n + all.dst()[i]));
    }
    assertThrows(IllegalArgumentException.class, () -> ns.uniform((int) free + 1, new SplittableRandom(3)));
  }

  @Test
  void directedKnownPairsLeaveTheReverseDrawable() {
    NegativeSampler ns = new NegativeSampler(2, new NodePairs(new int[] {0}, new int[] {1}), false);
    NodePairs neg = ns.uniform(1, new SplittableRandom(0));
    assertEquals(1, neg.src()[0]);
    assertEquals(0, neg.dst()[0]);
  }

  @Test
  void perSourceDrawsDistinctNonNeighboursOfEachSource() {
    int n = 40;
    NegativeSampler ns = new NegativeSampler(n, ring(n), true);
    int[] sources = {0, 5, 5, 39};
    NodePairs neg = ns.perSource(sources, 7, new SplittableRandom(2));
    assertEquals(28, neg.size());
    for (int i = 0; i < sources.length; i++) {
      Set<Integer> dsts = new HashSet<>();
      for (int j = i * 7; j < (i + 1) * 7; j++) {
        assertEquals(sources[i], neg.src()[j]);
        assertNotEquals(sources[i], neg.dst()[j]);
        assertFalse(ns.isKnown(neg.src()[j], neg.dst()[j]));
        assertTrue(dsts.add(neg.dst()[j]), "duplicate for source " + sources[i]);
      }
    }
    // node 0 has neighbours 1, 39 and the chord 20: 36 free destinations, all of them on request
    NodePairs all = ns.perSource(new int[] {0}, 36, new SplittableRandom(2));
    assertEquals(36, new HashSet<>(java.util.Arrays.stream(all.dst()).boxed().toList()).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ns.perSource(new int[] {0}, 37, new SplittableRandom(2)));
    assertTrue(e.getMessage().contains("node 0 has 36 non-neighbours"), e.getMessage());
  }
}
