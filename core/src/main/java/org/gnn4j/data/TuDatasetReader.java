package org.gnn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Reads the raw text format of the TU graph collection (Morris et al., 2020):
 * {@code DS_A.txt} ("i, j" per edge, 1-based global node ids), {@code DS_graph_indicator.txt}
 * (1-based graph id per node, non-decreasing), {@code DS_graph_labels.txt}, and optional
 * {@code DS_node_labels.txt}, {@code DS_edge_labels.txt}, {@code DS_node_attributes.txt}.
 * Processing follows PyG's {@code read_tu_data}, so the result equals
 * {@code TUDataset(DS, use_node_attr=True, use_edge_attr=True)}: node and edge labels are shifted
 * so the smallest is 0, graph labels become the rank of their value (-1, 1 -> 0, 1), self-loops
 * are removed and edges are sorted by (source, target) with duplicates merged. One difference:
 * of duplicate edges PyG sums the one-hot labels; here the first label is kept.
 */
public final class TuDatasetReader {
  private TuDatasetReader() {}

  /** Reads {@code dir/PREFIX_*.txt}; the prefix is found from the single {@code *_A.txt}. */
  public static GraphDataset fromDirectory(Path dir) {
    String prefix = prefixIn(dir);
    return read(prefix, DataSource.directory(dir), prefix);
  }

  /** The TU prefix of a directory holding exactly one {@code PREFIX_A.txt}, or null if none. */
  public static String prefixIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      String[] found = files.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith("_A.txt")).sorted().toArray(String[]::new);
      if (found.length > 1) {
        throw new IllegalArgumentException("TU dataset: " + dir + " holds several *_A.txt files "
            + Arrays.toString(found) + ", expected one");
      }
      return found.length == 0 ? null : found[0].substring(0, found[0].length() - "_A.txt".length());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GraphDataset read(String name, DataSource src, String prefix) {
    String pre = prefix + "_";
    int[] indicator = PlainFiles.ints(src, pre + "graph_indicator.txt", "graph id", 1,
        Integer.MAX_VALUE, -1, "node");
    int n = indicator.length;
    int[] nodeStart = nodeStarts(src, pre + "graph_indicator.txt", indicator);
    int g = nodeStart.length - 1;

    long[] edgeKeys = readEdges(src, pre + "A.txt", indicator, n);
    int[] rawEdgeLabels = src.has(pre + "edge_labels.txt") ? PlainFiles.ints(src,
        pre + "edge_labels.txt", "edge label", Integer.MIN_VALUE, Integer.MAX_VALUE,
        edgeKeys.length, "line of " + pre + "A.txt") : null;
    // PyG shifts and sizes the one-hot before dropping self-loops; so do we.
    int numEdgeLabels = rawEdgeLabels == null ? 0 : shiftToZero(rawEdgeLabels);
    int[] nodeLabels = src.has(pre + "node_labels.txt") ? PlainFiles.ints(src,
        pre + "node_labels.txt", "node label", Integer.MIN_VALUE, Integer.MAX_VALUE, n, "node")
        : null;
    int numNodeLabels = nodeLabels == null ? 0 : shiftToZero(nodeLabels);
    float[] attr = null;
    int numAttr = 0;
    if (src.has(pre + "node_attributes.txt")) {
      numAttr = PlainFiles.columnsOfFirstLine(src, pre + "node_attributes.txt", ',');
      attr = PlainFiles.floatRows(src, pre + "node_attributes.txt", ',', numAttr, n);
    }
    int[] y = PlainFiles.ints(src, pre + "graph_labels.txt", "graph label", Integer.MIN_VALUE,
        Integer.MAX_VALUE, g, "graph");
    int classes = rank(y);

    int[] kept = coalesce(edgeKeys, n);
    int m = kept.length;
    int[] edgeStart = new int[g + 1];
    int[] ls = new int[m];
    int[] ld = new int[m];
    int[] edgeLabels = rawEdgeLabels == null ? null : new int[m];
    for (int i = 0; i < m; i++) {
      int a = (int) (edgeKeys[kept[i]] >>> 32);
      int b = (int) edgeKeys[kept[i]];
      int graph = indicator[a];
      edgeStart[graph]++;
      ls[i] = a - nodeStart[graph - 1];
      ld[i] = b - nodeStart[graph - 1];
      if (edgeLabels != null) edgeLabels[i] = rawEdgeLabels[kept[i]];
    }
    for (int i = 0; i < g; i++) edgeStart[i + 1] += edgeStart[i];
    return new GraphDataset(name, nodeStart, edgeStart, ls, ld, nodeLabels, numNodeLabels, attr,
        numAttr, edgeLabels, numEdgeLabels, y, null, classes, null, null, null);
  }

  /** nodeStart[G+1] from a non-decreasing 1-based indicator, or the error naming the line. */
  private static int[] nodeStarts(DataSource src, String file, int[] indicator) {
    int g = 0;
    for (int v = 0; v < indicator.length; v++) {
      if (indicator[v] < g || indicator[v] > g + 1) {
        throw new DataFormatException(src.describe(file), v + 1, "graph id " + indicator[v]
            + " breaks the order (expected " + (g == 0 ? "1" : g + " or " + (g + 1))
            + ": nodes of a graph must be contiguous and graphs numbered 1, 2, ...)");
      }
      g = indicator[v];
    }
    int[] nodeStart = new int[g + 1];
    for (int id : indicator) nodeStart[id]++;
    for (int i = 0; i < g; i++) nodeStart[i + 1] += nodeStart[i];
    return nodeStart;
  }

  /**
   * PyG's remove_self_loops + coalesce: positions of the kept edges, sorted by (src, dst), the
   * first line of each duplicate group kept. Two stable counting sorts (by dst, then by src),
   * O(E + N) and no boxing.
   */
  private static int[] coalesce(long[] keys, int n) {
    int e = 0;
    int[] noLoops = new int[keys.length];
    for (int k = 0; k < keys.length; k++) {
      if ((int) (keys[k] >>> 32) != (int) keys[k]) noLoops[e++] = k;
    }
    int[] byDst = countingSort(keys, Arrays.copyOf(noLoops, e), n, false);
    int[] sorted = countingSort(keys, byDst, n, true);
    int m = 0;
    for (int i = 0; i < e; i++) {
      if (m == 0 || keys[sorted[i]] != keys[sorted[m - 1]]) sorted[m++] = sorted[i];
    }
    return Arrays.copyOf(sorted, m);
  }

  /** Stable sort of positions {@code in} by the source (or target) id of their key. */
  private static int[] countingSort(long[] keys, int[] in, int n, boolean bySrc) {
    int[] start = new int[n + 1];
    for (int k : in) start[(bySrc ? (int) (keys[k] >>> 32) : (int) keys[k]) + 1]++;
    for (int i = 0; i < n; i++) start[i + 1] += start[i];
    int[] out = new int[in.length];
    for (int k : in) out[start[bySrc ? (int) (keys[k] >>> 32) : (int) keys[k]]++] = k;
    return out;
  }

  /** Edges as (src0 << 32 | dst0) with 0-based ids, checking range and same-graph endpoints. */
  private static long[] readEdges(DataSource src, String file, int[] indicator, int n) {
    long[] keys = new long[1024];
    int k = 0;
    String[] names = {"source node id (1-based)", "target node id (1-based)"};
    int[] p = new int[2];
    try (LineReader r = new LineReader(src, file)) {
      for (; r.nextInts(',', names, p); k++) {
        int a = r.check(p[0], names[0], 1, n + 1) - 1;
        int b = r.check(p[1], names[1], 1, n + 1) - 1;
        if (indicator[a] != indicator[b]) {
          throw r.error("edge joins node " + (a + 1) + " of graph " + indicator[a] + " and node "
              + (b + 1) + " of graph " + indicator[b] + " (expected both in one graph)");
        }
        if (k == keys.length) keys = Arrays.copyOf(keys, 2 * k);
        keys[k] = ((long) a << 32) | b;
      }
    }
    return Arrays.copyOf(keys, k);
  }

  /** Subtracts the minimum in place; returns max + 1 (the label count). */
  private static int shiftToZero(int[] v) {
    if (v.length == 0) return 0;
    int min = Arrays.stream(v).min().getAsInt();
    int max = Arrays.stream(v).max().getAsInt();
    for (int i = 0; i < v.length; i++) v[i] -= min;
    return Math.subtractExact(max, min) + 1;
  }

  /** Replaces each value by its rank among the distinct values in place; returns their count. */
  private static int rank(int[] v) {
    int[] distinct = Arrays.stream(v).distinct().sorted().toArray();
    for (int i = 0; i < v.length; i++) v[i] = Arrays.binarySearch(distinct, v[i]);
    return distinct.length;
  }
}
