package org.gnn4j.spark.precompute;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.LaplacianPe;
import org.gnn4j.pe.RandomWalkPe;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import scala.Tuple2;

/**
 * Laplacian eigenvector encodings and RWSE of every graph of a dataset of many graphs (the
 * {@code graph} column), each graph computed on an executor by gnn4j's own single-machine code
 * ({@link LaplacianPe}, {@link RandomWalkPe}), with the result bit-identical to what one machine
 * computes for the whole dataset (gnn4j's training does it in {@code DatasetEncodings}) with
 * default options and a context of the same thread count and kernels.
 *
 * <p>Why it is the same: both encodings read only the undirected simple graph of the edges
 * ({@link Adjacency}, order-free), a graph's nodes are numbered by ascending id (a dataset's
 * order), and no graph's result depends on another's, except for one thing: a graph above
 * LapPE's dense limit seeds its Lanczos start vectors with the g-th split of the seed, g its
 * position in the dataset. Such a graph is computed behind g empty graphs, so it draws the
 * same split; its position is its rank by ascending graph id.
 *
 * <p>Output, one row per node: {@code id}, {@code graph}, then for LapPE {@code lap} (the K
 * eigenvector entries, fixed signs: largest-magnitude entry positive), {@code lap_values} (the
 * graph's K eigenvalues) and {@code lap_valid} (how many slots are real; the rest are zero); for
 * RWSE {@code rwse} (K return probabilities). All ARRAY&lt;FLOAT&gt; rounded from gnn4j's doubles.
 */
public final class GraphEncodings {
  private GraphEncodings() {}

  /** Which encoding. */
  public enum Kind {
    LAPPE, RWSE;

    public static Kind parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * @param k eigenvectors (LapPE) or walk length (RWSE)
   * @param rwse the RWSE options (its walks and seed apply to graphs over its exact limit)
   * @param threads threads of each executor task's gnn4j context
   */
  public static Dataset<Row> compute(SparkSession spark, GraphTables.Frames t, Kind kind, int k,
                                     RandomWalkPe.Options rwse, int threads) {
    if (k < 1) throw new IllegalArgumentException("--hops: encoding size must be >= 1 (got " + k + ")");
    Dataset<Row> nodes = t.nodes().groupBy(col(GraphTables.GRAPH).as("g"))
        .agg(org.apache.spark.sql.functions.collect_list(col(GraphTables.ID)).as("ids"));
    Dataset<Row> edges = t.edges().groupBy(col(GraphTables.GRAPH).as("eg"))
        .agg(org.apache.spark.sql.functions.collect_list(col(GraphTables.SRC)).as("src"),
            org.apache.spark.sql.functions.collect_list(col(GraphTables.DST)).as("dst"));
    Dataset<Row> rank = ranks(spark, t);
    Dataset<Row> graphs = nodes.join(rank, nodes.col("g").equalTo(rank.col("rg")))
        .join(edges, nodes.col("g").equalTo(edges.col("eg")), "left")
        .select("g", "position", "ids", "src", "dst");
    // gnn4j's option records are not Serializable: the tasks rebuild them from their fields.
    String method = rwse.method().name();
    int exactLimit = rwse.exactLimit();
    int walks = rwse.walks();
    int exactHops = rwse.exactHops();
    long seed = rwse.seed();
    JavaRDD<Row> rows = graphs.javaRDD().mapPartitions(it -> {
      List<Row> out = new ArrayList<>();
      LaplacianPe.Options lap = LaplacianPe.Options.defaults();
      RandomWalkPe.Options ro = new RandomWalkPe.Options(RandomWalkPe.Method.valueOf(method),
          exactLimit, walks, exactHops, seed);
      try (Context ctx = Context.builder().threads(threads).build()) {
        while (it.hasNext()) encode(it.next(), kind, k, lap, ro, ctx, out);
      }
      return out.iterator();
    });
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.GRAPH, DataTypes.LongType, false)));
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    if (kind == Kind.LAPPE) {
      fields.add(DataTypes.createStructField("lap", floats, false));
      fields.add(DataTypes.createStructField("lap_values", floats, false));
      fields.add(DataTypes.createStructField("lap_valid", DataTypes.IntegerType, false));
    } else {
      fields.add(DataTypes.createStructField(SampledRwse.RWSE, floats, false));
    }
    return spark.createDataFrame(rows, DataTypes.createStructType(fields));
  }

  /** (rg, position): each graph id's rank among the ascending graph ids, from 0. */
  private static Dataset<Row> ranks(SparkSession spark, GraphTables.Frames t) {
    JavaPairRDD<Row, Long> ranked = t.nodes().select(GraphTables.GRAPH).distinct()
        .orderBy(GraphTables.GRAPH).javaRDD().zipWithIndex();
    return spark.createDataFrame(ranked.map(p -> RowFactory.create(p._1().getLong(0), p._2())),
        DataTypes.createStructType(List.of(
            DataTypes.createStructField("rg", DataTypes.LongType, false),
            DataTypes.createStructField("position", DataTypes.LongType, false))));
  }

  private static void encode(Row r, Kind kind, int k, LaplacianPe.Options lap,
                             RandomWalkPe.Options rwse, Context ctx, List<Row> out) {
    long graph = r.getLong(0);
    long position = r.getLong(1);
    long[] ids = sortedIds(r.getList(2));
    int n = ids.length;
    List<Object> src = r.isNullAt(3) ? List.of() : r.getList(3);
    List<Object> dst = r.isNullAt(4) ? List.of() : r.getList(4);
    int[] s = new int[src.size()];
    int[] d = new int[dst.size()];
    for (int e = 0; e < s.length; e++) {
      s[e] = local(ids, (Long) src.get(e), graph);
      d[e] = local(ids, (Long) dst.get(e), graph);
    }
    Adjacency adj = Adjacency.undirected(s, d, n);
    if (kind == Kind.RWSE) {
      double[] v = RandomWalkPe.compute(adj, new int[] {n}, k, rwse, ctx).values();
      for (int i = 0; i < n; i++) {
        out.add(RowFactory.create(ids[i], graph, toFloat(v, i * k, k)));
      }
      return;
    }
    int[] counts = new int[] {n};
    if (n > lap.denseLimit()) {
      if (position > Integer.MAX_VALUE - 1) {
        throw new IllegalArgumentException("graphs: graph " + graph + " is number " + position
            + " of the dataset; LapPE's Lanczos seeding supports at most 2^31 - 1 graphs");
      }
      counts = new int[(int) position + 1];          // g empty graphs first: the g-th seed split
      counts[(int) position] = n;
    }
    LaplacianPe.Result res = LaplacianPe.compute(adj, counts, k, lap, ctx);
    int slot = counts.length - 1;
    float[] values = toFloat(res.values(), slot * k, k);
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(ids[i], graph, toFloat(res.vectors(), i * k, k), values,
          res.valid()[slot]));
    }
  }

  private static long[] sortedIds(List<Object> list) {
    long[] ids = new long[list.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = (Long) list.get(i);
    Arrays.sort(ids);
    return ids;
  }

  private static int local(long[] ids, long id, long graph) {
    int p = Arrays.binarySearch(ids, id);
    if (p < 0) {
      throw new IllegalArgumentException("edges: a row of graph " + graph + " names node " + id
          + ", which is not a node of graph " + graph);
    }
    return p;
  }

  private static float[] toFloat(double[] v, int from, int len) {
    float[] f = new float[len];
    for (int j = 0; j < len; j++) f[j] = (float) v[from + j];
    return f;
  }
}
