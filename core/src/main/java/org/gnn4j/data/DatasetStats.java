package org.gnn4j.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * The numbers to check a dataset by before training on it (what {@code gnn4j info} prints):
 * sizes, features, classes, splits, and the structural oddities that change what a GNN computes
 * (isolated nodes get no messages, self-loops and duplicate edges count twice in sums).
 *
 * @param kind node_classification, graph_classification or graph_regression
 * @param numGraphs 1 for a node dataset
 * @param numEdges directed edges as stored
 * @param numNodeFeatures input width of a node (identity counts for featureless node datasets)
 * @param numEdgeFeatures width of the one-hot edge labels (0 if none)
 * @param numClasses 0 for regression
 * @param classCounts [numClasses] items (nodes or graphs) per class
 * @param isolatedNodes nodes with neither in- nor out-edges
 * @param duplicateEdges edges equal to an earlier (src, dst) pair of the same graph
 */
public record DatasetStats(String name, String kind, int numGraphs, long numNodes, long numEdges,
                           int numNodeFeatures, int numEdgeFeatures, int numClasses,
                           int[] classCounts, int train, int val, int test, long isolatedNodes,
                           long selfLoops, long duplicateEdges) {

  public static DatasetStats of(NodeDataset d) {
    int[] counts = new int[d.numClasses()];
    for (int c : d.y()) counts[c]++;
    long[] s = structure(d.edges().src(), d.edges().dst(), new int[] {0, d.numNodes()},
        new int[] {0, d.edges().numEdges()});
    return new DatasetStats(d.name(), "node_classification", 1, d.numNodes(),
        d.edges().numEdges(), d.numFeatures(), 0, d.numClasses(), counts, d.train().length,
        d.val().length, d.test().length, s[0], s[1], s[2]);
  }

  public static DatasetStats of(GraphDataset d) {
    long[] s = structure(d.src(), d.dst(), d.nodeStart(), d.edgeStart());
    return new DatasetStats(d.name(), d.isRegression() ? "graph_regression"
        : "graph_classification", d.numGraphs(), d.numNodes(), d.numEdges(),
        d.numNodeFeatures(), d.numEdgeFeatures(), d.numClasses(), d.classCounts(),
        d.train().length, d.val().length, d.test().length, s[0], s[1], s[2]);
  }

  /** {isolated, selfLoops, duplicates} of per-graph local edges. */
  private static long[] structure(int[] src, int[] dst, int[] nodeStart, int[] edgeStart) {
    int g = nodeStart.length - 1;
    int n = nodeStart[g];
    boolean[] touched = new boolean[n];
    long loops = 0;
    long dups = 0;
    for (int i = 0; i < g; i++) {
      int a = edgeStart[i];
      int b = edgeStart[i + 1];
      long[] keys = new long[b - a];
      for (int e = a; e < b; e++) {
        touched[nodeStart[i] + src[e]] = true;
        touched[nodeStart[i] + dst[e]] = true;
        if (src[e] == dst[e]) loops++;
        keys[e - a] = ((long) src[e] << 32) | dst[e];
      }
      Arrays.sort(keys);
      for (int k = 1; k < keys.length; k++) if (keys[k] == keys[k - 1]) dups++;
    }
    long isolated = 0;
    for (boolean t : touched) if (!t) isolated++;
    return new long[] {isolated, loops, dups};
  }

  /** Average nodes per graph. */
  public double avgNodes() {
    return (double) numNodes / Math.max(1, numGraphs);
  }

  /** Average directed edges per graph. */
  public double avgEdges() {
    return (double) numEdges / Math.max(1, numGraphs);
  }

  /** One JSON object on one line, snake_case keys. */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"name\":\"%s\",\"kind\":\"%s\",\"graphs\":%d,"
        + "\"nodes\":%d,\"edges\":%d,\"avg_nodes\":%.4f,\"avg_edges\":%.4f,"
        + "\"node_features\":%d,\"edge_features\":%d,\"classes\":%d,\"class_counts\":%s,"
        + "\"train\":%d,\"val\":%d,\"test\":%d,\"isolated_nodes\":%d,\"self_loops\":%d,"
        + "\"duplicate_edges\":%d}", escape(name), kind, numGraphs, numNodes, numEdges, avgNodes(),
        avgEdges(), numNodeFeatures, numEdgeFeatures, numClasses,
        Arrays.toString(classCounts).replace(" ", ""), train, val, test, isolatedNodes, selfLoops,
        duplicateEdges);
  }

  /** A few aligned lines for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s (%s)%n", name, kind.replace('_', ' ')));
    if (numGraphs > 1 || !kind.startsWith("node")) {
      sb.append(String.format(Locale.ROOT, "  graphs          %d (avg %.2f nodes, %.2f directed"
          + " edges)%n", numGraphs, avgNodes(), avgEdges()));
    }
    sb.append(String.format(Locale.ROOT, "  nodes           %d%n", numNodes));
    sb.append(String.format(Locale.ROOT, "  edges           %d directed%n", numEdges));
    sb.append(String.format(Locale.ROOT, "  node features   %d%n", numNodeFeatures));
    if (numEdgeFeatures > 0) {
      sb.append(String.format(Locale.ROOT, "  edge features   %d%n", numEdgeFeatures));
    }
    sb.append(numClasses == 0 ? "  target          real (regression)\n"
        : String.format(Locale.ROOT, "  classes         %d %s%n", numClasses,
            Arrays.toString(classCounts)));
    sb.append(String.format(Locale.ROOT, "  split           train %d / val %d / test %d%n",
        train, val, test));
    sb.append(String.format(Locale.ROOT, "  isolated nodes  %d, self-loops %d, duplicate edges %d%n",
        isolatedNodes, selfLoops, duplicateEdges));
    return sb.toString();
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.toString();
  }
}
