package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.io.Json;

/**
 * Reads a node-classification dataset in gnn4j's plain format (the format of
 * {@code shared/data/README.md}): {@code meta.json} (num_nodes, num_features, num_classes),
 * {@code edge_index.tsv.gz} (src TAB dst), {@code x_sparse.tsv.gz} (node TAB feature, value 1)
 * or none (identity features), {@code y.tsv.gz}, and {@code train/val/test.txt}. Every problem
 * is reported with its file and line.
 */
public final class NodeDatasetReader {
  private NodeDatasetReader() {}

  /** The Cora citation graph shipped inside gnn4j (Planetoid public split). */
  public static NodeDataset cora() {
    return read("cora", DataSource.embedded("cora"));
  }

  public static NodeDataset read(String name, DataSource src) {
    Map<String, Object> meta = meta(src);
    int n = intField(meta, "num_nodes", src);
    int f = meta.containsKey("num_features") ? intField(meta, "num_features", src) : 0;
    int classes = intField(meta, "num_classes", src);
    EdgeIndex edges = readEdges(src, n);
    float[] x;
    if (src.has("x_sparse.tsv.gz")) {
      x = readSparseFeatures(src, n, f);
    } else {
      f = n; // no features: one-hot node identity, as PyG does for karate club
      x = new float[n * n];
      for (int i = 0; i < n; i++) x[i * n + i] = 1f;
    }
    int[] y = readLabels(src, n, classes);
    int[] train = readSplit(src, "train.txt", n);
    int[] val = readSplit(src, "val.txt", n);
    int[] test = readSplit(src, "test.txt", n);
    checkDisjoint(src, train, "train.txt", val, "val.txt", n);
    checkDisjoint(src, train, "train.txt", test, "test.txt", n);
    checkDisjoint(src, val, "val.txt", test, "test.txt", n);
    return new NodeDataset(name, n, f, x, edges, classes, y, train, val, test);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(DataSource src) {
    String file = "meta.json";
    if (!src.has(file)) throw new Gnn4jConfigException(src.describe(file), 0, "file is missing");
    try (InputStream in = src.open(file)) {
      Object v = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), src.describe(file));
      if (!(v instanceof Map)) {
        throw new Gnn4jConfigException(src.describe(file), 0, "expected a JSON object");
      }
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new Gnn4jConfigException(src.describe(file), 0, "cannot read: " + e.getMessage(), e);
    }
  }

  private static int intField(Map<String, Object> meta, String key, DataSource src) {
    Object v = meta.get(key);
    if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
      throw new Gnn4jConfigException(src.describe("meta.json"), 0, "key '" + key
          + "' must be a non-negative integer (got " + v + ")");
    }
    return (int) (long) l;
  }

  private static EdgeIndex readEdges(DataSource src, int n) {
    int[] s = new int[1024];
    int[] d = new int[1024];
    int e = 0;
    try (LineReader r = new LineReader(src, "edge_index.tsv.gz")) {
      for (String[] p; (p = r.next('\t', 2)) != null; e++) {
        if (e == s.length) {
          s = Arrays.copyOf(s, 2 * e);
          d = Arrays.copyOf(d, 2 * e);
        }
        s[e] = r.parseInt(p[0], "source node id", 0, n);
        d[e] = r.parseInt(p[1], "target node id", 0, n);
      }
    }
    return EdgeIndex.of(Arrays.copyOf(s, e), Arrays.copyOf(d, e), n);
  }

  private static float[] readSparseFeatures(DataSource src, int n, int f) {
    float[] x = new float[Math.multiplyExact(n, f)];
    try (LineReader r = new LineReader(src, "x_sparse.tsv.gz")) {
      for (String[] p; (p = r.next('\t', 2)) != null; ) {
        int node = r.parseInt(p[0], "node id", 0, n);
        int feat = r.parseInt(p[1], "feature id", 0, f);
        x[node * f + feat] = 1f;
      }
    }
    return x;
  }

  private static int[] readLabels(DataSource src, int n, int classes) {
    int[] y = new int[n];
    try (LineReader r = new LineReader(src, "y.tsv.gz")) {
      int i = 0;
      for (String[] p; (p = r.next('\t', 1)) != null; i++) {
        if (i >= n) throw r.error("more labels than the " + n + " nodes of meta.json");
        y[i] = r.parseInt(p[0], "class id", 0, classes);
      }
      if (i < n) throw r.error("missing labels: found " + i + ", expected " + n + " (one per node)");
    }
    return y;
  }

  private static int[] readSplit(DataSource src, String file, int n) {
    if (!src.has(file)) return new int[0];
    int[] ids = new int[256];
    int k = 0;
    try (LineReader r = new LineReader(src, file)) {
      for (String[] p; (p = r.next('\t', 1)) != null; k++) {
        if (k == ids.length) ids = Arrays.copyOf(ids, 2 * k);
        ids[k] = r.parseInt(p[0], "node id", 0, n);
      }
    }
    return Arrays.copyOf(ids, k);
  }

  private static void checkDisjoint(DataSource src, int[] a, String fa, int[] b, String fb, int n) {
    boolean[] inA = new boolean[n];
    for (int v : a) inA[v] = true;
    for (int i = 0; i < b.length; i++) {
      if (inA[b[i]]) {
        throw new Gnn4jConfigException(src.describe(fb), i + 1, "node " + b[i]
            + " is also in " + fa + " (splits must not overlap)");
      }
    }
  }
}
