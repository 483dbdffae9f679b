package org.gnn4j.spark.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.NodeDataset;

/**
 * A graph as Spark tables, the form every gnn4j Spark job reads and writes: a node table and an
 * edge table (and, for a dataset of many graphs, a graph table), stored as Parquet folders
 * {@code nodes/}, {@code edges/} and {@code graphs/} under one directory. Node ids are arbitrary
 * longs (a user's own keys), never assumed dense; edges name them in {@code src} and {@code dst}.
 *
 * <ul>
 *   <li>nodes: {@code id} BIGINT, {@code features} ARRAY&lt;FLOAT&gt; (every row the same length),
 *       or BINARY (a little-endian float32 blob; {@link GraphTableReader} turns it into the
 *       array), optional {@code label} INT (a node's class, or its categorical label such as an
 *       atom type), optional {@code type} STRING, optional {@code graph} BIGINT (datasets of many
 *       graphs), optional {@code split} STRING ({@code train}, {@code val}, {@code test} or
 *       null);
 *   <li>edges: {@code src} BIGINT, {@code dst} BIGINT, optional {@code features}
 *       ARRAY&lt;FLOAT&gt;, optional {@code label} INT (a categorical edge label such as a bond
 *       type), optional {@code relation} STRING, optional {@code graph} BIGINT;
 *   <li>graphs: {@code graph} BIGINT, optional {@code label} INT (class) or {@code target}
 *       FLOAT (regression), optional {@code split} STRING.
 * </ul>
 *
 * <p>A small {@code graph.json} ({@link GraphInfo}) may sit beside the folders; the export and
 * generate jobs write it. {@link GraphTableReader} reads and checks a directory.
 */
public final class GraphTables {
  private GraphTables() {}

  public static final String NODES = "nodes";
  public static final String EDGES = "edges";
  public static final String GRAPHS = "graphs";

  public static final String ID = "id";
  public static final String FEATURES = "features";
  public static final String LABEL = "label";
  public static final String TYPE = "type";
  public static final String GRAPH = "graph";
  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String RELATION = "relation";
  public static final String TARGET = "target";
  public static final String SPLIT = "split";

  /** A graph's tables in memory; {@code graphs} is null for a single graph. */
  public record Frames(Dataset<Row> nodes, Dataset<Row> edges, Dataset<Row> graphs) {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type,
                                   boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  static final org.apache.spark.sql.types.DataType FLOATS =
      DataTypes.createArrayType(DataTypes.FloatType, false);

  /**
   * One graph with node classes (Cora): nodes (id, features, label, split), edges (src, dst, and
   * relation, the INT relation id, when the dataset's edges carry one).
   */
  public static Frames of(SparkSession spark, NodeDataset d) {
    int f = d.numFeatures();
    String[] split = splits(d.numNodes(), d.train(), d.val(), d.test());
    List<Row> nodes = new ArrayList<>(d.numNodes());
    for (int i = 0; i < d.numNodes(); i++) {
      nodes.add(RowFactory.create((long) i, row(d.x(), i, f), d.y()[i], split[i]));
    }
    StructType nodeSchema = DataTypes.createStructType(List.of(field(ID, DataTypes.LongType, false),
        field(FEATURES, FLOATS, false), field(LABEL, DataTypes.IntegerType, true),
        field(SPLIT, DataTypes.StringType, true)));
    int[] src = d.edges().src();
    int[] dst = d.edges().dst();
    List<Row> edges = new ArrayList<>(src.length);
    int[] rel = d.edgeType();
    for (int e = 0; e < src.length; e++) {
      edges.add(rel == null ? RowFactory.create((long) src[e], (long) dst[e])
          : RowFactory.create((long) src[e], (long) dst[e], rel[e]));
    }
    List<StructField> edgeFields = new ArrayList<>(List.of(field(SRC, DataTypes.LongType, false),
        field(DST, DataTypes.LongType, false)));
    if (rel != null) edgeFields.add(field(RELATION, DataTypes.IntegerType, false));
    StructType edgeSchema = DataTypes.createStructType(edgeFields);
    return new Frames(frame(spark, nodes, nodeSchema, f), frame(spark, edges, edgeSchema, 0), null);
  }

  /**
   * A dataset of many graphs (ZINC, MUTAG): node ids are the dataset's global node numbers
   * ({@code nodeStart[g] + local id}), every row carries its {@code graph}, node and edge
   * categorical labels go to {@code label} where the dataset has them, and the graph table holds
   * each graph's class or regression target.
   */
  public static Frames of(SparkSession spark, GraphDataset d) {
    int f = d.numNodeFeatures();
    float[] x = new float[d.numNodes() * f];
    d.nodeFeatures(0, d.numNodes(), x, 0);
    int[] nodeStart = d.nodeStart();
    int[] edgeStart = d.edgeStart();
    List<Row> nodes = new ArrayList<>(d.numNodes());
    List<Row> edges = new ArrayList<>(d.numEdges());
    List<Row> graphs = new ArrayList<>(d.numGraphs());
    String[] split = splits(d.numGraphs(), d.train(), d.val(), d.test());
    for (int g = 0; g < d.numGraphs(); g++) {
      for (int i = nodeStart[g]; i < nodeStart[g + 1]; i++) {
        Integer label = d.nodeLabels() == null ? null : d.nodeLabels()[i];
        nodes.add(RowFactory.create((long) i, row(x, i, f), label, (long) g));
      }
      for (int e = edgeStart[g]; e < edgeStart[g + 1]; e++) {
        Integer label = d.edgeLabels() == null ? null : d.edgeLabels()[e];
        edges.add(RowFactory.create((long) nodeStart[g] + d.src()[e], (long) nodeStart[g] + d.dst()[e],
            label, (long) g));
      }
      graphs.add(RowFactory.create((long) g, d.y() == null ? null : d.y()[g],
          d.target() == null ? null : d.target()[g], split[g]));
    }
    StructType nodeSchema = DataTypes.createStructType(List.of(field(ID, DataTypes.LongType, false),
        field(FEATURES, FLOATS, false), field(LABEL, DataTypes.IntegerType, true),
        field(GRAPH, DataTypes.LongType, false)));
    StructType edgeSchema = DataTypes.createStructType(List.of(field(SRC, DataTypes.LongType, false),
        field(DST, DataTypes.LongType, false), field(LABEL, DataTypes.IntegerType, true),
        field(GRAPH, DataTypes.LongType, false)));
    StructType graphSchema = DataTypes.createStructType(List.of(field(GRAPH, DataTypes.LongType, false),
        field(LABEL, DataTypes.IntegerType, true), field(TARGET, DataTypes.FloatType, true),
        field(SPLIT, DataTypes.StringType, true)));
    return new Frames(frame(spark, nodes, nodeSchema, f), frame(spark, edges, edgeSchema, 0),
        frame(spark, graphs, graphSchema, 0));
  }

  /**
   * Driver rows as a frame split into slices of about {@link #SLICE_BYTES}: one local relation
   * would ship every row inside one task (Spark warns past 1 MB per task).
   */
  static Dataset<Row> frame(SparkSession spark, List<Row> rows, StructType schema, int floats) {
    long bytes = (long) rows.size() * (4L * floats + 48);
    int slices = (int) Math.max(1, Math.min(10_000, (bytes + SLICE_BYTES - 1) / SLICE_BYTES));
    var rdd = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, slices);
    return spark.createDataFrame(rdd, schema);
  }

  private static final long SLICE_BYTES = 768 * 1024;

  /** The split name of every item (null: in no split). */
  private static String[] splits(int n, int[] train, int[] val, int[] test) {
    String[] s = new String[n];
    for (int i : train) s[i] = "train";
    for (int i : val) s[i] = "val";
    for (int i : test) s[i] = "test";
    return s;
  }

  private static float[] row(float[] x, int i, int f) {
    float[] r = new float[f];
    System.arraycopy(x, i * f, r, 0, f);
    return r;
  }

  /** Writes the tables as Parquet folders under {@code dir} (which must not exist yet). */
  public static void write(Frames t, String dir) {
    t.nodes().write().parquet(dir + "/" + NODES);
    t.edges().write().parquet(dir + "/" + EDGES);
    if (t.graphs() != null) t.graphs().write().parquet(dir + "/" + GRAPHS);
  }

  /**
   * Reads the tables a {@link #write} (or any producer of the same columns) left in {@code dir}
   * as they are, unchecked; {@link GraphTableReader#read} checks them and decodes blob features.
   */
  public static Frames read(SparkSession spark, String dir) {
    java.nio.file.Path graphs = java.nio.file.Path.of(dir, GRAPHS);
    return new Frames(spark.read().parquet(dir + "/" + NODES), spark.read().parquet(dir + "/" + EDGES),
        java.nio.file.Files.isDirectory(graphs) ? spark.read().parquet(graphs.toString()) : null);
  }

  /**
   * The graph on the driver as a single-machine {@link NodeDataset}, for tests and comparisons
   * with gnn4j alone: node ids are numbered densely in ascending order (the smallest id is node
   * 0), edges sorted by (src, dst) so the result does not depend on how Spark split the files,
   * labels null become class 0, classes = the largest label + 1 (at least 1), and the
   * {@code split} column, when present, gives train/val/test. Every row passes through the
   * driver: only for graphs that fit one machine.
   *
   * @param t checked tables (features ARRAY&lt;FLOAT&gt;; see {@link GraphTableReader})
   */
  public static NodeDataset toNodeDataset(Frames t, String name) {
    boolean hasLabel = java.util.Set.of(t.nodes().columns()).contains(LABEL);
    boolean hasSplit = java.util.Set.of(t.nodes().columns()).contains(SPLIT);
    List<Row> rows = t.nodes().select(org.apache.spark.sql.functions.col(ID),
        org.apache.spark.sql.functions.col(FEATURES),
        hasLabel ? org.apache.spark.sql.functions.col(LABEL) : org.apache.spark.sql.functions.lit(null),
        hasSplit ? org.apache.spark.sql.functions.col(SPLIT) : org.apache.spark.sql.functions.lit(null))
        .orderBy(ID).collectAsList();
    int n = rows.size();
    int f = n == 0 ? 0 : rows.get(0).getList(1).size();
    long[] ids = new long[n];
    float[] x = new float[Math.multiplyExact(n, f)];
    int[] y = new int[n];
    List<int[]> splits = List.of(new int[n], new int[n], new int[n]);
    int[] count = new int[3];
    int classes = 1;
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(0);
      List<Float> v = r.getList(1);
      for (int j = 0; j < f; j++) x[i * f + j] = v.get(j);
      y[i] = r.isNullAt(2) ? 0 : ((Number) r.get(2)).intValue();
      classes = Math.max(classes, y[i] + 1);
      int s = r.isNullAt(3) ? -1 : List.of("train", "val", "test").indexOf(r.getString(3));
      if (s >= 0) splits.get(s)[count[s]++] = i;
    }
    boolean typed = java.util.Set.of(t.edges().columns()).contains(RELATION);
    org.apache.spark.sql.Column rel = typed ? org.apache.spark.sql.functions.expr("try_cast(" + RELATION + " AS INT)")
        : org.apache.spark.sql.functions.lit(0);
    List<Row> edges = t.edges().select(org.apache.spark.sql.functions.col(SRC), org.apache.spark.sql.functions.col(DST),
        rel.as("_r")).orderBy(SRC, DST, "_r").collectAsList();
    int[] src = new int[edges.size()];
    int[] dst = new int[edges.size()];
    int[] types = typed ? new int[edges.size()] : null;
    int relations = 0;
    for (int e = 0; e < src.length; e++) {
      src[e] = dense(ids, edges.get(e).getLong(0));
      dst[e] = dense(ids, edges.get(e).getLong(1));
      if (typed) {
        types[e] = edges.get(e).getInt(2);
        relations = Math.max(relations, types[e] + 1);
      }
    }
    return new NodeDataset(name, n, f, x, org.gnn4j.graph.EdgeIndex.of(src, dst, n), classes, y,
        java.util.Arrays.copyOf(splits.get(0), count[0]), java.util.Arrays.copyOf(splits.get(1), count[1]),
        java.util.Arrays.copyOf(splits.get(2), count[2]), types, typed ? Math.max(1, relations) : 0);
  }

  private static int dense(long[] sortedIds, long id) {
    int i = java.util.Arrays.binarySearch(sortedIds, id);
    if (i < 0) throw new IllegalArgumentException("edges: node " + id + " is not in the node table");
    return i;
  }
}
