package org.gnn4j.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.gnn4j.data.Splits;
import org.gnn4j.graph.EdgeIndex;

/**
 * Makes BA-Shapes graphs for any seed, the way PyG's {@code ExplainerDataset(BAGraph(n, m),
 * 'house', k)} builds them: a Barabasi-Albert graph (each new node links to m endpoints drawn
 * from all edge endpoints so far, i.e. preferentially by degree; self-loops and repeats
 * dropped), then k houses appended (a square 0-1-2-3 with roof 4 on 0 and 1; classes top 1,
 * bottom 2, roof 3), each tied to the base by one edge between a random base node and a random
 * house node. Every edge is stored in both directions. Train/test is stratified (a fifth of
 * each class, by a seeded permutation, is test) and the explained nodes are a seeded sample of
 * the house nodes.
 */
public final class BaShapesGenerator {
  /** The house's undirected edges in local ids, and its node classes. */
  static final int[][] HOUSE_EDGES = {{0, 1}, {0, 3}, {0, 4}, {1, 4}, {1, 2}, {2, 3}};
  static final int[] HOUSE_CLASSES = {1, 1, 2, 2, 3};

  private BaShapesGenerator() {}

  /**
   * @param baseNodes nodes of the Barabasi-Albert graph (> perNode)
   * @param perNode edges each new base node adds (PyG's num_edges)
   * @param houses motifs attached
   * @param explain how many house nodes to explain (&lt;= 5 * houses)
   */
  public static BaShapes generate(SplittableRandom rng, int baseNodes, int perNode, int houses, int explain) {
    if (perNode < 1 || baseNodes <= perNode) {
      throw new IllegalArgumentException("BaShapes: need 1 <= perNode < baseNodes (got " + perNode
          + ", " + baseNodes + ")");
    }
    if (houses < 0 || explain < 0 || explain > 5 * houses) {
      throw new IllegalArgumentException("BaShapes: need 0 <= explain <= 5 * houses (got " + explain
          + ", " + houses + ")");
    }
    TreeSet<Long> base = barabasiAlbert(rng, baseNodes, perNode);
    int n = baseNodes + 5 * houses;
    List<int[]> edges = new ArrayList<>();           // {src, dst, motif}
    for (long key : base) edges.add(new int[] {(int) (key >>> 32), (int) key, 0});
    int[] y = new int[n];
    for (int h = 0; h < houses; h++) {
      int first = baseNodes + 5 * h;
      for (int[] e : HOUSE_EDGES) {
        edges.add(new int[] {first + e[0], first + e[1], 1});
        edges.add(new int[] {first + e[1], first + e[0], 1});
      }
      for (int k = 0; k < 5; k++) y[first + k] = HOUSE_CLASSES[k];
      int anchor = rng.nextInt(baseNodes);
      int at = first + rng.nextInt(5);
      edges.add(new int[] {anchor, at, 0});
      edges.add(new int[] {at, anchor, 0});
    }
    int[] src = new int[edges.size()];
    int[] dst = new int[src.length];
    int[] motif = new int[src.length];
    for (int k = 0; k < src.length; k++) {
      src[k] = edges.get(k)[0];
      dst[k] = edges.get(k)[1];
      motif[k] = edges.get(k)[2];
    }
    boolean[] test = stratifiedTest(rng, y);
    int[] explained = sample(rng, baseNodes, n, explain);
    return new BaShapes(EdgeIndex.of(src, dst, n), motif, y, test, explained);
  }

  /** Undirected BA edges as (src << 32 | dst) keys, both directions, sorted. */
  private static TreeSet<Long> barabasiAlbert(SplittableRandom rng, int n, int m) {
    List<Integer> endpoints = new ArrayList<>();
    TreeSet<Long> out = new TreeSet<>();
    int[] perm = Splits.permutation(m, rng);
    for (int i = 0; i < m; i++) {
      endpoints.add(i);
      endpoints.add(perm[i]);
      link(out, i, perm[i]);
    }
    for (int i = m; i < n; i++) {
      int[] chosen = new int[m];
      for (int k = 0; k < m; k++) chosen[k] = endpoints.get(rng.nextInt(endpoints.size()));
      for (int t : chosen) {
        endpoints.add(i);
        endpoints.add(t);
        link(out, i, t);
      }
    }
    return out;
  }

  private static void link(TreeSet<Long> out, int a, int b) {
    if (a == b) return;
    out.add(((long) a << 32) | b);
    out.add(((long) b << 32) | a);
  }

  private static boolean[] stratifiedTest(SplittableRandom rng, int[] y) {
    boolean[] test = new boolean[y.length];
    for (int c = 0; c < BaShapes.NUM_CLASSES; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < y.length; i++) if (y[i] == c) members.add(i);
      int[] perm = Splits.permutation(members.size(), rng);
      for (int k = 0; k < members.size() / 5; k++) test[members.get(perm[k])] = true;
    }
    return test;
  }

  private static int[] sample(SplittableRandom rng, int from, int to, int count) {
    int[] perm = Splits.permutation(to - from, rng);
    int[] out = Arrays.copyOf(perm, count);
    for (int k = 0; k < count; k++) out[k] += from;
    Arrays.sort(out);
    return out;
  }
}
