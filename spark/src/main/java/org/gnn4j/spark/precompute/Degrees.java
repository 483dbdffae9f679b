package org.gnn4j.spark.precompute;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.gnn4j.spark.tables.GraphTables;

/**
 * Node degrees of a graph in Spark SQL: for every node of the node table, how many edges of the
 * edge table end at it ({@code in_degree}) and start at it ({@code out_degree}), counting every
 * row (a duplicate edge twice, a self-loop once on each side) exactly as the edge list stands;
 * nodes without edges get 0. The global statistic normalisations and layer-wise inference read.
 */
public final class Degrees {
  private Degrees() {}

  public static final String IN = "in_degree";
  public static final String OUT = "out_degree";

  /** A table (id, in_degree, out_degree) with one row per node; degrees are BIGINT. */
  public static Dataset<Row> of(GraphTables.Frames t) {
    Dataset<Row> in = t.edges().groupBy(col(GraphTables.DST).as("k")).agg(count(lit(1)).as(IN));
    Dataset<Row> out = t.edges().groupBy(col(GraphTables.SRC).as("k")).agg(count(lit(1)).as(OUT));
    Dataset<Row> ids = t.nodes().select(GraphTables.ID);
    return ids.join(in, ids.col(GraphTables.ID).equalTo(in.col("k")), "left")
        .join(out, ids.col(GraphTables.ID).equalTo(out.col("k")), "left")
        .select(ids.col(GraphTables.ID), coalesce(in.col(IN), lit(0L)).as(IN),
            coalesce(out.col(OUT), lit(0L)).as(OUT));
  }
}
