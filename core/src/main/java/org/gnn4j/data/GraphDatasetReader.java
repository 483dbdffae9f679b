package org.gnn4j.data;

import java.nio.file.Path;

/**
 * Reads a graph-level dataset in gnn4j's plain format (docs/data-format.md): per-graph
 * {@code graph_sizes.tsv.gz} (nodes TAB edges) and {@code y.tsv.gz}, per-edge
 * {@code edge_index.tsv.gz} (local ids) and optional {@code edge_labels.tsv.gz}, per-node optional
 * {@code node_labels.tsv.gz} and {@code node_attr.csv.gz}, optional {@code train/val/test.txt}
 * graph ids, and {@code meta.json}. Only meta.json's {@code kind} ({@code graph_regression}
 * makes y real) is needed; label and attribute counts are taken from meta.json when present
 * (and then enforced) or inferred from the files. Problems are {@link DataFormatException}s.
 */
public final class GraphDatasetReader {
  private GraphDatasetReader() {}

  /** MUTAG (188 molecules, 7 atom labels, 4 bond labels, 2 classes). */
  public static GraphDataset mutag() {
    return embedded("mutag");
  }

  /** PROTEINS (1113 graphs, 3 node labels + 1 attribute, 2 classes). */
  public static GraphDataset proteins() {
    return embedded("proteins");
  }

  /** ENZYMES (600 graphs, 3 node labels + 18 attributes, 6 classes). */
  public static GraphDataset enzymes() {
    return embedded("enzymes");
  }

  /** ZINC 12k subset, rebuilt from SMILES (28 atom types, 4 bond types, regression, split). */
  public static GraphDataset zincSubset() {
    return embedded("zinc_subset");
  }

  /** An embedded graph dataset by name (mutag, proteins, enzymes, zinc_subset). */
  public static GraphDataset embedded(String name) {
    return read(name, DataSource.embedded(name));
  }

  /** A user directory in the plain format; the dataset is named after the directory. */
  public static GraphDataset fromDirectory(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return read(f == null ? dir.toString() : f.toString(), DataSource.directory(dir));
  }

  public static GraphDataset read(String name, DataSource src) {
    Meta meta = Meta.read(src);
    meta.expectKind("graph dataset", "graph_classification", "graph_regression");
    boolean regression = meta.string("kind", "graph_classification").equals("graph_regression");
    int[][] sizes = readSizes(src);
    int[] nodeStart = sizes[0];
    int[] edgeStart = sizes[1];
    int g = nodeStart.length - 1;
    int n = nodeStart[g];
    int e = edgeStart[g];
    int[][] edges = readEdges(src, nodeStart, edgeStart);

    int[] nodeLabels = null;
    int numNodeLabels = 0;
    if (src.has("node_labels.tsv.gz")) {
      int hi = meta.integer("num_node_labels", Integer.MAX_VALUE);
      nodeLabels = PlainFiles.ints(src, "node_labels.tsv.gz", "node label", 0, hi, n, "node");
      numNodeLabels = hi == Integer.MAX_VALUE ? max(nodeLabels) + 1 : hi;
    }
    int[] edgeLabels = null;
    int numEdgeLabels = 0;
    if (src.has("edge_labels.tsv.gz")) {
      int hi = meta.integer("num_edge_labels", Integer.MAX_VALUE);
      edgeLabels = PlainFiles.ints(src, "edge_labels.tsv.gz", "edge label", 0, hi, e, "edge");
      numEdgeLabels = hi == Integer.MAX_VALUE ? max(edgeLabels) + 1 : hi;
    }
    float[] nodeAttr = null;
    int numAttr = 0;
    if (src.has("node_attr.csv.gz")) {
      numAttr = meta.integer("num_node_attributes",
          PlainFiles.columnsOfFirstLine(src, "node_attr.csv.gz", ','));
      nodeAttr = PlainFiles.floatRows(src, "node_attr.csv.gz", ',', numAttr, n);
    }

    int[] y = null;
    float[] target = null;
    int classes = 0;
    if (regression) {
      target = PlainFiles.floats(src, "y.tsv.gz", "target", g, "graph");
    } else {
      int hi = meta.integer("num_classes", Integer.MAX_VALUE);
      y = PlainFiles.ints(src, "y.tsv.gz", "class id", 0, hi, g, "graph");
      classes = hi == Integer.MAX_VALUE ? max(y) + 1 : hi;
    }
    int[] train = PlainFiles.split(src, "train.txt", "graph", g);
    int[] val = PlainFiles.split(src, "val.txt", "graph", g);
    int[] test = PlainFiles.split(src, "test.txt", "graph", g);
    PlainFiles.checkSplits(src, train, val, test, g, "graph");
    return new GraphDataset(name, nodeStart, edgeStart, edges[0], edges[1], nodeLabels,
        numNodeLabels, nodeAttr, numAttr, edgeLabels, numEdgeLabels, y, target, classes,
        train, val, test);
  }

  private static int max(int[] v) {
    int m = -1;
    for (int x : v) m = Math.max(m, x);
    return m;
  }

  /** {nodeStart[G+1], edgeStart[G+1]} from graph_sizes.tsv.gz. */
  private static int[][] readSizes(DataSource src) {
    int[] ns = new int[257];
    int[] es = new int[257];
    int g = 0;
    String[] names = {"node count", "edge count"};
    int[] p = new int[2];
    try (LineReader r = new LineReader(src, "graph_sizes.tsv.gz")) {
      for (; r.nextInts('\t', names, p); g++) {
        if (g + 2 > ns.length) {
          ns = java.util.Arrays.copyOf(ns, 2 * ns.length);
          es = java.util.Arrays.copyOf(es, 2 * es.length);
        }
        int nodes = r.check(p[0], names[0], 0, Integer.MAX_VALUE);
        int edges = r.check(p[1], names[1], 0, Integer.MAX_VALUE);
        if (nodes > Integer.MAX_VALUE - ns[g] || edges > Integer.MAX_VALUE - es[g]) {
          throw r.error("the graphs up to here hold more than " + Integer.MAX_VALUE + " "
              + (nodes > Integer.MAX_VALUE - ns[g] ? "nodes" : "edges")
              + " in all, more than one dataset can index");
        }
        ns[g + 1] = ns[g] + nodes;
        es[g + 1] = es[g] + edges;
      }
    }
    return new int[][] {java.util.Arrays.copyOf(ns, g + 1), java.util.Arrays.copyOf(es, g + 1)};
  }

  /** Local {src, dst}, checking each id against its own graph's node count. */
  private static int[][] readEdges(DataSource src, int[] nodeStart, int[] edgeStart) {
    int g = nodeStart.length - 1;
    int e = edgeStart[g];
    HeapBudget.require(8L * e, src.describe("graph_sizes.tsv.gz") + ": " + e + " edges (source and"
        + " target ids)");
    int[] s = new int[e];
    int[] d = new int[e];
    int graph = 0;
    int k = 0;
    String[] names = {"source node id", "target node id"};
    int[] p = new int[2];
    try (LineReader r = new LineReader(src, "edge_index.tsv.gz")) {
      for (; r.nextInts('\t', names, p); k++) {
        if (k >= e) {
          throw r.error("more edges than the " + e + " of graph_sizes.tsv.gz");
        }
        while (edgeStart[graph + 1] <= k) graph++;
        int size = nodeStart[graph + 1] - nodeStart[graph];
        s[k] = r.check(p[0], names[0], 0, Integer.MAX_VALUE);
        d[k] = r.check(p[1], names[1], 0, Integer.MAX_VALUE);
        if (s[k] >= size || d[k] >= size) {
          throw r.error((s[k] >= size ? "source node id " + s[k] : "target node id " + d[k])
              + " is out of range [0, " + size + ") (graph " + graph + " has " + size
              + " nodes; ids are local to the graph)");
        }
      }
      if (k < e) {
        throw r.error("missing edges: found " + k + ", expected " + e + " (graph_sizes.tsv.gz)");
      }
    }
    return new int[][] {s, d};
  }
}
