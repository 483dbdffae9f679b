package org.gnn4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AttentionPatternsTest {
  /** mask[i][j] = edge j -> i present; fails on a duplicate edge. */
  static boolean[][] mask(EdgeIndex e) {
    int n = e.numNodes();
    boolean[][] m = new boolean[n][n];
    for (int k = 0; k < e.numEdges(); k++) {
      assertFalse(m[e.dst()[k]][e.src()[k]], "duplicate edge " + e.src()[k] + "->" + e.dst()[k]);
      m[e.dst()[k]][e.src()[k]] = true;
    }
    return m;
  }

  static void assertSortedByDstThenSrc(EdgeIndex e) {
    for (int k = 1; k < e.numEdges(); k++) {
      long prev = (long) e.dst()[k - 1] << 32 | e.src()[k - 1];
      long cur = (long) e.dst()[k] << 32 | e.src()[k];
      assertTrue(prev < cur, "edge " + k + " out of order or duplicated");
    }
  }

  /** The pattern is exactly {(j -> i) : rule(i, j)}. */
  static void assertPattern(EdgeIndex e, int n, BiPredicate<Integer, Integer> rule) {
    assertSortedByDstThenSrc(e);
    boolean[][] m = mask(e);
    int expected = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(rule.test(i, j), m[i][j], "query " + i + ", key " + j);
        if (m[i][j]) expected++;
      }
    }
    assertEquals(expected, e.numEdges());
  }

  @Test
  void longformerWindowIsABand() {
    assertPattern(AttentionPatterns.longformer(20, 5, 1, false), 20,
        (i, j) -> Math.abs(i - j) <= 2);
    assertPattern(AttentionPatterns.longformer(20, 5, 1, true), 20,
        (i, j) -> j <= i && i - j <= 2);
    assertPattern(AttentionPatterns.longformer(20, 5, 3, false), 20,
        (i, j) -> Math.abs(i - j) <= 6 && (i - j) % 3 == 0);
    // interior queries have exactly w keys: O(n * w) edges
    EdgeIndex big = AttentionPatterns.longformer(10_000, 9, 1, false);
    assertEquals(10_000 * 9 - 2 * (4 + 3 + 2 + 1), big.numEdges());
  }

  @Test
  void longformerGlobalTokensSeeAndAreSeenByAll() {
    int n = 30;
    EdgeIndex e = AttentionPatterns.longformer(n, 3, 1, false, 0, 17, 17);
    assertPattern(e, n, (i, j) -> Math.abs(i - j) <= 1 || i == 0 || i == 17 || j == 0 || j == 17);
    assertPattern(AttentionPatterns.longformer(n, 3, 1, true, n - 1, 4), n,
        (i, j) -> j <= i && (i - j <= 1 || i == n - 1 || i == 4 || j == 4));
  }

  @Test
  void bigBirdBlocksHaveWindowGlobalAndRandomBlocks() {
    int b = 4;
    int nb = 12;
    EdgeIndex e = AttentionPatterns.bigBird(nb * b, b, 3, 2, 2, new SplittableRandom(5));
    assertSortedByDstThenSrc(e);
    boolean[][] m = mask(e);
    long edges = 0;
    for (int qb = 0; qb < nb; qb++) {
      int randomSeen = 0;
      for (int kb = 0; kb < nb; kb++) {
        boolean seen = m[qb * b][kb * b];
        // all queries of the block see the whole key block, or none of it
        for (int i = qb * b; i < qb * b + b; i++) {
          for (int j = kb * b; j < kb * b + b; j++) assertEquals(seen, m[i][j], i + "<-" + j);
        }
        boolean required = qb < 2 || kb < 2 || Math.abs(qb - kb) <= 1;
        if (required) assertTrue(seen, "block " + qb + " must see block " + kb);
        else if (seen) randomSeen++;
        if (seen) edges += (long) b * b;
      }
      assertEquals(qb < 2 ? 0 : 2, randomSeen, "random blocks of query block " + qb);
    }
    assertEquals(edges, e.numEdges());
    // at most 3 window + 2 global + 2 random blocks per non-global query block: O(n * b)
    assertTrue(e.numEdges() <= (long) (nb - 2) * 7 * b * b + 2L * nb * b * b);
  }

  @Test
  void bigBirdIsDeterministicForASeedAndDiffersAcrossSeeds() {
    EdgeIndex a = AttentionPatterns.bigBird(64, 4, 3, 1, 3, new SplittableRandom(9));
    EdgeIndex b = AttentionPatterns.bigBird(64, 4, 3, 1, 3, new SplittableRandom(9));
    EdgeIndex c = AttentionPatterns.bigBird(64, 4, 3, 1, 3, new SplittableRandom(10));
    assertArrayEquals(a.src(), b.src());
    assertArrayEquals(a.dst(), b.dst());
    assertFalse(java.util.Arrays.equals(a.src(), c.src()) && a.numEdges() == c.numEdges()
        && java.util.Arrays.equals(a.dst(), c.dst()));
  }

  @Test
  void lshPutsNearVectorsTogetherAndFarVectorsApart() {
    SplittableRandom r = new SplittableRandom(3);
    int pairs = 200;
    int d = 16;
    float[] x = new float[2 * pairs * d];
    for (int p = 0; p < pairs; p++) {
      for (int k = 0; k < d; k++) {
        float v = (float) r.nextGaussian();
        x[(2 * p) * d + k] = v;
        // near copy: tiny angle; far copy for odd p: the negated vector (opposite bucket always)
        x[(2 * p + 1) * d + k] = p % 2 == 0 ? v + 0.01f * (float) r.nextGaussian() : -v;
      }
    }
    int[][] h = AttentionPatterns.lshBuckets(x, 2 * pairs, d, 8, 2, new SplittableRandom(7));
    int nearSame = 0;
    int farSame = 0;
    for (int p = 0; p < pairs; p++) {
      if (h[0][2 * p] == h[0][2 * p + 1]) {
        if (p % 2 == 0) nearSame++;
        else farSame++;
      }
    }
    assertTrue(nearSame >= 0.95 * pairs / 2, "near pairs in one bucket: " + nearSame);
    assertEquals(0, farSame, "x and -x must never share a bucket");
    int independentSame = 0;
    for (int p = 0; p + 1 < pairs; p++) {
      if (h[0][2 * p] == h[0][2 * p + 2]) independentSame++;
    }
    // 8 buckets: unrelated vectors collide with probability ~1/8
    assertTrue(independentSame < 0.3 * pairs, "unrelated vectors in one bucket: " + independentSame);
    int[][] again = AttentionPatterns.lshBuckets(x, 2 * pairs, d, 8, 2, new SplittableRandom(7));
    assertArrayEquals(h[0], again[0]);
    assertArrayEquals(h[1], again[1]);
    assertFalse(java.util.Arrays.equals(h[0], h[1]), "rounds use different rotations");
  }

  @Test
  void lshPatternIsChunkAndPreviousChunkOfTheBucketOrder() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 50;
    int d = 4;
    float[] x = new float[n * d];
    for (int t = 0; t < x.length; t++) x[t] = (float) r.nextGaussian();
    int chunk = 6;
    EdgeIndex e = AttentionPatterns.lsh(x, n, d, 4, 1, chunk, new SplittableRandom(2));
    int[] h = AttentionPatterns.lshBuckets(x, n, d, 4, 1, new SplittableRandom(2))[0];
    // rank of each position in the (bucket, position) order
    int[] rank = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (h[j] < h[i] || (h[j] == h[i] && j < i)) rank[i]++;
      }
    }
    assertPattern(e, n, (i, j) -> {
      int ci = rank[i] / chunk;
      int cj = rank[j] / chunk;
      return cj == ci || cj == ci - 1;
    });
    assertTrue(e.numEdges() <= 2 * chunk * n);
    EdgeIndex two = AttentionPatterns.lsh(x, n, d, 4, 2, chunk, new SplittableRandom(2));
    boolean[][] m1 = mask(e);
    boolean[][] m2 = mask(two);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) if (m1[i][j]) assertTrue(m2[i][j], "round 1 kept in union");
    }
    assertSortedByDstThenSrc(two);
  }

  @Test
  void virtualNodeJoinsEveryNode() {
    EdgeIndex base = AttentionPatterns.longformer(10, 3, 1, false);
    EdgeIndex v = AttentionPatterns.virtualNode(base);
    assertEquals(11, v.numNodes());
    assertEquals(base.numEdges() + 20, v.numEdges());
    assertPattern(v, 11, (i, j) -> i == 10 ^ j == 10 || (i < 10 && j < 10 && Math.abs(i - j) <= 1));
  }

  @Test
  void badInputIsNamed() {
    SplittableRandom r = new SplittableRandom(1);
    assertMessage(() -> AttentionPatterns.longformer(0, 1, 1, false), "n >= 1");
    assertMessage(() -> AttentionPatterns.longformer(8, 9, 1, false), "window");
    assertMessage(() -> AttentionPatterns.longformer(8, 3, 0, false), "dilation");
    assertMessage(() -> AttentionPatterns.longformer(8, 3, 1, false, 8), "global[0] = 8");
    assertMessage(() -> AttentionPatterns.bigBird(10, 4, 3, 0, 0, r), "multiple of blockSize");
    assertMessage(() -> AttentionPatterns.bigBird(16, 4, 2, 0, 0, r), "odd windowBlocks");
    assertMessage(() -> AttentionPatterns.bigBird(16, 4, 3, 1, 1, r), "exceed the 4 blocks");
    assertMessage(() -> AttentionPatterns.bigBird(0, 4, 3, 0, 0, r), "n >= 1");
    assertMessage(() -> AttentionPatterns.lsh(new float[8], 4, 2, 3, 1, 2, r), "even");
    assertMessage(() -> AttentionPatterns.lsh(new float[7], 4, 2, 4, 1, 2, r), "n * d");
    assertMessage(() -> AttentionPatterns.lsh(new float[8], 4, 2, 4, 1, 5, r), "chunk");
    assertMessage(() -> AttentionPatterns.lsh(new float[0], 0, 2, 4, 1, 1, r), "n >= 1");
  }

  private static void assertMessage(Executable call, String part) {
    var e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("AttentionPatterns."), e.getMessage());
  }
}
