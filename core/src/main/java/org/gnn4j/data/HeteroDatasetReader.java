package org.gnn4j.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;

/**
 * Reads a heterogeneous dataset in gnn4j's plain format (docs/data-format.md, section 6):
 * {@code meta.json} ({@code kind: "hetero"}, node types with counts, relations, optional target
 * and class count), per node type optional features {@code x_TYPE.csv}, per relation edges
 * {@code edges_SRC__REL__DST.tsv} (local ids) and optional {@code edge_attr_SRC__REL__DST.csv},
 * and for the target type {@code y_TYPE.tsv} and optional {@code train/val/test.txt}. Every
 * data file may also be stored gzip-compressed with {@code .gz} appended. Every problem is one
 * {@link DataFormatException} naming the file, the line and the node type or relation.
 */
public final class HeteroDatasetReader {
  private HeteroDatasetReader() {}

  /** The synthetic user/item/tag graph shipped inside gnn4j (see {@link UserItemGraph}). */
  public static HeteroDataset userItem() {
    return embedded("user_item");
  }

  /** An embedded heterogeneous dataset by name. */
  public static HeteroDataset embedded(String name) {
    return read(name, DataSource.embedded(name));
  }

  /** A user directory; the dataset is named after the directory. */
  public static HeteroDataset fromDirectory(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return read(f == null ? dir.toString() : f.toString(), DataSource.directory(dir));
  }

  /** Whether {@code src} holds a heterogeneous dataset (meta.json with kind "hetero"). */
  public static boolean isHetero(DataSource src) {
    return src.has(Meta.FILE) && HeteroMeta.KIND.equals(Meta.read(src).get("kind"));
  }

  public static HeteroDataset read(String name, DataSource src) {
    HeteroMeta meta = HeteroMeta.read(src);
    HeteroGraph.Builder b = HeteroGraph.builder();
    Map<String, Table> x = new LinkedHashMap<>();
    for (HeteroMeta.NodeType t : meta.nodeTypes) {
      b.nodes(t.name(), t.numNodes());
      String base = "x_" + t.name() + ".csv";
      if (exists(src, base)) {
        x.put(t.name(), table(src, file(src, base), "node type '" + t.name() + "'", t.numNodes(),
            t.numFeatures(), "node"));
      } else if (t.numFeatures() > 0) {
        throw new DataFormatException(src.describe(base), 0, "file is missing (node type '"
            + t.name() + "' has num_features " + t.numFeatures() + " in meta.json)");
      }
    }
    Map<Relation, Table> edgeAttr = new LinkedHashMap<>();
    for (HeteroMeta.RelationSpec spec : meta.relations) {
      Relation r = spec.relation();
      int[][] e = edges(src, file(src, "edges_" + r + ".tsv"), r,
          meta.nodeType(r.src()).numNodes(), meta.nodeType(r.dst()).numNodes(), spec.numEdges());
      b.edges(r, e[0], e[1]);
      String base = "edge_attr_" + r + ".csv";
      if (exists(src, base)) {
        edgeAttr.put(r, table(src, file(src, base), "relation " + r, e[0].length, spec.edgeDim(),
            "edge"));
      } else if (spec.edgeDim() > 0) {
        throw new DataFormatException(src.describe(base), 0, "file is missing (relation " + r
            + " has edge_dim " + spec.edgeDim() + " in meta.json)");
      }
    }
    HeteroGraph graph = b.build();
    if (meta.target == null) {
      for (String s : new String[] {"train.txt", "val.txt", "test.txt"}) {
        if (src.has(s)) {
          throw new DataFormatException(src.describe(s), 0, "splits need a target node type"
              + " (key 'target' in meta.json)");
        }
      }
      return HeteroDataset.unlabelled(name, graph, x, edgeAttr);
    }
    String t = meta.target;
    int n = graph.numNodes(t);
    int[] y = PlainFiles.ints(src, file(src, "y_" + t + ".tsv"), t + " class id", 0,
        meta.numClasses, n, t + " node");
    int[] train = PlainFiles.split(src, "train.txt", t + " node", n);
    int[] val = PlainFiles.split(src, "val.txt", t + " node", n);
    int[] test = PlainFiles.split(src, "test.txt", t + " node", n);
    PlainFiles.checkSplits(src, train, val, test, n, t + " node");
    return new HeteroDataset(name, graph, x, edgeAttr, t, meta.numClasses, y, train, val, test);
  }

  /** {@code base.gz} when the dataset has it, else {@code base}. */
  static String file(DataSource src, String base) {
    return src.has(base + ".gz") ? base + ".gz" : base;
  }

  static boolean exists(DataSource src, String base) {
    return src.has(base) || src.has(base + ".gz");
  }

  /** {src[], dst[]} of one relation, each id checked against its own type's count. */
  private static int[][] edges(DataSource src, String file, Relation r, int ns, int nd,
                               int expected) {
    int[] s = new int[16];
    int[] d = new int[16];
    int e = 0;
    String[] names = {"relation " + r + ": source " + r.src() + " id",
        "relation " + r + ": target " + r.dst() + " id"};
    int[] p = new int[2];
    try (LineReader in = new LineReader(src, file)) {
      for (; in.nextInts('\t', names, p); e++) {
        if (e == s.length) {
          s = Arrays.copyOf(s, 2 * e);
          d = Arrays.copyOf(d, 2 * e);
        }
        s[e] = in.check(p[0], names[0], 0, ns);
        d[e] = in.check(p[1], names[1], 0, nd);
      }
      if (expected >= 0 && e != expected) {
        throw in.error("relation " + r + ": wrong number of edges (got " + e + ", expected "
            + expected + " from meta.json num_edges)");
      }
    }
    return new int[][] {Arrays.copyOf(s, e), Arrays.copyOf(d, e)};
  }

  /**
   * {@code rows} lines of comma-separated reals, all of one width: {@code cols}, or when that
   * is -1 the width of the first line.
   */
  private static Table table(DataSource src, String file, String owner, int rows, int cols,
                             String per) {
    float[] v = null;
    int k = 0;
    try (LineReader in = new LineReader(src, file)) {
      for (String s; (s = in.nextRaw()) != null; k++) {
        // a zero-width table is written as empty lines
        String[] p = s.isEmpty() && cols == 0 ? new String[0] : s.split(",", -1);
        if (cols < 0) cols = p.length;
        if (v == null) {
          v = new float[HeapBudget.arrayLength(rows, cols, src.describe(file) + ": " + owner + ", "
              + rows + " rows of " + cols + " values")];
        }
        if (k >= rows) {
          throw in.error(owner + ": more rows than its " + rows + " " + per + "s (one line per "
              + per + ")");
        }
        if (p.length != cols) {
          throw in.error(owner + ": row has the wrong width (got " + p.length + " values,"
              + " expected " + cols + ")");
        }
        for (int c = 0; c < cols; c++) {
          v[k * cols + c] = in.parseFloat(p[c], owner + ": column " + (c + 1));
        }
      }
      if (k < rows) {
        throw in.error(owner + ": missing rows (got " + k + ", expected " + rows
            + ", one line per " + per + ")");
      }
    }
    cols = Math.max(cols, 0);
    return new Table(rows, cols, v == null ? new float[0] : v);
  }
}
