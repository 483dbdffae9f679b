package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.gnn4j.spark.tables.GraphTables;

/**
 * The checks layer-wise inference makes on its input tables before it starts, each failing with
 * one line naming the table, the column and a row: the columns it reads exist with their types,
 * every feature array has the width the model reads, node ids are unique, and every edge names
 * nodes of the node table.
 */
public final class InferTables {
  private InferTables() {}

  /**
   * @param edgeFeatures width of the edge features the model reads (0: the column is not read)
   * @throws IllegalArgumentException naming the first problem found
   */
  public static void check(Dataset<Row> nodes, Dataset<Row> edges, int numFeatures, int edgeFeatures) {
    column(nodes, GraphTables.NODES, GraphTables.ID, DataTypes.LongType);
    floatArray(nodes, GraphTables.NODES);
    column(edges, GraphTables.EDGES, GraphTables.SRC, DataTypes.LongType);
    column(edges, GraphTables.EDGES, GraphTables.DST, DataTypes.LongType);
    if (edgeFeatures > 0) floatArray(edges, GraphTables.EDGES);
    width(nodes, GraphTables.NODES, numFeatures, "node", GraphTables.ID);
    if (edgeFeatures > 0) width(edges, GraphTables.EDGES, edgeFeatures, "edge", GraphTables.SRC, GraphTables.DST);
    Row nullId = first(nodes.filter(col(GraphTables.ID).isNull()));
    if (nullId != null) throw new IllegalArgumentException("nodes: column 'id' is null in a row");
    Row dup = first(nodes.groupBy(GraphTables.ID).count().filter(col("count").gt(1)));
    if (dup != null) {
      throw new IllegalArgumentException("nodes: id " + dup.getLong(0) + " appears in " + dup.getLong(1)
          + " rows of column 'id' (node ids must be unique)");
    }
    Dataset<Row> ids = nodes.select(col(GraphTables.ID));
    for (String end : new String[] {GraphTables.SRC, GraphTables.DST}) {
      Row bad = first(edges.select(GraphTables.SRC, GraphTables.DST)
          .join(ids, edges.col(end).equalTo(ids.col(GraphTables.ID)), "left_anti"));
      if (bad != null) {
        String v = bad.isNullAt(end.equals(GraphTables.SRC) ? 0 : 1) ? "null"
            : Long.toString(bad.getLong(end.equals(GraphTables.SRC) ? 0 : 1));
        throw new IllegalArgumentException("edges: row (src " + (bad.isNullAt(0) ? "null" : bad.getLong(0))
            + ", dst " + (bad.isNullAt(1) ? "null" : bad.getLong(1)) + "): column '" + end + "' names node "
            + v + ", which is not in the node table");
      }
    }
  }

  private static Row first(Dataset<Row> d) {
    Row[] r = (Row[]) d.limit(1).collect();
    return r.length == 0 ? null : r[0];
  }

  private static StructField field(Dataset<Row> t, String table, String name) {
    for (StructField f : t.schema().fields()) if (f.name().equals(name)) return f;
    throw new IllegalArgumentException(table + ": column '" + name + "' is missing (columns: "
        + String.join(", ", Arrays.asList(t.columns())) + ")");
  }

  private static void column(Dataset<Row> t, String table, String name, DataType type) {
    StructField f = field(t, table, name);
    if (!f.dataType().equals(type)) {
      throw new IllegalArgumentException(table + ": column '" + name + "' has type "
          + f.dataType().simpleString() + ", expected " + type.simpleString());
    }
  }

  private static void floatArray(Dataset<Row> t, String table) {
    StructField f = field(t, table, GraphTables.FEATURES);
    if (!(f.dataType() instanceof ArrayType a) || !(a.elementType().equals(DataTypes.FloatType)
        || a.elementType().equals(DataTypes.DoubleType))) {
      throw new IllegalArgumentException(table + ": column 'features' has type " + f.dataType().simpleString()
          + ", expected array<float>");
    }
  }

  private static void width(Dataset<Row> t, String table, int want, String what, String... keys) {
    org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[keys.length + 1];
    for (int k = 0; k < keys.length; k++) cols[k] = col(keys[k]);
    cols[keys.length] = size(col(GraphTables.FEATURES)).as("n");
    // size(null) is null under ANSI SQL (Spark's default) and -1 without it
    Row bad = first(t.select(cols).filter(col("n").isNull().or(col("n").notEqual(want))));
    if (bad != null) {
      StringBuilder row = new StringBuilder();
      for (int k = 0; k < keys.length; k++) row.append(k == 0 ? "" : ", ").append(keys[k]).append(' ').append(bad.get(k));
      int n = bad.isNullAt(keys.length) ? -1 : bad.getInt(keys.length);
      throw new IllegalArgumentException(table + ": row (" + row + "): column 'features' "
          + (n < 0 ? "is null" : "has " + n + " values") + ", the model reads " + want + " " + what + " features");
    }
  }

}
