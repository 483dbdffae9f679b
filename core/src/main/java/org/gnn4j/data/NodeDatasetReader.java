package org.gnn4j.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.gnn4j.graph.EdgeIndex;

/**
 * Reads a node-classification dataset in gnn4j's plain format (docs/data-format.md):
 * {@code meta.json} (num_nodes, num_features, num_classes), {@code edge_index.tsv.gz} (src TAB
 * dst), {@code x_sparse.tsv.gz} (node TAB feature, value 1) or none (identity features, as PyG
 * uses for karate club), {@code y.tsv.gz}, and optional {@code train/val/test.txt}. The same
 * reader serves the embedded datasets and a user directory; every problem is reported as a
 * {@link DataFormatException} with its file and line. Optionally {@code edge_type.tsv.gz}, the
 * relation of every edge in [0, meta.json {@code num_relations}), for layers over typed edges.
 */
public final class NodeDatasetReader {
  private NodeDatasetReader() {}

  /** The optional file of edge relations, one per line of edge_index.tsv.gz. */
  public static final String EDGE_TYPE = "edge_type.tsv.gz";

  /** The Cora citation graph shipped inside gnn4j (Planetoid public split). */
  public static NodeDataset cora() {
    return embedded("cora");
  }

  /** Zachary's karate club shipped inside gnn4j: 34 nodes, identity features, 4 classes. */
  public static NodeDataset karate() {
    return embedded("karate");
  }

  /** An embedded node dataset by name ({@code cora}, {@code karate}). */
  public static NodeDataset embedded(String name) {
    return read(name, DataSource.embedded(name));
  }

  /** A user directory in the plain format; the dataset is named after the directory. */
  public static NodeDataset fromDirectory(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return read(f == null ? dir.toString() : f.toString(), DataSource.directory(dir));
  }

  public static NodeDataset read(String name, DataSource src) {
    Meta meta = Meta.read(src);
    meta.expectKind("node dataset", "node_classification");
    int n = meta.integer("num_nodes");
    int f = meta.integer("num_features", 0);
    int classes = meta.integer("num_classes");
    EdgeIndex edges = readEdges(src, n);
    float[] x;
    if (src.has("x_sparse.tsv.gz")) {
      x = readSparseFeatures(src, n, f);
    } else {
      f = n; // no features: one-hot node identity, as PyG does for karate club
      x = new float[HeapBudget.arrayLength(n, n, name + ": one-hot node identities [" + n + " x " + n
          + "] float32")];
      for (int i = 0; i < n; i++) x[i * n + i] = 1f;
    }
    int[] y = PlainFiles.ints(src, "y.tsv.gz", "class id", 0, classes, n, "node");
    int[] train = PlainFiles.split(src, "train.txt", "node", n);
    int[] val = PlainFiles.split(src, "val.txt", "node", n);
    int[] test = PlainFiles.split(src, "test.txt", "node", n);
    PlainFiles.checkSplits(src, train, val, test, n, "node");
    int relations = 0;
    int[] edgeType = null;
    if (src.has(EDGE_TYPE)) {
      if (!meta.has("num_relations")) {
        throw new DataFormatException(src.describe("meta.json"), 0, "num_relations is missing"
            + " (required with " + EDGE_TYPE + ": how many relations the edges may carry)");
      }
      relations = meta.integer("num_relations");
      if (relations < 1) {
        throw new DataFormatException(src.describe("meta.json"), 0, "num_relations is " + relations
            + ", expected at least 1");
      }
      edgeType = PlainFiles.ints(src, EDGE_TYPE, "relation id", 0, relations, edges.numEdges(), "edge");
    }
    return new NodeDataset(name, n, f, x, edges, classes, y, train, val, test, edgeType, relations);
  }

  private static EdgeIndex readEdges(DataSource src, int n) {
    int[] s = new int[1024];
    int[] d = new int[1024];
    int e = 0;
    String[] names = {"source node id", "target node id"};
    int[] p = new int[2];
    try (LineReader r = new LineReader(src, "edge_index.tsv.gz")) {
      for (; r.nextInts('\t', names, p); e++) {
        if (e == s.length) {
          s = Arrays.copyOf(s, 2 * e);
          d = Arrays.copyOf(d, 2 * e);
        }
        s[e] = r.check(p[0], names[0], 0, n);
        d[e] = r.check(p[1], names[1], 0, n);
      }
    }
    return EdgeIndex.of(Arrays.copyOf(s, e), Arrays.copyOf(d, e), n);
  }

  private static float[] readSparseFeatures(DataSource src, int n, int f) {
    float[] x = new float[HeapBudget.arrayLength(n, f, src.describe("x_sparse.tsv.gz") + ": node"
        + " features [" + n + " x " + f + "] float32")];
    String[] names = {"node id", "feature id"};
    int[] p = new int[2];
    try (LineReader r = new LineReader(src, "x_sparse.tsv.gz")) {
      while (r.nextInts('\t', names, p)) {
        int node = r.check(p[0], names[0], 0, n);
        int feat = r.check(p[1], names[1], 0, f);
        x[node * f + feat] = 1f;
      }
    }
    return x;
  }
}
