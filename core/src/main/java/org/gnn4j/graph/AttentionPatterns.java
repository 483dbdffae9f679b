package org.gnn4j.graph;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Sparse attention patterns of the long-sequence Transformers as edge sets ("a sparse
 * Transformer is a Transformer on a sparse graph"): Longformer's sliding window with global
 * tokens, BigBird's blocked window + global + random blocks, Reformer's LSH buckets, and a
 * virtual node joined to every node. Positions are nodes 0..n-1; an edge j -> i lets query i
 * attend to key j, as for {@link EdgeSets}. Every pattern is sorted by target, then source, and
 * has no duplicate edge. Memory is O(edges) = O(n * window), never O(n^2), except for the rows
 * of global tokens, which see all n positions by definition.
 */
public final class AttentionPatterns {
  private AttentionPatterns() {}

  /**
   * Longformer attention (Beltagy et al., arXiv:2004.05150). Query i sees keys i + k * dilation
   * for every integer k with |k| &lt;= window / 2 (k &lt;= 0 only, when causal), clipped to [0, n): an
   * odd window w gives w keys in the interior. Each global position g sees every position
   * (every j &lt;= g when causal) and is seen by every position (every i >= g when causal).
   *
   * @param window width w >= 1 of the band, at most n
   * @param dilation gap between attended positions, >= 1 (1 = contiguous band)
   * @param global positions of the global tokens in [0, n), any order; may be empty
   * @throws IllegalArgumentException if n &lt; 1, window not in [1, n], dilation &lt; 1 or a global
   *     position is out of range
   */
  public static EdgeIndex longformer(int n, int window, int dilation, boolean causal,
                                     int... global) {
    String op = "AttentionPatterns.longformer";
    checkLength(op, n);
    if (window < 1 || window > n) {
      throw new IllegalArgumentException(op + ": window must be in [1, n = " + n + "] (got "
          + window + ")");
    }
    if (dilation < 1) {
      throw new IllegalArgumentException(op + ": dilation must be >= 1 (got " + dilation + ")");
    }
    boolean[] isGlobal = new boolean[n];
    for (int p = 0; p < global.length; p++) {
      if (global[p] < 0 || global[p] >= n) {
        throw new IllegalArgumentException(op + ": global[" + p + "] = " + global[p]
            + " is out of range [0, " + n + ")");
      }
      isGlobal[global[p]] = true;
    }
    int[] globals = positionsOf(isGlobal);
    int half = window / 2;
    Builder b = new Builder(n, (long) n * (2 * half + 1 + globals.length)
        + (long) globals.length * n);
    int[] row = new int[n];
    for (int i = 0; i < n; i++) {
      int last = causal ? i : n - 1;
      int len = 0;
      if (isGlobal[i]) {
        for (int j = 0; j <= last; j++) row[len++] = j;
      } else {
        for (int k = -half; k <= (causal ? 0 : half); k++) {
          long j = i + (long) k * dilation;
          if (j >= 0 && j < n) row[len++] = (int) j;
        }
        for (int g : globals) {
          if (g <= last) row[len++] = g;
        }
      }
      b.addRow(i, row, len);
    }
    return b.build();
  }

  /**
   * BigBird attention (Zaheer et al., arXiv:2007.14062), blocked: positions form n / blockSize
   * blocks; every query of block q sees every key of (a) the windowBlocks blocks centred on q,
   * (b) the first globalBlocks blocks, and (c) randomBlocks further blocks drawn without
   * replacement from those not in (a) or (b), fresh for each query block. Queries of a global
   * block see every position.
   *
   * @param windowBlocks odd width of the block window (3 = the block and one on each side)
   * @param rng draws the random blocks; same state, same pattern
   * @throws IllegalArgumentException if n is not a positive multiple of blockSize (pad the
   *     sequence first), windowBlocks is even or &lt; 1, or the window, global and random blocks
   *     need more blocks than there are
   */
  public static EdgeIndex bigBird(int n, int blockSize, int windowBlocks, int globalBlocks,
                                  int randomBlocks, SplittableRandom rng) {
    String op = "AttentionPatterns.bigBird";
    checkLength(op, n);
    if (blockSize < 1 || n % blockSize != 0) {
      throw new IllegalArgumentException(op + ": n = " + n + " must be a multiple of blockSize"
          + " (got blockSize " + blockSize + "); pad the sequence to a whole number of blocks");
    }
    int nb = n / blockSize;
    if (windowBlocks < 1 || windowBlocks % 2 == 0 || globalBlocks < 0 || randomBlocks < 0) {
      throw new IllegalArgumentException(op + ": need an odd windowBlocks >= 1 and"
          + " globalBlocks, randomBlocks >= 0 (got " + windowBlocks + ", " + globalBlocks + ", "
          + randomBlocks + ")");
    }
    if (windowBlocks + globalBlocks + randomBlocks > nb) {
      throw new IllegalArgumentException(op + ": windowBlocks + globalBlocks + randomBlocks = "
          + (windowBlocks + globalBlocks + randomBlocks) + " blocks exceed the " + nb
          + " blocks of n = " + n + " (blockSize " + blockSize + ")");
    }
    int perQuery = windowBlocks + globalBlocks + randomBlocks;
    Builder b = new Builder(n, (long) n * perQuery * blockSize
        + (long) globalBlocks * blockSize * n);
    int[] row = new int[n];
    int[] chosen = new int[nb];
    int[] candidates = new int[nb];
    boolean[] taken = new boolean[nb];
    int half = windowBlocks / 2;
    for (int qb = 0; qb < nb; qb++) {
      int count;
      if (qb < globalBlocks) {
        count = nb;
        for (int c = 0; c < nb; c++) chosen[c] = c;
      } else {
        Arrays.fill(taken, false);
        for (int c = 0; c < globalBlocks; c++) taken[c] = true;
        for (int c = Math.max(0, qb - half); c <= Math.min(nb - 1, qb + half); c++) taken[c] = true;
        int free = 0;
        for (int c = 0; c < nb; c++) if (!taken[c]) candidates[free++] = c;
        // partial Fisher-Yates: the first randomBlocks of a shuffled candidate list
        for (int r = 0; r < Math.min(randomBlocks, free); r++) {
          int pick = r + rng.nextInt(free - r);
          int t = candidates[r];
          candidates[r] = candidates[pick];
          candidates[pick] = t;
          taken[candidates[r]] = true;
        }
        count = 0;
        for (int c = 0; c < nb; c++) if (taken[c]) chosen[count++] = c;
      }
      int len = 0;
      for (int c = 0; c < count; c++) {
        for (int j = chosen[c] * blockSize; j < (chosen[c] + 1) * blockSize; j++) row[len++] = j;
      }
      for (int i = qb * blockSize; i < (qb + 1) * blockSize; i++) b.addRow(i, row, len);
    }
    return b.build();
  }

  /**
   * Reformer's LSH attention pattern (Kitaev et al., arXiv:2001.04451) for vectors x [n, d]: in
   * each of {@code rounds} hash rounds, h(x) = argmax([xR ; -xR]) with a fresh Gaussian R
   * [d, buckets/2], positions are sorted by (bucket, position) and cut into chunks of
   * {@code chunk} consecutive sorted positions, and each position attends to every position of
   * its chunk and of the previous chunk. The pattern is the union over rounds. (The Reformer
   * further masks pairs whose buckets differ; here the chunk decides, so every query sees at
   * least its own chunk.)
   *
   * @param x row-major [n, d]
   * @throws IllegalArgumentException if x.length != n * d, n &lt; 1, d &lt; 1, buckets is not an even
   *     number >= 2, rounds &lt; 1 or chunk not in [1, n]
   */
  public static EdgeIndex lsh(float[] x, int n, int d, int buckets, int rounds, int chunk,
                              SplittableRandom rng) {
    String op = "AttentionPatterns.lsh";
    if (rounds < 1 || chunk < 1 || chunk > Math.max(n, 1)) {
      throw new IllegalArgumentException(op + ": need rounds >= 1 and chunk in [1, n = " + n
          + "] (got rounds " + rounds + ", chunk " + chunk + ")");
    }
    int[][] hashes = lshBuckets(x, n, d, buckets, rounds, rng);
    Builder b = new Builder(n, (long) rounds * n * 2 * chunk);
    long[] order = new long[n];
    int[] sorted = new int[n];
    for (int[] h : hashes) {
      for (int i = 0; i < n; i++) order[i] = (long) h[i] * n + i;     // sort by (bucket, position)
      Arrays.sort(order);
      for (int i = 0; i < n; i++) sorted[i] = (int) (order[i] % n);
      for (int s = 0; s < n; s++) {
        int from = Math.max(0, (s / chunk - 1) * chunk);
        int to = Math.min(n, (s / chunk + 1) * chunk);
        for (int t = from; t < to; t++) b.addEdge(sorted[t], sorted[s]);
      }
    }
    return b.build();
  }

  /**
   * The LSH bucket of every row of x [n, d] in each round: {@code result[r][i]} in
   * [0, buckets). Row i's bucket is argmax([x_i R_r ; -x_i R_r]), R_r [d, buckets/2] Gaussian
   * from rng, so vectors at a small angle share a bucket with high probability.
   */
  public static int[][] lshBuckets(float[] x, int n, int d, int buckets, int rounds,
                                   SplittableRandom rng) {
    String op = "AttentionPatterns.lsh";
    checkLength(op, n);
    if (d < 1 || (long) n * d != x.length) {
      throw new IllegalArgumentException(op + ": x has " + x.length + " values, expected n * d = "
          + n + " * " + d + " with d >= 1");
    }
    if (buckets < 2 || buckets % 2 != 0 || rounds < 1) {
      throw new IllegalArgumentException(op + ": buckets must be even and >= 2, rounds >= 1"
          + " (got buckets " + buckets + ", rounds " + rounds + ")");
    }
    int half = buckets / 2;
    int[][] out = new int[rounds][n];
    double[] rot = new double[d * half];                 // rot: [d, buckets/2]
    double[] proj = new double[half];
    for (int r = 0; r < rounds; r++) {
      for (int t = 0; t < rot.length; t++) rot[t] = rng.nextGaussian();
      for (int i = 0; i < n; i++) {
        Arrays.fill(proj, 0);
        for (int k = 0; k < d; k++) {
          double xk = x[i * d + k];
          for (int c = 0; c < half; c++) proj[c] += xk * rot[k * half + c];
        }
        int best = 0;
        double bestVal = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < buckets; c++) {
          double v = c < half ? proj[c] : -proj[c - half];
          if (v > bestVal) {
            bestVal = v;
            best = c;
          }
        }
        out[r][i] = best;
      }
    }
    return out;
  }

  /**
   * The pattern plus a virtual node with id n = edges.numNodes(), joined to and from every node
   * (j -> n and n -> j): one hop between any two positions. The result has n + 1 nodes; the
   * node features must get one more row (e.g. a learned vector) before use.
   *
   * @throws IllegalStateException if edges is bipartite (no single node set to join)
   */
  public static EdgeIndex virtualNode(EdgeIndex edges) {
    int n = edges.numNodes();
    Builder b = new Builder(n + 1, edges.numEdges() + 2L * n);
    int[] src = edges.src();
    int[] dst = edges.dst();
    for (int e = 0; e < src.length; e++) b.addEdge(src[e], dst[e]);
    for (int j = 0; j < n; j++) {
      b.addEdge(j, n);
      b.addEdge(n, j);
    }
    return b.build();
  }

  private static int[] positionsOf(boolean[] flags) {
    int c = 0;
    for (boolean f : flags) if (f) c++;
    int[] out = new int[c];
    c = 0;
    for (int i = 0; i < flags.length; i++) if (flags[i]) out[c++] = i;
    return out;
  }

  private static void checkLength(String op, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(op + ": the sequence must have n >= 1 positions (got "
          + n + ")");
    }
  }

  /**
   * Collects edges as longs (dst * numNodes + src), then sorts and deduplicates them once;
   * {@code expected} sizes the buffer so a pattern grows by doubling at most rarely.
   */
  private static final class Builder {
    private final int numNodes;
    private long[] keys;
    private int size;

    Builder(int numNodes, long expected) {
      this.numNodes = numNodes;
      this.keys = new long[(int) Math.min(Math.max(expected, 16), Integer.MAX_VALUE - 8)];
    }

    void addEdge(int src, int dst) {
      if (size == keys.length) {
        if (size >= Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("AttentionPatterns: more than " + size
              + " edges exceed a Java array; use a sparser pattern");
        }
        keys = Arrays.copyOf(keys, (int) Math.min((long) size * 2, Integer.MAX_VALUE - 8));
      }
      keys[size++] = (long) dst * numNodes + src;
    }

    void addRow(int dst, int[] srcs, int len) {
      for (int t = 0; t < len; t++) addEdge(srcs[t], dst);
    }

    EdgeIndex build() {
      Arrays.sort(keys, 0, size);
      int m = 0;
      for (int t = 0; t < size; t++) {
        if (m == 0 || keys[t] != keys[m - 1]) keys[m++] = keys[t];
      }
      int[] src = new int[m];
      int[] dst = new int[m];
      for (int t = 0; t < m; t++) {
        dst[t] = (int) (keys[t] / numNodes);
        src[t] = (int) (keys[t] % numNodes);
      }
      return EdgeIndex.of(src, dst, numNodes);
    }
  }
}
