package org.gnn4j.spark.precompute;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.gnn4j.spark.tables.GraphTables;
import scala.Tuple2;

/**
 * Random-walk structural encodings (RWSE, Dwivedi et al., arXiv:2110.07875) of every node of a
 * graph too large for one machine, by sampling: the return probability p_t(i) = (P^t)_ii of the
 * walk P = D^-1 A, t = 1..K, on the undirected simple graph of the edges (both directions, no
 * duplicates, no self-loops, as gnn4j's {@code org.gnn4j.pe.Adjacency}), estimated from R walks
 * of length K started at i: p̂_t(i) = (number of walks at i after t steps) / R.
 *
 * <p>Each walk's returns are independent Bernoulli(p_t(i)) draws, so p̂_t(i) is unbiased with
 * variance p_t(i) (1 - p_t(i)) / R, at most 1 / (4R): standard error 1/(2 sqrt R), 0.031 at
 * R = 256; a p_t(i) of 0 (a bipartite graph at odd t) is estimated exactly. Isolated nodes get
 * zeros, as in gnn4j. Walks move as rows: each of K steps joins the walkers with the
 * neighbour lists by current node (one shuffle of N R small rows per step) and draws the next
 * node from a counter-based stream: draw (r, t) of node i is SplitMix64 output number
 * r (K + 1) + t of the stream seeded mix(seed, i), so every walk depends only on the seed and
 * its start, not on partitioning or task order, and the counts are integers summed exactly:
 * the same seed gives the same bits anywhere.
 */
public final class SampledRwse {
  private SampledRwse() {}

  /** The output column. */
  public static final String RWSE = "rwse";

  /** A walk: where it started, its number, where it is, and bit t-1 set if it was home at t. */
  record Walker(long start, int r, long cur, long returns) implements Serializable {}

  /**
   * A table (id, rwse ARRAY&lt;FLOAT&gt; of length K) with one row per node.
   *
   * @param k K, walk length, 1..63
   * @param walks R >= 1
   */
  public static Dataset<Row> compute(SparkSession spark, GraphTables.Frames t, int k, int walks,
                                     long seed, int partitions) {
    if (k < 1 || k > 63) throw new IllegalArgumentException("--hops: walk length must be in 1..63 (got " + k + ")");
    if (walks < 1) throw new IllegalArgumentException("--walks: must be >= 1 (got " + walks + ")");
    NodePartitioner part = new NodePartitioner(partitions);
    t.edges().select(GraphTables.SRC, GraphTables.DST).createOrReplaceTempView("gnn4j_rwse_edges");
    JavaPairRDD<Long, long[]> adj = spark.sql("""
        SELECT a, array_sort(collect_set(b)) AS nbrs
        FROM (SELECT src AS a, dst AS b FROM gnn4j_rwse_edges
              UNION ALL SELECT dst AS a, src AS b FROM gnn4j_rwse_edges)
        WHERE a != b GROUP BY a""").javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), longs(r.getList(1))))
        .partitionBy(part).persist(StorageLevel.MEMORY_AND_DISK());
    long nodeSeed = Mix.mix64(seed);
    // Step 1 straight from the neighbour lists; the walkers then travel to their nodes.
    JavaPairRDD<Long, Walker> walkers = adj.flatMapToPair(a -> {
      List<Tuple2<Long, Walker>> out = new ArrayList<>(walks);
      for (int r = 0; r < walks; r++) {
        Walker w = step(new Walker(a._1(), r, a._1(), 0), a._2(), 1, k, nodeSeed);
        out.add(new Tuple2<>(w.cur(), w));
      }
      return out.iterator();
    });
    for (int s = 2; s <= k; s++) {
      final int step = s;
      walkers = walkers.join(adj, part).mapToPair(w -> {
        Walker next = step(w._2()._1(), w._2()._2(), step, k, nodeSeed);
        return new Tuple2<>(next.cur(), next);
      });
    }
    JavaPairRDD<Long, long[]> counts = walkers
        .mapToPair(w -> new Tuple2<>(w._2().start(), w._2().returns()))
        .aggregateByKey(new long[k], part, (c, bits) -> {
          for (int i = 0; i < k; i++) c[i] += (bits >>> i) & 1;
          return c;
        }, (a, b) -> {
          for (int i = 0; i < k; i++) a[i] += b[i];
          return a;
        });
    Dataset<Row> est = spark.createDataFrame(counts.map(c -> {
      float[] p = new float[k];
      for (int i = 0; i < k; i++) p[i] = (float) (c._2()[i] / (double) walks);
      return RowFactory.create(c._1(), p);
    }), DataTypes.createStructType(List.of(
        DataTypes.createStructField("rid", DataTypes.LongType, false),
        DataTypes.createStructField(RWSE, DataTypes.createArrayType(DataTypes.FloatType, false), false))));
    Dataset<Row> ids = t.nodes().select(col(GraphTables.ID));
    String zeros = "array_repeat(CAST(0.0 AS FLOAT), " + k + ")";
    return ids.join(est, ids.col(GraphTables.ID).equalTo(est.col("rid")), "left")
        .selectExpr(GraphTables.ID, "coalesce(" + RWSE + ", " + zeros + ") AS " + RWSE);
  }

  /** Moves w one step to a neighbour drawn from its stream; records a return at step t. */
  private static Walker step(Walker w, long[] nbrs, int t, int k, long nodeSeed) {
    long stream = Mix.mix64(nodeSeed ^ Mix.mix64(w.start()));
    long u = Mix.mix64(stream + ((long) w.r() * (k + 1) + t) * Mix.GOLDEN_GAMMA);
    long next = nbrs[(int) Math.unsignedMultiplyHigh(u, nbrs.length)];
    long returns = next == w.start() ? w.returns() | (1L << (t - 1)) : w.returns();
    return new Walker(w.start(), w.r(), next, returns);
  }

  private static long[] longs(List<?> list) {
    long[] l = new long[list.size()];
    for (int i = 0; i < l.length; i++) l[i] = ((Number) list.get(i)).longValue();
    return l;
  }
}
