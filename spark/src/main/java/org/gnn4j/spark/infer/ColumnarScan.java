package org.gnn4j.spark.infer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * A table's rows as Spark's Parquet reader produces them, column batches, when a query is
 * nothing but that reader turning its batches into rows. The block engine reads ids and
 * endpoints in bulk from the batches' vectors: at 10M edges, building a row per edge only to
 * take its two longs out again was a third of the time spent reading the tables.
 */
final class ColumnarScan {
  private ColumnarScan() {}

  /**
   * The batches of {@code query}, whose columns are exactly a Parquet scan's (no cast, filter or
   * expression in between), or null when Spark plans anything else: the caller then reads rows.
   */
  static JavaRDD<ColumnarBatch> batches(Dataset<Row> query) {
    SparkPlan top = query.queryExecution().executedPlan();
    SparkPlan p = top instanceof WholeStageCodegenExec w ? w.child() : top;
    if (!(p instanceof ColumnarToRowExec c)) return null;
    SparkPlan scan = c.child() instanceof InputAdapter a ? a.child() : c.child();
    if (!(scan instanceof FileSourceScanExec f) || !f.supportsColumnar()) return null;
    if (!f.output().equals(top.output())) return null;
    return f.executeColumnar().toJavaRDD();
  }
}
