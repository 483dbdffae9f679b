package org.gnn4j.spark.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.ops.Spmm;
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.LaplacianPe;
import org.gnn4j.pe.RandomWalkPe;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecomputeTest {
  static SparkSession spark;
  static Context ctx;
  static NodeDataset cora;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
    ctx = Context.builder().threads(1).build();
    cora = Datasets.node("cora");
  }

  @AfterAll
  static void stop() {
    spark.stop();
    ctx.close();
  }

  @Test
  void degreesAreExactOnCora() {
    List<Row> rows = Degrees.of(GraphTables.of(spark, cora)).orderBy(GraphTables.ID).collectAsList();
    long[] in = new long[cora.numNodes()];
    long[] out = new long[cora.numNodes()];
    for (int e = 0; e < cora.edges().numEdges(); e++) {
      out[cora.edges().src()[e]]++;
      in[cora.edges().dst()[e]]++;
    }
    assertEquals(cora.numNodes(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i, rows.get(i).getLong(0));
      assertEquals(in[i], rows.get(i).getLong(1), "in-degree of node " + i);
      assertEquals(out[i], rows.get(i).getLong(2), "out-degree of node " + i);
    }
  }

  @Test
  void gcnHopsEqualSingleMachineOnCora() {
    int k = 2;
    List<Row> rows = HopFeatures.compute(spark, GraphTables.of(spark, cora), k, HopFeatures.Norm.GCN, 4)
        .orderBy(GraphTables.ID).collectAsList();
    Graph g = Graph.of(cora.edges());
    Tensor h = ctx.tensor(cora.x(), cora.numNodes(), cora.numFeatures());
    assertHop(rows, 0, h);
    for (int hop = 1; hop <= k; hop++) {
      h = Spmm.aggregate(g.selfLooped(), g.gcnWeights(ctx), h);
      assertHop(rows, hop, h);
    }
    assertEquals(cora.y()[5], rows.get(5).getInt(k + 2), "the label column is carried along");
  }

  @Test
  void meanHopsEqualSingleMachineWithLonelyNodes() {
    // Cora's first 32 features plus one edge-less node, which must come out as zeros.
    int f = 32;
    float[] x = new float[cora.numNodes() * f];
    for (int i = 0; i < cora.numNodes(); i++) System.arraycopy(cora.x(), i * cora.numFeatures(), x, i * f, f);
    NodeDataset d = new NodeDataset("cora32", cora.numNodes(), f, x, cora.edges(), cora.numClasses(),
        cora.y(), cora.train(), cora.val(), cora.test());
    EdgeIndex e = d.edges();
    int[] indeg = new int[d.numNodes()];
    for (int t : e.dst()) indeg[t]++;
    float[] w = new float[e.numEdges()];
    for (int i = 0; i < w.length; i++) w[i] = (float) (1.0 / indeg[e.dst()[i]]);
    GraphTables.Frames t = GraphTables.of(spark, d);
    Dataset<Row> lonely = spark.createDataFrame(List.of(RowFactory.create(99_999L,
        new float[d.numFeatures()], 0)), t.nodes().schema());
    t = new GraphTables.Frames(t.nodes().unionAll(lonely), t.edges(), null);
    List<Row> rows = HopFeatures.compute(spark, t, 2, HopFeatures.Norm.MEAN, 3)
        .orderBy(GraphTables.ID).collectAsList();
    Tensor h = ctx.tensor(d.x(), d.numNodes(), d.numFeatures());
    Tensor wt = ctx.tensor(w, w.length);
    for (int hop = 1; hop <= 2; hop++) {
      h = Spmm.aggregate(e, wt, h);
      assertHop(rows, hop, h);
      List<?> last = rows.get(d.numNodes()).getList(hop + 1);
      assertEquals(d.numFeatures(), last.size());
      for (Object v : last) assertEquals(0f, (Float) v);
    }
  }

  /** |spark - single| <= 1e-5 |single| element by element (all terms are >= 0: no cancellation). */
  private static void assertHop(List<Row> rows, int hop, Tensor want) {
    int f = want.dim(1);
    float[] x = want.data();
    double worst = 0;
    for (int i = 0; i < want.dim(0); i++) {
      assertEquals(i, rows.get(i).getLong(0));
      List<?> got = rows.get(i).getList(hop + 1);
      assertEquals(f, got.size());
      for (int j = 0; j < f; j++) {
        float a = (Float) got.get(j);
        float b = x[i * f + j];
        double err = Math.abs(a - b);
        assertTrue(err <= 1e-5 * Math.abs(b), "hop " + hop + " node " + i + " feature " + j
            + ": spark " + a + " vs single machine " + b);
        if (b != 0) worst = Math.max(worst, err / Math.abs(b));
      }
    }
    System.out.printf("hop %d: max relative difference %.2e%n", hop, worst);
  }

  @Test
  void sampledRwseIsWithinItsStandardErrorOfTheExactValue() {
    NodeDataset karate = Datasets.node("karate");
    int k = 8;
    int walks = 1500;
    GraphTables.Frames t = GraphTables.of(spark, karate);
    List<Row> rows = SampledRwse.compute(spark, t, k, walks, 7, 3).orderBy(GraphTables.ID).collectAsList();
    // the exact method (its walks and hops settings are unused)
    double[] exact = RandomWalkPe.compute(Adjacency.undirected(karate.edges()),
        new int[] {karate.numNodes()}, k, new RandomWalkPe.Options(RandomWalkPe.Method.EXACT,
            0, 1, 1, 0), ctx).values();
    double z2 = 0;
    int terms = 0;
    for (int i = 0; i < karate.numNodes(); i++) {
      List<?> got = rows.get(i).getList(1);
      for (int s = 0; s < k; s++) {
        double p = exact[i * k + s];
        double est = (Float) got.get(s);
        double se = Math.sqrt(p * (1 - p) / walks);
        // 6 standard errors: a false alarm somewhere among the 272 values has odds ~1e-6
        assertTrue(Math.abs(est - p) <= 6 * se + 1e-6, "node " + i + " t=" + (s + 1)
            + ": estimate " + est + " vs exact " + p + " (standard error " + se + ")");
        if (se > 0) {
          z2 += (est - p) * (est - p) / (se * se);
          terms++;
        }
      }
    }
    // The estimator's variance is p(1-p)/R: the mean squared z-score is near 1.
    double meanZ2 = z2 / terms;
    assertTrue(meanZ2 > 0.6 && meanZ2 < 1.4, "mean squared z-score " + meanZ2);
    List<Row> small = SampledRwse.compute(spark, t, k, 100, 7, 3).orderBy(GraphTables.ID).collectAsList();
    List<Row> again = SampledRwse.compute(spark, t, k, 100, 7, 5).orderBy(GraphTables.ID).collectAsList();
    assertEquals(small, again, "same seed, other partitioning: same bits");
    List<Row> other = SampledRwse.compute(spark, t, k, 100, 8, 3).orderBy(GraphTables.ID).collectAsList();
    assertNotEquals(small, other, "another seed draws other walks");
  }

  @Test
  void perGraphEncodingsAreBitIdenticalOnZincSubset() {
    GraphDataset z = Datasets.graph("zinc_subset");
    int graphs = 2000;                           // the first graphs: enough molecules, a quick test
    GraphTables.Frames all = GraphTables.of(spark, z);
    var first = org.apache.spark.sql.functions.col(GraphTables.GRAPH).lt(graphs);
    GraphTables.Frames t = new GraphTables.Frames(all.nodes().where(first), all.edges().where(first), null);
    int nodes = z.nodeStart()[graphs];
    int edges = z.edgeStart()[graphs];
    int[] src = new int[edges];
    int[] dst = new int[edges];
    int[] counts = new int[graphs];
    for (int g = 0; g < graphs; g++) {
      counts[g] = z.numNodes(g);
      for (int e = z.edgeStart()[g]; e < z.edgeStart()[g + 1]; e++) {
        src[e] = z.src()[e] + z.nodeStart()[g];
        dst[e] = z.dst()[e] + z.nodeStart()[g];
      }
    }
    Adjacency adj = Adjacency.undirected(src, dst, nodes);
    checkBits(t, adj, counts, 8);
  }

  @Test
  void perGraphLapPeOfLargeGraphsTakesTheirDatasetSeed() {
    // Graphs above the dense limit run Lanczos from their dataset position's seed split; ids
    // and graph ids are sparse longs, and the rows arrive out of order.
    int[] sizes = {30, 150, 12, 260, 120};
    long[] graphIds = {7, 19, 23, 1000, 1_000_000_000_000L};
    SplittableRandom rng = new SplittableRandom(3);
    List<Row> nodes = new ArrayList<>();
    List<Row> edges = new ArrayList<>();
    List<Integer> s = new ArrayList<>();
    List<Integer> d = new ArrayList<>();
    int base = 0;
    for (int g = 0; g < sizes.length; g++) {
      long idBase = (g + 1) * 10_000_000_000L;
      for (int i = 0; i < sizes[g]; i++) nodes.add(RowFactory.create(idBase + 3L * i, graphIds[g]));
      for (int e = 0; e < 3 * sizes[g]; e++) {
        int a = rng.nextInt(sizes[g]);
        int b = rng.nextInt(sizes[g]);
        edges.add(RowFactory.create(idBase + 3L * a, idBase + 3L * b, graphIds[g]));
        s.add(base + a);
        d.add(base + b);
      }
      base += sizes[g];
    }
    java.util.Collections.reverse(nodes);
    var nodeSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.GRAPH, DataTypes.LongType, false)));
    var edgeSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.SRC, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.DST, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.GRAPH, DataTypes.LongType, false)));
    GraphTables.Frames t = new GraphTables.Frames(spark.createDataFrame(nodes, nodeSchema),
        spark.createDataFrame(edges, edgeSchema), null);
    Adjacency adj = Adjacency.undirected(s.stream().mapToInt(Integer::intValue).toArray(),
        d.stream().mapToInt(Integer::intValue).toArray(), base);
    checkBits(t, adj, sizes, 4);
  }

  /** Spark's per-graph LapPE and RWSE against one single-machine call over all graphs. */
  private static void checkBits(GraphTables.Frames t, Adjacency adj, int[] counts, int k) {
    LaplacianPe.Result lap = LaplacianPe.compute(adj, counts, k, LaplacianPe.Options.defaults(), ctx);
    float[] vectors = lap.vectors(ctx).data();
    float[] values = lap.valuesPerNode(ctx).data();
    List<Row> rows = GraphEncodings.compute(spark, t, GraphEncodings.Kind.LAPPE, k,
        RandomWalkPe.Options.defaults(), 1).orderBy(GraphTables.ID).collectAsList();
    assertEquals(adj.n(), rows.size());
    int node = 0;
    for (int g = 0; g < counts.length; g++) {
      for (int i = 0; i < counts[g]; i++, node++) {
        Row r = rows.get(node);
        assertBits(vectors, node * k, r.getList(2), "lap of node " + node);
        assertBits(values, node * k, r.getList(3), "lap_values of node " + node);
        assertEquals(lap.valid()[g], r.getInt(4));
      }
    }
    float[] rwse = RandomWalkPe.compute(adj, counts, 2 * k, RandomWalkPe.Options.defaults(), ctx)
        .tensor(ctx).data();
    rows = GraphEncodings.compute(spark, t, GraphEncodings.Kind.RWSE, 2 * k,
        RandomWalkPe.Options.defaults(), 1).orderBy(GraphTables.ID).collectAsList();
    for (int i = 0; i < adj.n(); i++) assertBits(rwse, i * 2 * k, rows.get(i).getList(2), "rwse of node " + i);
  }

  private static void assertBits(float[] want, int from, List<?> got, String what) {
    for (int j = 0; j < got.size(); j++) {
      assertEquals(Float.floatToRawIntBits(want[from + j]), Float.floatToRawIntBits((Float) got.get(j)),
          what + ", slot " + j + ": " + got.get(j) + " vs " + want[from + j]);
    }
  }

  @Test
  void jobWritesParquetAndRefusesToOverwrite(@TempDir Path dir) {
    String out = dir.resolve("deg").toString();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    String[] args = {"--data", "karate", "--out", out, "--what", "degrees", "--master", "local[2]"};
    assertEquals(0, PrecomputeJob.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), e));
    assertTrue(o.toString(StandardCharsets.UTF_8).contains("\"rows\":34"), o.toString(StandardCharsets.UTF_8));
    assertEquals(34, spark.read().parquet(out).count());
    var again = assertThrows(IllegalArgumentException.class, () -> PrecomputeJob.run(args, System.out, e));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
  }

  @Test
  void danglingEdgeIsNamedByTableColumnAndRow(@TempDir Path dir) {
    NodeDataset karate = Datasets.node("karate");
    GraphTables.Frames t = GraphTables.of(spark, karate);
    Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create(3L, 77L)), t.edges().schema());
    GraphTables.write(new GraphTables.Frames(t.nodes(), t.edges().unionAll(bad), null), dir.resolve("g").toString());
    String[] args = {"--data", dir.resolve("g").toString(), "--out", dir.resolve("o").toString(),
        "--what", "sign", "--master", "local[2]"};
    var ex = assertThrows(IllegalArgumentException.class, () -> PrecomputeJob.run(args, System.out, System.err));
    assertEquals(dir.resolve("g") + "/edges: column dst in the row (src=3, dst=77) names node 77, which "
        + dir.resolve("g") + "/nodes does not have", ex.getMessage());
  }
}
