package org.gnn4j.spark.precompute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.gnn4j.data.Datasets;
import org.gnn4j.spark.tables.GraphTableReader;
import org.gnn4j.spark.tables.GraphTables;

/**
 * The graph a precomputation job reads, from what {@code --data} names: a directory of
 * {@link GraphTables} Parquet folders ({@code nodes/}, {@code edges/}), or any dataset gnn4j reads
 * on one machine (an embedded name such as {@code cora} or {@code zinc_subset}, a plain or TU
 * directory), turned into the same tables. The checks here run before any job starts, so bad
 * input fails with one line naming the table, the column and the offending row.
 */
public final class Inputs {
  private Inputs() {}

  /** Whether {@code dir} holds GraphTables Parquet folders rather than a gnn4j dataset. */
  public static boolean isParquet(String dir) {
    return Files.isDirectory(Path.of(dir, GraphTables.NODES))
        && Files.isDirectory(Path.of(dir, GraphTables.EDGES));
  }

  /** The tables of {@code data}, checked ({@link #check}). */
  public static GraphTables.Frames load(SparkSession spark, String data) {
    if (isParquet(data)) return GraphTableReader.read(spark, data).frames();
    Datasets.Format f;
    try {
      f = Datasets.formatOf(data);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--data: '" + data + "' is neither a directory with nodes/"
          + " and edges/ Parquet folders nor a dataset gnn4j reads (" + e.getMessage() + ")");
    }
    return switch (f) {
      case NODE -> GraphTables.of(spark, Datasets.node(data));
      case GRAPH, TU -> GraphTables.of(spark, Datasets.graph(data));
      default -> throw new IllegalArgumentException("--data: '" + data + "' is a " + f
          + " dataset (expected a homogeneous node or graph dataset)");
    };
  }

  /**
   * Checks the columns every job needs: nodes.id BIGINT and edges.src/dst BIGINT always,
   * nodes.features ARRAY&lt;FLOAT&gt; of one length when {@code needFeatures}, a {@code graph}
   * BIGINT on both tables when {@code needGraph}, every edge inside its graph. (Parquet input was
   * checked by {@link GraphTableReader} when it was loaded: edges name existing nodes.)
   *
   * @return the feature length F (0 when features are not needed)
   */
  public static int check(GraphTables.Frames t, boolean needFeatures, boolean needGraph) {
    column(t.nodes(), GraphTables.NODES, GraphTables.ID, DataTypes.LongType);
    column(t.edges(), GraphTables.EDGES, GraphTables.SRC, DataTypes.LongType);
    column(t.edges(), GraphTables.EDGES, GraphTables.DST, DataTypes.LongType);
    if (needGraph) {
      column(t.nodes(), GraphTables.NODES, GraphTables.GRAPH, DataTypes.LongType);
      column(t.edges(), GraphTables.EDGES, GraphTables.GRAPH, DataTypes.LongType);
    }
    int f = 0;
    if (needFeatures) f = featureLength(t.nodes());
    if (needGraph) crossingEdges(t);
    return f;
  }

  /** Every edge must join two nodes of its own graph. */
  private static void crossingEdges(GraphTables.Frames t) {
    Dataset<Row> n = t.nodes().select(col(GraphTables.ID).as("nid"), col(GraphTables.GRAPH).as("ng"));
    for (String end : new String[] {GraphTables.SRC, GraphTables.DST}) {
      Dataset<Row> e = t.edges().select(GraphTables.SRC, GraphTables.DST, GraphTables.GRAPH);
      List<Row> bad = e.join(n, e.col(end).equalTo(n.col("nid")))
          .where(col(GraphTables.GRAPH).notEqual(col("ng")))
          .select(col(GraphTables.SRC), col(GraphTables.DST), col(GraphTables.GRAPH), col("ng"))
          .limit(1).collectAsList();
      if (!bad.isEmpty()) {
        Row b = bad.get(0);
        throw new IllegalArgumentException(GraphTables.EDGES + ": column '" + end + "' of the row ("
            + GraphTables.SRC + " " + b.get(0) + ", " + GraphTables.DST + " " + b.get(1) + ", graph "
            + b.get(2) + ") names a node of graph " + b.get(3) + " (an edge must stay inside its graph)");
      }
    }
  }

  private static void column(Dataset<Row> table, String name, String column, DataType type) {
    StructField field = find(table, name, column);
    if (!field.dataType().equals(type)) {
      throw new IllegalArgumentException(name + ": column '" + column + "' has type "
          + field.dataType().sql() + " (expected " + type.sql() + ")");
    }
  }

  private static StructField find(Dataset<Row> table, String name, String column) {
    for (StructField f : table.schema().fields()) if (f.name().equals(column)) return f;
    throw new IllegalArgumentException(name + ": no column '" + column + "' (columns: "
        + String.join(", ", table.columns()) + ")");
  }

  /** F, after checking that features is ARRAY&lt;FLOAT&gt; with one length on every row. */
  static int featureLength(Dataset<Row> nodes) {
    StructField field = find(nodes, GraphTables.NODES, GraphTables.FEATURES);
    if (!(field.dataType() instanceof ArrayType a) || !a.elementType().equals(DataTypes.FloatType)) {
      throw new IllegalArgumentException(GraphTables.NODES + ": column 'features' has type "
          + field.dataType().sql() + " (expected ARRAY<FLOAT>)");
    }
    Row first = nodes.select(col(GraphTables.ID), size(col(GraphTables.FEATURES)).as("n"))
        .orderBy(GraphTables.ID).first();
    int f = first.getInt(1);
    List<Row> bad = nodes.where(col(GraphTables.FEATURES).isNull()
            .or(size(col(GraphTables.FEATURES)).notEqual(f)))
        .select(col(GraphTables.ID), size(col(GraphTables.FEATURES))).limit(1).collectAsList();
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(GraphTables.NODES + ": column 'features' of the row with"
          + " id " + bad.get(0).getLong(0) + " has " + (bad.get(0).isNullAt(1) ? "no" : bad.get(0).getInt(1))
          + " values (expected " + f + ", the length of the row with id " + first.getLong(0) + ")");
    }
    return f;
  }

}
