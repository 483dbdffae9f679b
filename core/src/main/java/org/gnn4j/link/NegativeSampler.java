package org.gnn4j.link;

import java.util.SplittableRandom;

/**
 * Draws negative links, node pairs that are not known edges, for training and evaluating a
 * link predictor. {@link #uniform} draws distinct ordered pairs {@code (u, v)}, {@code u != v},
 * uniformly among all pairs that are not known positives (PyG's {@code negative_sampling} on
 * the training graph, without its shortfall); {@link #perSource} draws, for every given source,
 * destinations that source has no known edge to (the corrupted tails of BPR and of
 * knowledge-graph training). Stateless apart from the known set: every call draws from the
 * stream it is given, so a fresh stream per epoch gives fresh negatives, and a fixed one a fixed
 * set for validation or test.
 */
public final class NegativeSampler {
  private final int numNodes;
  private final PairSet known;
  private final int[] knownOut;        // [N] known positives (u, v), v != u, per source u
  private final long knownPairs;       // all of them

  /**
   * @param numNodes nodes of the graph; pairs are drawn from [0, numNodes)^2
   * @param positives the known edges, which are never drawn
   * @param bothOrders whether (v, u) is known whenever (u, v) is (an undirected graph given by
   *     one orientation per edge)
   * @throws IllegalArgumentException if a known pair has a node out of range
   */
  public NegativeSampler(int numNodes, NodePairs positives, boolean bothOrders) {
    if (numNodes < 2) {
      throw new IllegalArgumentException("NegativeSampler: a graph needs at least 2 nodes to have"
          + " non-edges (got " + numNodes + ")");
    }
    this.numNodes = numNodes;
    this.known = new PairSet(positives.size() * (bothOrders ? 2 : 1));
    this.knownOut = new int[numNodes];
    long count = 0;
    for (int i = 0; i < positives.size(); i++) {
      int u = positives.src()[i];
      int v = positives.dst()[i];
      if (u < 0 || u >= numNodes || v < 0 || v >= numNodes) {
        throw new IllegalArgumentException("NegativeSampler: positive pair " + i + " = (" + u + ", "
            + v + ") has a node out of range [0, " + numNodes + ")");
      }
      count += addKnown(u, v);
      if (bothOrders) count += addKnown(v, u);
    }
    this.knownPairs = count;
  }

  private int addKnown(int u, int v) {
    if (u == v || !known.add(NodePairs.key(u, v, numNodes))) return 0;
    knownOut[u]++;
    return 1;
  }

  /** Whether (u, v) is a known positive. */
  public boolean isKnown(int u, int v) {
    return known.contains(NodePairs.key(u, v, numNodes));
  }

  /** How many ordered pairs (u, v), u != v, are not known positives. */
  public long available() {
    return (long) numNodes * (numNodes - 1) - knownPairs;
  }

  /**
   * {@code count} distinct ordered pairs, u != v, none a known positive, uniformly at random.
   *
   * @throws IllegalArgumentException if fewer than {@code count} such pairs exist
   */
  public NodePairs uniform(int count, SplittableRandom rng) {
    if (count < 0 || count > available()) {
      throw new IllegalArgumentException("NegativeSampler: cannot draw " + count + " distinct"
          + " negatives; the graph has " + available() + " non-edges");
    }
    if (2L * count > available()) return enumerated(count, rng);
    int[] s = new int[count];
    int[] d = new int[count];
    PairSet chosen = new PairSet(count);
    for (int i = 0; i < count; ) {
      int u = rng.nextInt(numNodes);
      int v = rng.nextInt(numNodes);
      long key = NodePairs.key(u, v, numNodes);
      if (u == v || known.contains(key) || !chosen.add(key)) continue;
      s[i] = u;
      d[i++] = v;
    }
    return new NodePairs(s, d);
  }

  /** Dense case: list every non-edge, then a partial Fisher-Yates picks a uniform subset. */
  private NodePairs enumerated(int count, SplittableRandom rng) {
    long[] all = new long[Math.toIntExact(available())];
    int k = 0;
    for (int u = 0; u < numNodes; u++) {
      for (int v = 0; v < numNodes; v++) {
        long key = NodePairs.key(u, v, numNodes);
        if (u != v && !known.contains(key)) all[k++] = key;
      }
    }
    int[] s = new int[count];
    int[] d = new int[count];
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(all.length - i);
      long t = all[i];
      all[i] = all[j];
      all[j] = t;
      s[i] = (int) (all[i] / numNodes);
      d[i] = (int) (all[i] % numNodes);
    }
    return new NodePairs(s, d);
  }

  /**
   * For every entry u of {@code sources}, {@code perSource} distinct destinations v != u with
   * (u, v) not a known positive, uniformly at random: pairs {@code i * perSource .. (i + 1) *
   * perSource - 1} belong to {@code sources[i]}. A source listed twice gets two independent draws.
   *
   * @throws IllegalArgumentException if a source is out of range or has fewer than
   *     {@code perSource} non-neighbours
   */
  public NodePairs perSource(int[] sources, int perSource, SplittableRandom rng) {
    if (perSource < 1) {
      throw new IllegalArgumentException("NegativeSampler: perSource must be >= 1 (got " + perSource + ")");
    }
    int[] s = new int[Math.multiplyExact(sources.length, perSource)];
    int[] d = new int[s.length];
    for (int i = 0; i < sources.length; i++) {
      int u = sources[i];
      if (u < 0 || u >= numNodes) {
        throw new IllegalArgumentException("NegativeSampler: sources[" + i + "] = " + u
            + " is out of range [0, " + numNodes + ")");
      }
      int free = numNodes - 1 - knownOut[u];
      if (perSource > free) {
        throw new IllegalArgumentException("NegativeSampler: node " + u + " has " + free
            + " non-neighbours, fewer than the " + perSource + " negatives asked per source");
      }
      int base = i * perSource;
      java.util.Arrays.fill(s, base, base + perSource, u);
      if (perSource > 64 || 2 * perSource > free) {
        fillFromAll(u, free, d, base, perSource, rng);
        continue;
      }
      for (int j = 0; j < perSource; ) {
        int v = rng.nextInt(numNodes);
        if (v == u || known.contains(NodePairs.key(u, v, numNodes)) || seen(d, base, base + j, v)) continue;
        d[base + j++] = v;
      }
    }
    return new NodePairs(s, d);
  }

  private static boolean seen(int[] d, int from, int to, int v) {
    for (int i = from; i < to; i++) if (d[i] == v) return true;
    return false;
  }

  /** Many negatives for one source: a uniform subset of the list of its non-neighbours. */
  private void fillFromAll(int u, int free, int[] d, int base, int k, SplittableRandom rng) {
    int[] all = new int[free];
    int n = 0;
    for (int v = 0; v < numNodes; v++) if (v != u && !isKnown(u, v)) all[n++] = v;
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(free - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
      d[base + i] = all[i];
    }
  }
}
