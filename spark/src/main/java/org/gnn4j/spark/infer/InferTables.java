package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.gnn4j.spark.tables.GraphTables;

/**
 * The check layer-wise inference makes on its input tables before it starts, against the model:
 * every feature array has the width the model reads (one line naming the table and the row).
 * The tables' own rules (columns and types, unique ids, edges naming existing nodes) are
 * {@link org.gnn4j.spark.tables.GraphTableReader}'s, which reads every Parquet input.
 */
public final class InferTables {
  private InferTables() {}

  /**
   * @param edgeFeatures width of the edge features the model reads (0: the column is not read)
   * @throws IllegalArgumentException naming the first problem found
   */
  public static void check(Dataset<Row> nodes, Dataset<Row> edges, int numFeatures, int edgeFeatures) {
    checkNodes(nodes, numFeatures);
    checkEdges(edges, edgeFeatures);
  }

  /** Every node row has {@code numFeatures} features (one scan of the node table). */
  public static void checkNodes(Dataset<Row> nodes, int numFeatures) {
    floatArray(nodes, GraphTables.NODES);
    width(nodes, GraphTables.NODES, numFeatures, "node", GraphTables.ID);
  }

  /** Every edge row has {@code edgeFeatures} features; nothing to check when it is 0. */
  public static void checkEdges(Dataset<Row> edges, int edgeFeatures) {
    if (edgeFeatures == 0) return;
    floatArray(edges, GraphTables.EDGES);
    width(edges, GraphTables.EDGES, edgeFeatures, "edge", GraphTables.SRC, GraphTables.DST);
  }

  /**
   * Every edge row's {@code relation} is a whole number in [0, relations), the relation ids a
   * model with rgcn layers reads; nothing to check when {@code relations} is 0.
   */
  public static void checkRelations(Dataset<Row> edges, int relations) {
    if (relations == 0) return;
    StructField f = field(edges, GraphTables.EDGES, GraphTables.RELATION);
    if (!(f.dataType() instanceof org.apache.spark.sql.types.NumericType
        || f.dataType() instanceof org.apache.spark.sql.types.StringType)) {
      throw new IllegalArgumentException(GraphTables.EDGES + ": column 'relation' has type "
          + f.dataType().simpleString() + ", expected int (the relation id an rgcn layer reads)");
    }
    org.apache.spark.sql.Column id = org.apache.spark.sql.functions.expr("try_cast(" + GraphTables.RELATION + " AS INT)");
    Row bad = first(edges.select(col(GraphTables.SRC), col(GraphTables.DST), col(GraphTables.RELATION).cast(DataTypes.StringType), id.as("r"))
        .filter(col("r").isNull().or(col("r").lt(0)).or(col("r").geq(relations)))
        .orderBy(GraphTables.SRC, GraphTables.DST));
    if (bad != null) {
      String v = bad.isNullAt(2) ? "null" : bad.getString(2);
      throw new IllegalArgumentException(GraphTables.EDGES + ": row (src " + bad.get(0) + ", dst " + bad.get(1)
          + "): column 'relation' is " + v + ", expected a relation id in [0, " + relations
          + ") (the model's rgcn layers tell " + relations + " relations apart)");
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
