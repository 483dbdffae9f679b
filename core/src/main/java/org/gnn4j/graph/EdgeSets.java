package org.gnn4j.graph;

/**
 * Attention patterns as edge sets: "a Transformer is a GNN on the complete graph". Each builder
 * returns an {@link EdgeIndex} that the attention layers consume like any graph; edges are
 * ordered by target, then source.
 */
public final class EdgeSets {
  private EdgeSets() {}

  /** Every ordered pair (j -> i) of n nodes, with or without j == i: full self-attention. */
  public static EdgeIndex complete(int n, boolean selfLoops) {
    checkCount("complete", n);
    long e = (long) n * (selfLoops ? n : n - 1);
    checkSize("complete", n, e);
    int[] src = new int[(int) e];
    int[] dst = new int[(int) e];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (j == i && !selfLoops) continue;
        src[p] = j;
        dst[p++] = i;
      }
    }
    return EdgeIndex.of(src, dst, n);
  }

  /** j -> i for every j &lt;= i: causal (autoregressive) self-attention over a sequence. */
  public static EdgeIndex causal(int n) {
    checkCount("causal", n);
    long e = (long) n * (n + 1) / 2;
    checkSize("causal", n, e);
    int[] src = new int[(int) e];
    int[] dst = new int[(int) e];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        src[p] = j;
        dst[p++] = i;
      }
    }
    return EdgeIndex.of(src, dst, n);
  }

  /**
   * Every ordered pair of nodes of the same graph, self-loops included: global attention inside
   * each graph of a batch (GPS), where {@code batch[i]} is node i's graph id, sorted ascending
   * as in PyG. O(sum of n_g^2) edges: meant for batches of small graphs.
   *
   * @throws IllegalArgumentException if batch is not sorted or has a negative id
   */
  public static EdgeIndex withinGraphs(int[] batch) {
    int n = batch.length;
    long e = 0;
    for (int start = 0, i = 0; i <= n; i++) {
      if (i == n || (i > start && batch[i] != batch[start])) {
        if (i < n && batch[i] < batch[start]) {
          throw new IllegalArgumentException("EdgeSets.withinGraphs: batch must be sorted (batch["
              + i + "] = " + batch[i] + " after " + batch[start] + ")");
        }
        e += (long) (i - start) * (i - start);
        start = i;
      }
      if (i < n && batch[i] < 0) {
        throw new IllegalArgumentException("EdgeSets.withinGraphs: batch[" + i + "] = " + batch[i]
            + " is negative");
      }
    }
    checkSize("withinGraphs", n, e);
    int[] src = new int[(int) e];
    int[] dst = new int[(int) e];
    int p = 0;
    for (int start = 0; start < n; ) {
      int end = start;
      while (end < n && batch[end] == batch[start]) end++;
      for (int i = start; i < end; i++) {
        for (int j = start; j < end; j++) {
          src[p] = j;
          dst[p++] = i;
        }
      }
      start = end;
    }
    return EdgeIndex.of(src, dst, n);
  }

  private static void checkCount(String op, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("EdgeSets." + op + ": n must be >= 0 (got " + n + ")");
    }
  }

  private static void checkSize(String op, int n, long e) {
    if (e > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("EdgeSets." + op + ": " + e + " edges for " + n
          + " nodes exceed a Java array; use a sparse pattern or blocked dense attention");
    }
  }
}
