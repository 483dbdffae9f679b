package org.gnn4j.data.relational;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;

/**
 * Neighbour sampling that respects time (PyG's temporal {@code NeighborLoader} in its disjoint
 * form): every example has a time t and one seed node per seed type, and its subgraph holds only
 * rows whose time is strictly before t; rows of tables without time are always visible. Hop h
 * expands, relation by relation, the nodes the example first reached at hop h-1 (the seeds at
 * hop 0), drawing without replacement up to {@code fanouts[h]} of their incoming edges whose
 * source row is visible, uniformly or (PyG's {@code temporal_strategy="last"}) the latest ones. Examples never share nodes (a row reached by two examples appears
 * twice, once under each one's time), so no example sees a row through another's. The seeds of
 * seed type k are the first E local nodes of that type, example e at local id e.
 *
 * <p>Strictly before t, not at t: the row being predicted has time t and must not feed itself,
 * and rows written in the same second (a user rating several films at once) are not known at
 * the moment of each other. Incoming edges are kept sorted by source time once, so finding the
 * visible ones is a binary search per node.
 */
public final class TemporalNeighborSampler {
  private static final String OP = "TemporalNeighborSampler";
  private final HeteroGraph graph;
  private final List<Relation> relations;
  private final int[][] fanouts;           // [R][hops]
  private final int[][] rowPtr;            // [R][N_dst + 1]
  private final int[][] col;               // [R][E]: source node, sorted by source time per dst
  private final long[][] colTime;          // [R][E]: that source's time
  private final Map<String, long[]> times;
  private final int hops;
  private final boolean last;              // take the latest visible edges instead of uniform ones

  /**
   * The sampled subgraph of a batch of examples.
   *
   * @param nodes node type -> [M_t] global id of every local node
   * @param example node type -> [M_t] the example each local node belongs to
   */
  public record Subgraph(HeteroGraph graph, Map<String, int[]> nodes, Map<String, int[]> example, int numExamples) {}

  /**
   * @param times table -> [N_t] time of every node of that type; types absent are timeless
   * @param fanouts relation -> neighbours per hop (-1 all, 0 none), every relation, equal lengths
   */
  public TemporalNeighborSampler(HeteroGraph graph, Map<String, long[]> times, Map<Relation, int[]> fanouts) {
    this(graph, times, fanouts, false);
  }

  /** @param last take the latest visible edges (ties by source id) instead of a uniform draw */
  public TemporalNeighborSampler(HeteroGraph graph, Map<String, long[]> times, Map<Relation, int[]> fanouts,
                                 boolean last) {
    this.last = last;
    this.graph = graph;
    this.relations = graph.relations();
    this.times = Map.copyOf(times);
    for (var e : times.entrySet()) {
      if (e.getValue().length != graph.numNodes(e.getKey())) {
        throw new IllegalArgumentException(OP + ": times of '" + e.getKey() + "' have the wrong length (got "
            + e.getValue().length + ", expected " + graph.numNodes(e.getKey()) + ")");
      }
    }
    int r = relations.size();
    this.fanouts = new int[r][];
    this.rowPtr = new int[r][];
    this.col = new int[r][];
    this.colTime = new long[r][];
    int h = -1;
    for (int i = 0; i < r; i++) {
      Relation rel = relations.get(i);
      int[] f = fanouts.get(rel);
      if (f == null) throw new IllegalArgumentException(OP + ": no fan-outs for relation " + rel);
      if (h >= 0 && f.length != h) {
        throw new IllegalArgumentException(OP + ": relation " + rel + " has " + f.length + " fan-outs (expected " + h + ")");
      }
      h = f.length;
      this.fanouts[i] = f.clone();
      sortByTime(i, rel);
    }
    this.hops = Math.max(h, 0);
  }

  /** The same fan-outs for every relation. */
  public static TemporalNeighborSampler uniform(HeteroGraph graph, Map<String, long[]> times, int... fanouts) {
    Map<Relation, int[]> m = new LinkedHashMap<>();
    for (Relation r : graph.relations()) m.put(r, fanouts);
    return new TemporalNeighborSampler(graph, times, m);
  }

  private void sortByTime(int i, Relation rel) {
    Csr csr = graph.edges(rel).csrByDst();
    int[] ptr = csr.rowPtr();
    int[] c = csr.col().clone();
    long[] src = times.get(rel.src());
    long[] t = new long[c.length];
    for (int e = 0; e < c.length; e++) t[e] = src == null ? Long.MIN_VALUE : src[c[e]];
    for (int v = 0; v + 1 < ptr.length; v++) sortRange(c, t, ptr[v], ptr[v + 1]);
    rowPtr[i] = ptr;
    col[i] = c;
    colTime[i] = t;
  }

  /** Sorts [from, to) of (c, t) by t, then node id (a fixed order for equal times). */
  private static void sortRange(int[] c, long[] t, int from, int to) {
    int n = to - from;
    if (n < 2) return;
    long[][] pairs = new long[n][];
    for (int k = 0; k < n; k++) pairs[k] = new long[] {t[from + k], c[from + k]};
    Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (int k = 0; k < n; k++) {
      t[from + k] = pairs[k][0];
      c[from + k] = (int) pairs[k][1];
    }
  }

  public int hops() {
    return hops;
  }

  /**
   * Samples the subgraphs of E examples.
   *
   * @param seedTypes the K distinct node types of the seeds (e.g. users, movies)
   * @param seeds [K][E] the seed node of each type for each example
   * @param exampleTimes [E] each example's time: only rows with a time strictly before it are seen
   */
  public Subgraph sample(List<String> seedTypes, int[][] seeds, long[] exampleTimes, SplittableRandom random) {
    List<String> types = graph.nodeTypes();
    int e = exampleTimes.length;
    Batch b = new Batch(types, relations.size());
    for (int k = 0; k < seedTypes.size(); k++) {
      int t = types.indexOf(seedTypes.get(k));
      if (t < 0 || seedTypes.indexOf(seedTypes.get(k)) != k) {
        throw new IllegalArgumentException(OP + ": seed types must be distinct node types (got " + seedTypes + ")");
      }
      if (seeds[k].length != e) {
        throw new IllegalArgumentException(OP + ": seeds of '" + seedTypes.get(k) + "' have the wrong length (got "
            + seeds[k].length + ", expected " + e + ")");
      }
      for (int x = 0; x < e; x++) b.add(t, seeds[k][x], x);
    }
    int[] from = new int[types.size()];
    for (int hop = 0; hop < hops; hop++) {
      int[] to = new int[types.size()];
      for (int t = 0; t < to.length; t++) to[t] = b.nodes[t].size();
      for (int i = 0; i < relations.size(); i++) {
        int f = fanouts[i][hop];
        if (f == 0) continue;
        Relation rel = relations.get(i);
        int dt = types.indexOf(rel.dst());
        int st = types.indexOf(rel.src());
        for (int v = from[dt]; v < to[dt]; v++) expand(b, i, st, v, b.nodes[dt].get(v), b.example[dt].get(v), f, exampleTimes, random);
      }
      from = to;
    }
    return b.result(graph, relations, e);
  }

  private void expand(Batch b, int r, int st, int local, int global, int ex, int fanout, long[] exTimes, SplittableRandom random) {
    int lo = rowPtr[r][global];
    // visible incoming edges: the prefix whose source time is < the example's time
    int hi = firstAtOrAfter(colTime[r], lo, rowPtr[r][global + 1], exTimes[ex]);
    int deg = hi - lo;
    int k = fanout < 0 ? deg : Math.min(fanout, deg);
    int[] pick = b.scratch(deg);
    // latest first when taking the last ones: the visible prefix is sorted by time
    for (int j = 0; j < deg; j++) pick[j] = last ? hi - 1 - j : lo + j;
    for (int j = 0; j < k; j++) {
      if (k < deg && !last) {
        int s = j + random.nextInt(deg - j);
        int tmp = pick[j];
        pick[j] = pick[s];
        pick[s] = tmp;
      }
      int src = b.add(st, col[r][pick[j]], ex);
      b.src[r].add(src);
      b.dst[r].add(local);
    }
  }

  private static int firstAtOrAfter(long[] t, int lo, int hi, long time) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The nodes and edges collected for one batch, one id space per example. */
  private static final class Batch {
    final Ints[] nodes;
    final Ints[] example;
    final Map<Long, Integer>[] local;
    final Ints[] src;
    final Ints[] dst;
    private int[] scratch = new int[16];

    @SuppressWarnings("unchecked")
    Batch(List<String> types, int numRelations) {
      src = new Ints[numRelations];
      dst = new Ints[numRelations];
      for (int i = 0; i < numRelations; i++) {
        src[i] = new Ints();
        dst[i] = new Ints();
      }
      nodes = new Ints[types.size()];
      example = new Ints[types.size()];
      local = new Map[types.size()];
      for (int t = 0; t < nodes.length; t++) {
        nodes[t] = new Ints();
        example[t] = new Ints();
        local[t] = new HashMap<>();
      }
    }

    /** The local id of (type, global) in example ex, added when new. */
    int add(int type, int global, int ex) {
      long key = ((long) ex << 32) | global;
      Integer id = local[type].get(key);
      if (id != null) return id;
      int n = nodes[type].size();
      local[type].put(key, n);
      nodes[type].add(global);
      example[type].add(ex);
      return n;
    }

    int[] scratch(int n) {
      if (scratch.length < n) scratch = new int[Math.max(n, scratch.length * 2)];
      return scratch;
    }

    Subgraph result(HeteroGraph graph, List<Relation> relations, int numExamples) {
      List<String> types = graph.nodeTypes();
      HeteroGraph.Builder g = HeteroGraph.builder();
      Map<String, int[]> ids = new LinkedHashMap<>();
      Map<String, int[]> ex = new LinkedHashMap<>();
      for (int t = 0; t < types.size(); t++) {
        g.nodes(types.get(t), nodes[t].size());
        ids.put(types.get(t), nodes[t].toArray());
        ex.put(types.get(t), example[t].toArray());
      }
      for (int i = 0; i < relations.size(); i++) g.edges(relations.get(i), src[i].toArray(), dst[i].toArray());
      return new Subgraph(g.build(), ids, ex, numExamples);
    }
  }

  /** A growable int list. */
  private static final class Ints {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
      if (n == a.length) a = Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
