package org.gnn4j.spark.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.gnn4j.spark.tables.GraphTables.Frames;
import org.gnn4j.spark.tables.TableColumns.Kind;

/**
 * Reads a graph directory in the {@link GraphTables} form and checks it before any job trusts it:
 * every required column present with an accepted type, every feature row of one width, no null
 * or repeated node id, no edge naming a node the node table lacks, labels within the classes
 * {@code graph.json} gives. Every problem is one line naming the table folder, the column and
 * the offending row. The checks run as Spark queries (filters, an aggregate, an anti-join) over
 * the whole tables; only the first offending row reaches the driver.
 *
 * <p>The frames it returns are normalised: ids BIGINT, labels INT, features ARRAY&lt;FLOAT&gt;
 * whether the file stored a float array, a double array or a little-endian float32 blob.
 */
public final class GraphTableReader {
  private GraphTableReader() {}

  /**
   * A checked, normalised graph and what its {@code graph.json} says (null when absent). When the
   * row checks were deferred ({@link #readDeferred}), {@code raw} holds the tables as they were
   * normalised, before blob features were decoded, for {@link #checkDeferred}; else null.
   */
  public record Checked(Frames frames, GraphInfo info, int numFeatures, Frames raw) {
    public Checked(Frames frames, GraphInfo info, int numFeatures) {
      this(frames, info, numFeatures, null);
    }
  }

  /** Reads and checks the graph in {@code dir}; see {@link #check}. */
  public static Checked read(SparkSession spark, String dir) {
    return read(spark, dir, true);
  }

  /**
   * Reads the graph in {@code dir} and checks it, the keys (unique node ids, edges naming existing
   * nodes: a shuffle of every id and endpoint) only when {@code keys}. A job that passes false
   * meets every key in its own pass anyway; it must call {@link #checkKeys} when that pass finds
   * a problem, to name the row.
   */
  public static Checked read(SparkSession spark, String dir, boolean keys) {
    GraphInfo info = GraphInfo.read(spark, dir);
    return check(frames(spark, dir), dir, info, keys);
  }

  /**
   * Reads the graph in {@code dir} with the checks that need no scan of the rows (folders,
   * columns, types, the feature width from graph.json or the first node) and defers every row
   * check to {@link #checkDeferred}: for a job whose own pass over every row fails on a bad one
   * (a wrong width, a null, a repeated id, a missing endpoint), so that the tables are scanned
   * for checks only when something is wrong, to name the row.
   */
  public static Checked readDeferred(SparkSession spark, String dir) {
    GraphInfo info = GraphInfo.read(spark, dir);
    Frames raw = frames(spark, dir);
    Frames norm = normalise(raw, dir);
    Kind featureKind = TableColumns.kindOf(raw.nodes(), GraphTables.FEATURES);
    int f = info != null ? info.numFeatures() : firstWidth(norm.nodes(), featureKind, GraphTables.ID);
    return new Checked(decode(norm, raw), info, f, norm);
  }

  /**
   * The row and key checks {@link #readDeferred} left out, on its result.
   *
   * @throws IllegalArgumentException one line naming the table folder, column and row
   */
  public static void checkDeferred(Checked deferred, String dir) {
    Frames norm = deferred.raw();
    if (norm == null) throw new IllegalStateException("checkDeferred: the tables were read with their checks");
    rowChecks(norm, dir, deferred.info(), deferred.numFeatures());
    checkKeys(deferred, dir);
  }

  /**
   * The key checks {@link #read(SparkSession, String, boolean)} left out, on its result.
   *
   * @throws IllegalArgumentException one line naming the table folder, column and row
   */
  public static void checkKeys(Checked checked, String dir) {
    checkUnique(checked.frames().nodes(), dir + "/" + GraphTables.NODES, GraphTables.ID, "node id");
    checkEndpoints(checked.frames().nodes(), checked.frames().edges(), dir + "/" + GraphTables.EDGES,
        dir + "/" + GraphTables.NODES);
  }

  /**
   * Checks tables read from {@code dir} (named in messages) against the column rules and
   * {@code info} (may be null), and returns them normalised.
   *
   * @throws IllegalArgumentException one line naming the table folder, column and row
   */
  public static Checked check(Frames raw, String dir, GraphInfo info) {
    return check(raw, dir, info, true);
  }

  private static Frames frames(SparkSession spark, String dir) {
    return new Frames(table(spark, dir, GraphTables.NODES, true), table(spark, dir, GraphTables.EDGES, true),
        table(spark, dir, GraphTables.GRAPHS, false));
  }

  /** Column names and types checked, accepted types cast to the normal form (no scan). */
  private static Frames normalise(Frames raw, String dir) {
    return new Frames(TableColumns.normalise(raw.nodes(), dir + "/" + GraphTables.NODES, TableColumns.NODES),
        TableColumns.normalise(raw.edges(), dir + "/" + GraphTables.EDGES, TableColumns.EDGES),
        raw.graphs() == null ? null
            : TableColumns.normalise(raw.graphs(), dir + "/" + GraphTables.GRAPHS, TableColumns.GRAPHS));
  }

  /** Blob features decoded to FLOAT arrays. */
  private static Frames decode(Frames norm, Frames raw) {
    return new Frames(TableColumns.decodeFeatures(norm.nodes(), TableColumns.kindOf(raw.nodes(), GraphTables.FEATURES)),
        TableColumns.decodeFeatures(norm.edges(), TableColumns.kindOf(raw.edges(), GraphTables.FEATURES)), norm.graphs());
  }

  private static Checked check(Frames raw, String dir, GraphInfo info, boolean keys) {
    Frames norm = normalise(raw, dir);
    Kind featureKind = TableColumns.kindOf(raw.nodes(), GraphTables.FEATURES);
    int f = info != null ? info.numFeatures() : firstWidth(norm.nodes(), featureKind, GraphTables.ID);
    rowChecks(norm, dir, info, f);
    Checked out = new Checked(decode(norm, raw), info, f);
    if (keys) checkKeys(out, dir);
    if (norm.graphs() != null) checkUnique(norm.graphs(), dir + "/" + GraphTables.GRAPHS, GraphTables.GRAPH, "graph id");
    return out;
  }

  /** The checks of every row: nulls, feature widths, labels (a scan of each table). */
  private static void rowChecks(Frames norm, String dir, GraphInfo info, int f) {
    String fFrom = info != null ? GraphInfo.FILE + " num_features" : "the node with the smallest id";
    int classes = info != null && info.kind().equals("node") ? info.numClasses() : 0;
    checkNodeRows(norm.nodes(), dir + "/" + GraphTables.NODES, TableColumns.kindOf(norm.nodes(), GraphTables.FEATURES),
        f, fFrom, classes);
    checkEdgeRows(norm.edges(), dir + "/" + GraphTables.EDGES, TableColumns.kindOf(norm.edges(), GraphTables.FEATURES));
  }

  private static Dataset<Row> table(SparkSession spark, String dir, String name, boolean required) {
    Path p = new Path(dir, name);
    try {
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        if (!required) return null;
        throw new IllegalArgumentException(p + ": table folder is missing (a graph directory holds"
            + " Parquet folders nodes/ and edges/, optionally graphs/)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p + " (" + e.getMessage() + ")", e);
    }
    try {
      return spark.read().parquet(p.toString());
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown anyway
      throw new IllegalArgumentException(p + ": cannot read it as a Parquet table ("
          + firstLine(e.getMessage()) + ")", e);
    }
  }

  /** Feature width of the row with the smallest key (0 when the table is empty). */
  private static int firstWidth(Dataset<Row> t, Kind kind, String... key) {
    List<Row> first = t.where(col(GraphTables.FEATURES).isNotNull())
        .orderBy(key[0], java.util.Arrays.copyOfRange(key, 1, key.length))
        .select(width(kind)).limit(1).collectAsList();
    return first.isEmpty() ? 0 : first.get(0).getInt(0);
  }

  /** Features per row: array size, or blob bytes / 4 rounded up (a ragged blob is never equal). */
  private static Column width(Kind kind) {
    return kind == Kind.BLOB ? expr("CAST(CEIL(length(features) / 4.0) AS INT)")
        : expr("size(features)");
  }

  /**
   * Whether a row's features are malformed: a blob of a length not a multiple of 4, an array
   * holding a null. The per-element test is skipped when the table's schema declares elements
   * non-null (as gnn4j's writers do): it costs a lambda call per value.
   */
  private static Column ragged(Dataset<Row> t, Kind kind) {
    if (kind == Kind.BLOB) return expr("length(features) % 4 != 0");
    if (t.schema().apply(GraphTables.FEATURES).dataType() instanceof org.apache.spark.sql.types.ArrayType a
        && !a.containsNull()) {
      return lit(false);
    }
    return expr("exists(features, v -> v IS NULL)");
  }

  /**
   * {@code t} with the width every row must have in column {@code _expect}: {@code f} for the whole
   * table, or, when {@code group} (a node's type, an edge's relation) is a column, the width of the
   * group's row with the smallest key: types and relations may differ in width.
   */
  private static Dataset<Row> expecting(Dataset<Row> t, Kind kind, String group, int f, String... key) {
    if (group == null || !List.of(t.columns()).contains(group)) return t.withColumn("_expect", lit(f));
    Column order = org.apache.spark.sql.functions.struct(java.util.Arrays.stream(key)
        .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Dataset<Row> firsts = t.where(col(GraphTables.FEATURES).isNotNull()).groupBy(col(group).as("_g"))
        .agg(org.apache.spark.sql.functions.min_by(width(kind), order).as("_expect"));
    return t.join(org.apache.spark.sql.functions.broadcast(firsts), t.col(group).eqNullSafe(firsts.col("_g")),
        "left").drop("_g");
  }

  private static String fromGroup(Row r, int at, String what, String fFrom) {
    return r.isNullAt(at) ? fFrom : "the " + what + " " + r.getString(at) + " with the smallest " + (what.startsWith("node") ? "id" : "(src, dst)");
  }

  private static void checkNodeRows(Dataset<Row> nodes, String name, Kind kind, int f, String fFrom,
                                    int classes) {
    boolean hasLabel = List.of(nodes.columns()).contains(GraphTables.LABEL);
    boolean typed = List.of(nodes.columns()).contains(GraphTables.TYPE);
    Column label = hasLabel ? col(GraphTables.LABEL) : lit(null).cast(DataTypes.IntegerType);
    Column badLabel = hasLabel ? label.lt(0).or(lit(classes > 0).and(label.geq(classes))) : lit(false);
    List<Row> bad = expecting(nodes, kind, GraphTables.TYPE, f, GraphTables.ID)
        .select(col(GraphTables.ID), col(GraphTables.FEATURES).isNull().as("fnull"),
            width(kind).as("w"), ragged(nodes, kind).as("ragged"), label.as("label"), badLabel.as("badLabel"),
            col("_expect"), typed ? col(GraphTables.TYPE) : lit(null).cast(DataTypes.StringType))
        .where("id IS NULL OR fnull OR w != _expect OR ragged OR badLabel")
        .orderBy(col(GraphTables.ID).asc_nulls_first()).limit(1).collectAsList();
    if (bad.isEmpty()) return;
    Row r = bad.get(0);
    if (r.isNullAt(0)) {
      throw new IllegalArgumentException(name + ": column id is null in a row (every node needs an id)");
    }
    String row = "the row with id " + r.getLong(0);
    int want = r.isNullAt(6) ? f : r.getInt(6);
    String unit = kind == Kind.BLOB ? " float32 (" + 4 * want + " bytes)" : " floats";
    if (r.getBoolean(1)) {
      throw new IllegalArgumentException(name + ": column features is null in " + row + " (expected "
          + want + unit + ")");
    }
    if (r.getBoolean(3)) {
      throw new IllegalArgumentException(name + ": column features in " + row + (kind == Kind.BLOB
          ? " is a blob whose length is not a multiple of 4 bytes (expected " + want + unit + ")"
          : " holds a null element"));
    }
    if (r.getInt(2) != want) {
      throw new IllegalArgumentException(name + ": column features in " + row + " has " + r.getInt(2)
          + (kind == Kind.BLOB ? " float32" : " floats") + ", expected " + want + " (as "
          + (typed ? fromGroup(r, 7, "node of type", fFrom) : fFrom) + ")");
    }
    throw new IllegalArgumentException(name + ": column label in " + row + " is " + r.getInt(4)
        + ", out of range [0, " + (classes > 0 ? classes + ") (" + GraphInfo.FILE + " num_classes)" : "inf)"));
  }

  private static void checkEdgeRows(Dataset<Row> edges, String name, Kind kind) {
    boolean hasFeatures = List.of(edges.columns()).contains(GraphTables.FEATURES);
    boolean typed = List.of(edges.columns()).contains(GraphTables.RELATION);
    String endpoints = "src IS NULL OR dst IS NULL";
    List<Row> bad = edges.select(GraphTables.SRC, GraphTables.DST).where(endpoints).limit(1).collectAsList();
    if (!bad.isEmpty()) {
      Row r = bad.get(0);
      throw new IllegalArgumentException(name + ": column " + (r.isNullAt(0) ? "src" : "dst")
          + " is null in the row (src=" + r.get(0) + ", dst=" + r.get(1) + ")");
    }
    if (!hasFeatures) return;
    int f = typed ? 0 : firstWidth(edges, kind, GraphTables.SRC, GraphTables.DST);
    bad = expecting(edges, kind, GraphTables.RELATION, f, GraphTables.SRC, GraphTables.DST)
        .select(col(GraphTables.SRC), col(GraphTables.DST), col(GraphTables.FEATURES).isNull(),
            width(kind).as("w"), ragged(edges, kind).as("ragged"), col("_expect"),
            typed ? col(GraphTables.RELATION) : lit(null).cast(DataTypes.StringType))
        .where(col(GraphTables.FEATURES).isNull().or(col("w").notEqual(col("_expect"))).or(col("ragged")))
        .orderBy(GraphTables.SRC, GraphTables.DST).limit(1).collectAsList();
    if (bad.isEmpty()) return;
    Row r = bad.get(0);
    String row = "the row (src=" + r.getLong(0) + ", dst=" + r.getLong(1) + ")";
    String what = r.getBoolean(2) ? "is null" : r.getBoolean(4) ? (kind == Kind.BLOB
        ? "is a blob whose length is not a multiple of 4 bytes" : "holds a null element")
        : "has " + r.getInt(3) + (kind == Kind.BLOB ? " float32" : " floats");
    throw new IllegalArgumentException(name + ": column features in " + row + " " + what
        + ", expected " + (r.isNullAt(5) ? f : r.getInt(5)) + " (as "
        + (typed ? fromGroup(r, 6, "edge of relation", "the edge with the smallest (src, dst)")
        : "the edge with the smallest (src, dst)") + ")");
  }

  private static void checkUnique(Dataset<Row> t, String name, String column, String what) {
    List<Row> twice = t.groupBy(column).count().where("count > 1").orderBy(column).limit(1)
        .collectAsList();
    if (!twice.isEmpty()) {
      throw new IllegalArgumentException(name + ": column " + column + ": " + what + " "
          + twice.get(0).get(0) + " appears in " + twice.get(0).getLong(1) + " rows (expected once)");
    }
  }

  /** One anti-join of both endpoint columns against the node ids. */
  private static void checkEndpoints(Dataset<Row> nodes, Dataset<Row> edges, String name, String nodesName) {
    Dataset<Row> ids = nodes.select(col(GraphTables.ID).as("_id"));
    Dataset<Row> ends = edges.select(lit(0).as("_side"), col(GraphTables.SRC).as("_node"),
            col(GraphTables.SRC), col(GraphTables.DST))
        .union(edges.select(lit(1), col(GraphTables.DST), col(GraphTables.SRC), col(GraphTables.DST)));
    List<Row> bad = ends.join(ids, ends.col("_node").equalTo(ids.col("_id")), "left_anti")
        .orderBy("_side", GraphTables.SRC, GraphTables.DST).limit(1).collectAsList();
    if (!bad.isEmpty()) {
      Row r = bad.get(0);
      throw new IllegalArgumentException(name + ": column " + (r.getInt(0) == 0 ? "src" : "dst")
          + " in the row (src="
          + r.getLong(2) + ", dst=" + r.getLong(3) + ") names node " + r.getLong(1) + ", which "
          + nodesName + " does not have");
    }
  }

  static String firstLine(String s) {
    if (s == null) return "no reason given";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
