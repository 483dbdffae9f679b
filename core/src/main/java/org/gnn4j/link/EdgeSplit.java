package org.gnn4j.link;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;

/**
 * The edges of one graph divided for link prediction, as PyG's {@code RandomLinkSplit}: the
 * training edges that carry messages, the training edges the loss is computed on (the same
 * ones unless a disjoint share was held back from message passing), and held-out validation and
 * test edges with as many non-edges each. An undirected graph is split by its undirected edges,
 * each stored once as (u, v), u &lt; v, so both directions of an edge always land in the same
 * part and {@link #graphFor} adds both back. Validation scores on the training graph, test on
 * the training graph plus the validation edges (they are known by then).
 *
 * @param trainMessage training edges for message passing
 * @param trainSupervision training edges the loss scores (== trainMessage when not disjoint)
 * @param valPos validation edges; {@code valNeg} as many non-edges of the full graph
 * @param testPos test edges; {@code testNeg} as many non-edges of the full graph
 */
public record EdgeSplit(int numNodes, boolean undirected, NodePairs trainMessage,
                        NodePairs trainSupervision, NodePairs valPos, NodePairs valNeg,
                        NodePairs testPos, NodePairs testNeg) {

  /** Every training edge: message-passing and supervision edges together, each once. */
  public NodePairs trainEdges() {
    if (trainSupervision == trainMessage) return trainMessage;
    return trainMessage.concat(trainSupervision);
  }

  /**
   * The message-passing graph of a split: {@code train} the message edges, {@code val} every
   * training edge, {@code test} every training and validation edge; both directions of each for
   * an undirected graph.
   */
  public EdgeIndex graphFor(String split) {
    NodePairs p = switch (split) {
      case "train" -> trainMessage;
      case "val" -> trainEdges();
      case "test" -> trainEdges().concat(valPos);
      default -> throw new IllegalArgumentException("EdgeSplit: unknown split '" + split
          + "' (valid: train, val, test)");
    };
    return p.asEdges(numNodes, undirected);
  }

  /**
   * A seeded random split of {@code graph}'s edges (self-loops and repeated edges dropped):
   * {@code floor(valFraction * P)} validation and {@code floor(testFraction * P)} test edges out
   * of the P (undirected) edges, the rest for training, of which {@code floor(disjointFraction *
   * train)} are supervision-only; validation and test non-edges are distinct pairs that are not
   * edges of the graph (in either direction for an undirected graph).
   *
   * @param undirected split undirected edges: {@code graph} must hold both directions of each
   * @throws IllegalArgumentException on fractions outside [0, 1) that leave no training edge, or
   *     an undirected split of a graph with an edge whose reverse is missing
   */
  public static EdgeSplit random(EdgeIndex graph, boolean undirected, double valFraction,
                                 double testFraction, double disjointFraction, SplittableRandom rng) {
    int n = graph.numDstNodes();
    NodePairs all = distinctPairs(graph, undirected);
    int p = all.size();
    int numVal = (int) Math.floor(valFraction * p);
    int numTest = (int) Math.floor(testFraction * p);
    if (!(valFraction >= 0 && testFraction >= 0 && disjointFraction >= 0 && disjointFraction < 1)
        || numVal + numTest >= p) {
      throw new IllegalArgumentException("EdgeSplit: fractions val " + valFraction + ", test "
          + testFraction + ", disjoint " + disjointFraction + " leave no training edge of " + p);
    }
    int[] order = new int[p];
    for (int i = 0; i < p; i++) order[i] = i;
    for (int i = p - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    NodePairs val = pick(all, order, 0, numVal);
    NodePairs test = pick(all, order, numVal, numVal + numTest);
    int numTrain = p - numVal - numTest;
    int numSup = (int) Math.floor(disjointFraction * numTrain);
    NodePairs message = pick(all, order, numVal + numTest + numSup, p);
    NodePairs supervision = numSup == 0 ? message : pick(all, order, numVal + numTest, numVal + numTest + numSup);
    NegativeSampler full = new NegativeSampler(n, all, undirected);
    NodePairs neg = full.uniform(numVal + numTest, rng);
    int[] firstVal = range(0, numVal);
    int[] restTest = range(numVal, numVal + numTest);
    return new EdgeSplit(n, undirected, message, supervision, val, select(neg, firstVal),
        test, select(neg, restTest));
  }

  /** Whether every edge u -> v of {@code graph} has its reverse v -> u (an undirected graph). */
  public static boolean isSymmetric(EdgeIndex graph) {
    int n = graph.numDstNodes();
    PairSet edges = new PairSet(graph.numEdges());
    for (int i = 0; i < graph.numEdges(); i++) edges.add(NodePairs.key(graph.src()[i], graph.dst()[i], n));
    for (int i = 0; i < graph.numEdges(); i++) {
      if (!edges.contains(NodePairs.key(graph.dst()[i], graph.src()[i], n))) return false;
    }
    return true;
  }

  /** The graph's edges once each (u < v for undirected), self-loops dropped, sorted. */
  static NodePairs distinctPairs(EdgeIndex graph, boolean undirected) {
    int n = graph.numDstNodes();
    int[] s = graph.src();
    int[] d = graph.dst();
    PairSet edges = new PairSet(s.length);
    for (int i = 0; i < s.length; i++) edges.add(NodePairs.key(s[i], d[i], n));
    long[] keys = new long[s.length];
    int k = 0;
    for (int i = 0; i < s.length; i++) {
      int u = s[i];
      int v = d[i];
      if (u == v) continue;
      if (undirected && !edges.contains(NodePairs.key(v, u, n))) {
        throw new IllegalArgumentException("EdgeSplit: edge " + i + " = (" + u + ", " + v + ") has no"
            + " reverse (" + v + ", " + u + "); an undirected split needs both directions of every edge");
      }
      if (undirected && u > v) continue;
      keys[k++] = NodePairs.key(u, v, n);
    }
    keys = java.util.Arrays.copyOf(keys, k);
    java.util.Arrays.sort(keys);
    int[] ps = new int[k];
    int[] pd = new int[k];
    int m = 0;
    for (int i = 0; i < k; i++) {
      if (i > 0 && keys[i] == keys[i - 1]) continue;
      ps[m] = (int) (keys[i] / n);
      pd[m++] = (int) (keys[i] % n);
    }
    return new NodePairs(java.util.Arrays.copyOf(ps, m), java.util.Arrays.copyOf(pd, m));
  }

  private static NodePairs pick(NodePairs all, int[] order, int from, int to) {
    return select(all, java.util.Arrays.copyOfRange(order, from, to));
  }

  private static NodePairs select(NodePairs all, int[] rows) {
    int[] s = new int[rows.length];
    int[] d = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      s[i] = all.src()[rows[i]];
      d[i] = all.dst()[rows[i]];
    }
    return new NodePairs(s, d);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
