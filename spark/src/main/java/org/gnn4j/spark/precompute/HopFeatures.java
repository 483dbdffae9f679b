package org.gnn4j.spark.precompute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.gnn4j.spark.tables.GraphTables;
import scala.Tuple2;

/**
 * SIGN / SGC hop features over a whole graph in Spark (Frasca et al., arXiv:2004.11198; Wu et
 * al., arXiv:1902.07153): X_0 = X and X_k = Â X_{k-1} for k = 1..K, one sparse-dense product per
 * hop. A hop joins the weighted edges with the previous hop's rows by source (both tables sit
 * under one {@link NodePartitioner}, so the join moves nothing), sends w * x_src to the target,
 * and sums each target's messages in double in ascending source order (a secondary sort inside
 * the shuffle), then rounds to float. So a hop's values do not depend on partitioning or on the
 * order Spark fetches shuffle blocks: the same input gives the same bits on any cluster, and a
 * hub's messages stream past instead of being held in memory at once.
 *
 * <p>Each hop is persisted before the next reads it. The output has one row per node: {@code id},
 * {@code hop0} (the input features) .. {@code hopK}, each ARRAY&lt;FLOAT&gt; of length F, and the
 * node table's {@code label} when it has one. Edges are messages from {@code src} to {@code dst}
 * (for an undirected graph list both directions, as gnn4j's datasets do).
 */
public final class HopFeatures {
  private HopFeatures() {}

  /** Â, the propagation matrix. */
  public enum Norm {
    /**
     * GCN's D̃^-1/2 (A + I) D̃^-1/2 exactly as gnn4j's {@code Graph.gcnWeights} (PyG's gcn_norm):
     * existing self-loops dropped, one loop per node added, D̃ the in-degree with the loop; SGC's
     * and SIGN's default.
     */
    GCN,
    /** Row normalisation D^-1 A: the mean of the in-neighbours (0 for a node without any). */
    MEAN,
    /** Plain A: the sum of the in-neighbours. */
    SUM;

    /** The norm named {@code s} (gcn, mean, sum). */
    public static Norm parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--norm: unknown normalisation '" + s
            + "' (valid: gcn, mean, sum)");
      }
    }
  }

  /** The shuffle key of one message: its target, then its source (the summation order). */
  record Contribution(long dst, long src) implements Serializable {}

  /** An edge by source: its target and weight. */
  record Out(long dst, float w) implements Serializable {}

  /** A message before weighting: the edge weight and the source's row (shared, not copied). */
  record Message(float w, float[] x) implements Serializable {}

  private static final class ByTargetThenSource implements Comparator<Contribution>, Serializable {
    @Override
    public int compare(Contribution a, Contribution b) {
      int c = Long.compare(a.dst(), b.dst());
      return c != 0 ? c : Long.compare(a.src(), b.src());
    }
  }

  /** Column name of hop k. */
  public static String hop(int k) {
    return "hop" + k;
  }

  /**
   * The weighted edge table (src, dst, w FLOAT) of Â. Every node is some edge's target (a
   * zero-weight loop is added where MEAN or SUM has none), so every node gets a row in every hop.
   */
  public static Dataset<Row> weightedEdges(GraphTables.Frames t, Norm norm) {
    Dataset<Row> ids = t.nodes().select(col(GraphTables.ID));
    Dataset<Row> e = t.edges().select(col(GraphTables.SRC), col(GraphTables.DST));
    if (norm == Norm.GCN) {
      e = e.where(col(GraphTables.SRC).notEqual(col(GraphTables.DST)))
          .unionAll(ids.select(col(GraphTables.ID).as(GraphTables.SRC), col(GraphTables.ID).as(GraphTables.DST)));
    }
    Dataset<Row> deg = e.groupBy(col(GraphTables.DST).as("n")).agg(count(lit(1)).as("deg"));
    Dataset<Row> w;
    if (norm == Norm.GCN) {
      Dataset<Row> ds = deg.toDF("sn", "sdeg");
      Dataset<Row> dd = deg.toDF("dn", "ddeg");
      // (float) (1.0 / Math.sqrt((double) deg_src * deg_dst)), the same bits as Graph.gcnWeights
      w = e.join(ds, e.col(GraphTables.SRC).equalTo(ds.col("sn")))
          .join(dd, e.col(GraphTables.DST).equalTo(dd.col("dn")))
          .selectExpr(GraphTables.SRC, GraphTables.DST,
              "CAST(1.0D / SQRT(CAST(sdeg AS DOUBLE) * CAST(ddeg AS DOUBLE)) AS FLOAT) AS w");
    } else {
      Dataset<Row> dd = deg.toDF("dn", "ddeg");
      String weight = norm == Norm.MEAN ? "CAST(1.0D / CAST(ddeg AS DOUBLE) AS FLOAT)" : "CAST(1.0 AS FLOAT)";
      w = e.join(dd, e.col(GraphTables.DST).equalTo(dd.col("dn")))
          .selectExpr(GraphTables.SRC, GraphTables.DST, weight + " AS w");
      Dataset<Row> lonely = ids.join(dd, ids.col(GraphTables.ID).equalTo(dd.col("dn")), "left_anti");
      w = w.unionAll(lonely.selectExpr(GraphTables.ID + " AS " + GraphTables.SRC,
          GraphTables.ID + " AS " + GraphTables.DST, "CAST(0.0 AS FLOAT) AS w"));
    }
    return w;
  }

  /**
   * The node table with each feature row divided by its sum (rows summing to 0 unchanged), the
   * same bits as gnn4j's {@code NodeDataset.withRowNormalizedFeatures} (PyG's
   * NormalizeFeatures): the sum in double in feature order, each value divided in double.
   */
  public static Dataset<Row> rowNormalized(Dataset<Row> nodes) {
    return nodes.withColumn("_gnn4j_sum", org.apache.spark.sql.functions.expr(
            "aggregate(features, 0D, (acc, v) -> acc + CAST(v AS DOUBLE))"))
        .withColumn(GraphTables.FEATURES, org.apache.spark.sql.functions.expr("transform(features,"
            + " v -> CASE WHEN _gnn4j_sum = 0D THEN v ELSE CAST(CAST(v AS DOUBLE) / _gnn4j_sum AS FLOAT) END)"))
        .drop("_gnn4j_sum");
  }

  /**
   * X_0 .. X_K as one table (see the class doc).
   *
   * @param k K >= 1
   * @param partitions partitions of the node-keyed tables (and of each hop's shuffle)
   */
  public static Dataset<Row> compute(SparkSession spark, GraphTables.Frames t, int k, Norm norm,
                                     int partitions) {
    if (k < 1) throw new IllegalArgumentException("--hops: must be >= 1 (got " + k + ")");
    NodePartitioner part = new NodePartitioner(partitions);
    JavaPairRDD<Long, Out> edges = weightedEdges(t, norm).javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), new Out(r.getLong(1), r.getFloat(2))))
        .partitionBy(part).persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<Long, float[]> x = t.nodes().select(GraphTables.ID, GraphTables.FEATURES).javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), floats(r.getList(1))))
        .partitionBy(part).persist(StorageLevel.MEMORY_AND_DISK());
    List<JavaPairRDD<Long, float[]>> hops = new ArrayList<>(List.of(x));
    for (int h = 1; h <= k; h++) {
      JavaPairRDD<Long, float[]> next = hop(edges, hops.get(h - 1), part)
          .persist(StorageLevel.MEMORY_AND_DISK());
      next.count();                          // materialise now: the next hop reads the stored rows
      hops.add(next);
    }
    JavaRDD<Row> rows = table(hops, part);
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false));
    for (int h = 0; h <= k; h++) {
      fields.add(DataTypes.createStructField(hop(h),
          DataTypes.createArrayType(DataTypes.FloatType, false), false));
    }
    Dataset<Row> out = spark.createDataFrame(rows, DataTypes.createStructType(fields));
    if (java.util.Arrays.asList(t.nodes().columns()).contains(GraphTables.LABEL)) {
      Dataset<Row> labels = t.nodes().select(col(GraphTables.ID).as("lid"), col(GraphTables.LABEL));
      out = out.join(labels, out.col(GraphTables.ID).equalTo(labels.col("lid"))).drop("lid");
    }
    edges.unpersist(false);
    return out;
  }

  /** One product Â X: messages along the edges, sorted by (target, source), summed per target. */
  static JavaPairRDD<Long, float[]> hop(JavaPairRDD<Long, Out> edges, JavaPairRDD<Long, float[]> x,
                                        NodePartitioner part) {
    return edges.join(x)
        .mapToPair(e -> new Tuple2<>(new Contribution(e._2()._1().dst(), e._1()),
            new Message(e._2()._1().w(), e._2()._2())))
        .repartitionAndSortWithinPartitions(part, new ByTargetThenSource())
        .mapPartitionsToPair(HopFeatures::sumByTarget, true);
  }

  /** Sums the runs of equal targets of a sorted partition, in double, into float rows. */
  private static Iterator<Tuple2<Long, float[]>> sumByTarget(
      Iterator<Tuple2<Contribution, Message>> in) {
    return new Iterator<>() {
      Tuple2<Contribution, Message> head = in.hasNext() ? in.next() : null;

      @Override
      public boolean hasNext() {
        return head != null;
      }

      @Override
      public Tuple2<Long, float[]> next() {
        long dst = head._1().dst();
        double[] acc = new double[head._2().x().length];
        while (head != null && head._1().dst() == dst) {
          float w = head._2().w();
          float[] v = head._2().x();
          for (int f = 0; f < acc.length; f++) acc[f] += (double) w * v[f];
          head = in.hasNext() ? in.next() : null;
        }
        float[] row = new float[acc.length];
        for (int f = 0; f < row.length; f++) row[f] = (float) acc[f];
        return new Tuple2<>(dst, row);
      }
    };
  }

  /** Rows (id, hop0 .. hopK): the hops share a partitioner, so the grouping moves nothing. */
  private static JavaRDD<Row> table(List<JavaPairRDD<Long, float[]>> hops, NodePartitioner part) {
    int count = hops.size();
    JavaPairRDD<Long, Tuple2<Integer, float[]>> all = null;
    for (int h = 0; h < count; h++) {
      final int idx = h;
      JavaPairRDD<Long, Tuple2<Integer, float[]>> tagged =
          hops.get(h).mapValues(v -> new Tuple2<>(idx, v));
      all = all == null ? tagged : all.union(tagged);
    }
    return all.groupByKey(part).map(g -> {
      Object[] row = new Object[count + 1];
      row[0] = g._1();
      for (Tuple2<Integer, float[]> v : g._2()) row[v._1() + 1] = v._2();
      return RowFactory.create(row);
    });
  }

  static float[] floats(List<?> list) {
    float[] f = new float[list.size()];
    for (int i = 0; i < f.length; i++) f[i] = ((Number) list.get(i)).floatValue();
    return f;
  }
}
