package org.gnn4j.link;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.data.DataSource;
import org.gnn4j.graph.EdgeIndex;

/**
 * Reads a given link split, the format of the shared benchmark's {@code splits/link-*.tsv.gz}:
 * one pair per line, {@code set TAB src TAB dst TAB label}, set {@code train}, {@code val} or
 * {@code test}, label 1 for an edge and 0 for a non-edge (gzip when the name ends in .gz). Train
 * rows are edges (their negatives are drawn each epoch). Every line is checked against the graph:
 * an edge must be one of its edges, a non-edge must not be, and an edge may be listed once (in
 * either direction for an undirected graph), so no held-out edge leaks into training. A problem is
 * one {@link DataFormatException} naming the file and the line.
 */
public final class EdgeSplitFile {
  private EdgeSplitFile() {}

  /**
   * @param graph the full graph the split divides (both directions stored when undirected)
   * @param undirected whether (u, v) and (v, u) are one edge
   */
  public static EdgeSplit read(DataSource source, String file, EdgeIndex graph, boolean undirected) {
    String name = source.describe(file);
    if (!source.has(file)) throw new DataFormatException(name, 0, "file is missing");
    int n = graph.numDstNodes();
    PairSet edges = new PairSet(graph.numEdges());
    for (int i = 0; i < graph.numEdges(); i++) edges.add(NodePairs.key(graph.src()[i], graph.dst()[i], n));
    Parts parts = new Parts();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(source.open(file), StandardCharsets.UTF_8))) {
      int lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);   // CRLF files
        parts.add(parse(line, name, lineNo, n, edges, undirected), name, lineNo, n, undirected);
      }
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "cannot read: " + e.getMessage(), e);
    }
    return parts.finish(name, n, undirected);
  }

  private record Row(int set, int u, int v, boolean positive) {}

  private static final String[] SETS = {"train", "val", "test"};

  private static Row parse(String line, String name, int lineNo, int n, PairSet edges, boolean undirected) {
    String[] f = line.split("\t", -1);
    if (f.length != 4) {
      throw new DataFormatException(name, lineNo, "expected 4 tab-separated columns (set, src, dst,"
          + " label), found " + f.length);
    }
    int set = java.util.List.of(SETS).indexOf(f[0]);
    if (set < 0) {
      throw new DataFormatException(name, lineNo, "set '" + f[0] + "' is not one of train, val, test");
    }
    int u = node(f[1], "src", name, lineNo, n);
    int v = node(f[2], "dst", name, lineNo, n);
    if (!f[3].equals("0") && !f[3].equals("1")) {
      throw new DataFormatException(name, lineNo, "label '" + f[3] + "' is not 0 (non-edge) or 1 (edge)");
    }
    boolean positive = f[3].equals("1");
    boolean isEdge = edges.contains(NodePairs.key(u, v, n));
    if (positive && !isEdge) {
      throw new DataFormatException(name, lineNo, "(" + u + ", " + v + ") is labelled an edge but is"
          + " not an edge of the graph");
    }
    if (!positive && (isEdge || u == v || (undirected && edges.contains(NodePairs.key(v, u, n))))) {
      throw new DataFormatException(name, lineNo, "(" + u + ", " + v + ") is labelled a non-edge but is "
          + (u == v ? "a self-pair" : "an edge of the graph"));
    }
    if (set == 0 && !positive) {
      throw new DataFormatException(name, lineNo, "train rows are edges (label 1); training"
          + " negatives are drawn every epoch");
    }
    return new Row(set, u, v, positive);
  }

  private static int node(String field, String what, String name, int lineNo, int n) {
    int v;
    try {
      v = Integer.parseInt(field);
    } catch (NumberFormatException e) {
      throw new DataFormatException(name, lineNo, what + " is not an integer (got '" + field + "')");
    }
    if (v < 0 || v >= n) {
      throw new DataFormatException(name, lineNo, what + " " + v + " is out of range [0, " + n + ")");
    }
    return v;
  }

  /** The rows collected per set and label; an edge listed twice is an error. */
  private static final class Parts {
    private final PairList[] lists = {new PairList(), new PairList(), new PairList(), new PairList(),
        new PairList(), new PairList()};                  // train+, train-, val+, val-, test+, test-
    private final java.util.Map<Long, Integer> edgeLine = new java.util.HashMap<>();

    void add(Row r, String name, int lineNo, int n, boolean undirected) {
      if (r.positive) {
        boolean flip = undirected && r.u > r.v;
        long key = NodePairs.key(flip ? r.v : r.u, flip ? r.u : r.v, n);
        Integer before = edgeLine.putIfAbsent(key, lineNo);
        if (before != null) {
          throw new DataFormatException(name, lineNo, "edge (" + r.u + ", " + r.v + ") is already"
              + " listed at line " + before + (undirected ? " (the graph is undirected)" : ""));
        }
      }
      lists[2 * r.set + (r.positive ? 0 : 1)].add(r.u, r.v);
    }

    EdgeSplit finish(String name, int numNodes, boolean undirectedGraph) {
      NodePairs train = lists[0].pairs();
      if (train.size() == 0) throw new DataFormatException(name, 0, "has no train rows");
      for (int s = 1; s <= 2; s++) {
        int pos = lists[2 * s].size();
        int neg = lists[2 * s + 1].size();
        if ((pos == 0) != (neg == 0) || (s == 2 && pos == 0)) {
          throw new DataFormatException(name, 0, "set " + SETS[s] + " has " + pos + " edges and "
              + neg + " non-edges; it needs both" + (s == 1 ? " (or neither, for no validation)" : ""));
        }
      }
      return new EdgeSplit(numNodes, undirectedGraph, train, train, lists[2].pairs(), lists[3].pairs(),
          lists[4].pairs(), lists[5].pairs());
    }
  }

  /** A growable list of pairs. */
  private static final class PairList {
    private int[] s = new int[64];
    private int[] d = new int[64];
    private int size;

    void add(int u, int v) {
      if (size == s.length) {
        s = java.util.Arrays.copyOf(s, 2 * size);
        d = java.util.Arrays.copyOf(d, 2 * size);
      }
      s[size] = u;
      d[size++] = v;
    }

    int size() {
      return size;
    }

    NodePairs pairs() {
      return new NodePairs(java.util.Arrays.copyOf(s, size), java.util.Arrays.copyOf(d, size));
    }
  }
}
