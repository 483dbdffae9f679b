package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.PredictionCsv;
import org.gnn4j.train.TrainCheckpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Layer-wise inference on Spark against {@link GraphModel}'s forward on one machine, for every
 * layer kind the job runs, on Cora and on a random graph of 10,000 nodes with arbitrary long ids,
 * self-loops, duplicate edges, isolated nodes and edge features; the job's CSV against predict's;
 * bad input. Models are randomly initialised with every parameter (biases, norm statistics)
 * perturbed, so no term of a layer can be dropped unnoticed.
 */
class LayerwiseInferenceTest {
  static SparkSession spark;
  static Context ctx;
  static NodeDataset cora;
  static RandomGraph big;
  static GraphTables.Frames coraFrames;   // cached once: each test's Spark run starts from them
  static GraphTables.Frames bigFrames;

  /** The random graph: ids[i] is node i's table id. */
  record RandomGraph(long[] ids, float[] x, int f, int[] src, int[] dst, float[] e, int d) {}

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
    ctx = Context.builder().threads(1).seed(1).build();
    cora = Datasets.node("cora");
    big = randomGraph(10_000, 40_000, 8, 4, new SplittableRandom(7));
    coraFrames = cached(InferJob.frames(spark, ModelInput.of(ctx.tensor(cora.x(), cora.numNodes(),
        cora.numFeatures()), Graph.of(cora.edges()))));
    bigFrames = cached(bigTables());
  }

  private static GraphTables.Frames cached(GraphTables.Frames t) {
    return new GraphTables.Frames(t.nodes().cache(), t.edges().cache(), null);
  }

  @AfterAll
  static void stop() {
    spark.stop();
    ctx.close();
  }

  private static RandomGraph randomGraph(int n, int m, int f, int d, SplittableRandom rng) {
    long[] ids = new long[n];
    java.util.Set<Long> used = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      long id;
      do {
        id = rng.nextLong();
      } while (!used.add(id));
      ids[i] = id;
    }
    float[] x = new float[n * f];
    for (int k = 0; k < x.length; k++) x[k] = (float) rng.nextGaussian();
    int[] src = new int[m];
    int[] dst = new int[m];
    int live = n - 100;               // the last 100 nodes have no edges at all
    for (int k = 0; k < m; k++) {
      // a few hubs get many in-edges; every 50th edge is a self-loop, every 70th repeats the last
      src[k] = rng.nextInt(live);
      dst[k] = k % 3 == 0 ? rng.nextInt(20) : rng.nextInt(live);
      if (k % 50 == 0) dst[k] = src[k];
      if (k % 70 == 1) {
        src[k] = src[k - 1];
        dst[k] = dst[k - 1];
      }
    }
    float[] e = new float[m * d];
    for (int k = 0; k < e.length; k++) e[k] = (float) rng.nextGaussian();
    return new RandomGraph(ids, x, f, src, dst, e, d);
  }

  private static GraphModel model(String yaml, GraphModel.DataShape shape, long seed) {
    ModelSpec spec = ModelSpec.from(ConfigNode.parse(yaml, "test").section("model"));
    GraphModel m = new GraphModel(ctx, spec, shape, new SplittableRandom(seed));
    perturb(m, new SplittableRandom(seed + 1));
    m.train(false);
    return m;
  }

  private static void perturb(GraphModel m, SplittableRandom rng) {
    for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
      float[] v = p.getValue().data();
      boolean variance = p.getKey().endsWith("running_var");
      for (int k = 0; k < v.length; k++) {
        v[k] = variance ? 0.5f + (float) rng.nextDouble() : v[k] + 0.1f * (float) rng.nextGaussian();
      }
    }
  }

  private static Map<Long, float[]> spark(GraphModel m, GraphTables.Frames t, LayerwiseInference.Output out) {
    ModelPlan plan = ModelPlan.of(m);
    Map<Long, float[]> rows = new java.util.HashMap<>();
    for (Tuple2<Long, float[]> r : LayerwiseInference.run(spark, plan, t.nodes(), t.edges(), out, 4, null).collect()) {
      rows.put(r._1(), r._2());
    }
    return rows;
  }

  /** max |spark - single| over max |single|: the error relative to the output's scale. */
  private static void assertClose(String what, Tensor want, long[] ids, Map<Long, float[]> got) {
    int n = want.dim(0);
    int w = want.dim(1);
    assertEquals(n, got.size(), what + ": rows");
    double scale = 0;
    for (float v : want.data()) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < n; i++) {
      float[] r = got.get(ids == null ? (long) i : ids[i]);
      assertEquals(w, r.length, what + ": width");
      for (int c = 0; c < w; c++) worst = Math.max(worst, Math.abs(r[c] - want.data()[i * w + c]));
    }
    assertTrue(scale > 0, what + ": all-zero output");
    assertTrue(worst <= 1e-5 * scale, what + ": max diff " + worst + " at scale " + scale);
  }

  private static void onCora(String model) {
    GraphModel m = model("model: {" + model + "}", new GraphModel.DataShape(cora.numFeatures(), 0, 0, 0,
        cora.numClasses(), false), 3);
    ModelInput in = ModelInput.of(ctx.tensor(cora.x(), cora.numNodes(), cora.numFeatures()), Graph.of(cora.edges()));
    Tensor want;
    try (var g = ctx.noGrad()) {
      want = m.forward(in);
    }
    assertClose("cora " + model, want, null, spark(m, coraFrames, LayerwiseInference.Output.PREDICTIONS));
  }

  private static GraphTables.Frames bigTables() {
    RandomGraph g = big;
    List<Row> nodes = new ArrayList<>();
    for (int i = 0; i < g.ids().length; i++) nodes.add(RowFactory.create(g.ids()[i], Blocks.row(g.x(), i, g.f())));
    List<Row> edges = new ArrayList<>();
    for (int k = 0; k < g.src().length; k++) {
      edges.add(RowFactory.create(g.ids()[g.src()[k]], g.ids()[g.dst()[k]], Blocks.row(g.e(), k, g.d())));
    }
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    StructType ns = DataTypes.createStructType(List.of(DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("features", floats, false)));
    StructType es = DataTypes.createStructType(List.of(DataTypes.createStructField("src", DataTypes.LongType, false),
        DataTypes.createStructField("dst", DataTypes.LongType, false), DataTypes.createStructField("features", floats, false)));
    return new GraphTables.Frames(spark.createDataFrame(nodes, ns), spark.createDataFrame(edges, es), null);
  }

  private static void onRandomGraph(String model, boolean edgeFeatures, LayerwiseInference.Output out) {
    RandomGraph g = big;
    int n = g.ids().length;
    GraphModel m = model("model: {" + model + "}", new GraphModel.DataShape(g.f(), 0, edgeFeatures ? g.d() : 0, 0,
        5, false), 11);
    ModelInput in = new ModelInput(ctx.tensor(g.x(), n, g.f()), null, Graph.of(EdgeIndex.of(g.src(), g.dst(), n)),
        edgeFeatures ? ctx.tensor(g.e(), g.src().length, g.d()) : null, null, null);
    Tensor want;
    try (var s = ctx.noGrad()) {
      want = out == LayerwiseInference.Output.PREDICTIONS ? m.forward(in) : m.representations(in);
    }
    assertClose("random graph " + model, want, g.ids(), spark(m, bigFrames, out));
  }

  @Test
  void gcnOnCora() {
    onCora("layer: gcn, layers: 2, hidden: 16, head: {type: conv}");
  }

  @Test
  void sageOnCoraWithEncoderBatchNormAndMlpHead() {
    onCora("layer: sage, layers: 2, hidden: 16, encoder: {node: linear}, norm: batch, residual: true,"
        + " activation: elu");
  }

  @Test
  void graphConvOnCora() {
    onCora("layer: graphconv, layers: 2, hidden: 16, head: {type: conv}, norm: layer");
  }

  @Test
  void ginOnCora() {
    onCora("layer: gin, layers: 2, hidden: 16, encoder: {node: linear}, head: {type: conv}, activation: gelu");
  }

  @Test
  void resGatedOnCora() {
    onCora("layer: resgated, layers: 2, hidden: 16, head: {type: conv}");
  }

  @Test
  void gcnOnRandomGraphWithResidualsAndEmbeddings() {
    onRandomGraph("layer: gcn, layers: 3, hidden: 8, encoder: {node: linear}, residual: true, norm: batch",
        false, LayerwiseInference.Output.EMBEDDINGS);
  }

  @Test
  void sageOnRandomGraph() {
    onRandomGraph("layer: sage, layers: 2, hidden: 16, head: {type: conv}", false,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void graphConvOnRandomGraph() {
    onRandomGraph("layer: graphconv, layers: 2, hidden: 4, head: {type: conv}", false,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void ginOnRandomGraph() {
    onRandomGraph("layer: gin, layers: 2, hidden: 8, residual: true", false, LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void gineOnRandomGraphWithEdgeEncoder() {
    onRandomGraph("layer: gine, layers: 2, hidden: 8, encoder: {node: linear, edge: linear}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void gineOnRandomGraphWithRawEdgeFeatures() {
    onRandomGraph("layer: gine, layers: 2, hidden: 8, head: {type: conv}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void resGatedOnRandomGraphWithEdgeFeatures() {
    onRandomGraph("layer: resgated, layers: 2, hidden: 8, head: {type: conv}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  private static Path coraCheckpoint(Path dir, String name, String model) {
    String yaml = "dataset: {name: cora, normalize_features: true}\nmodel: {" + model + "}\ntrain: {seed: 5}\n";
    ConfigNode cfg = ConfigNode.parse(yaml, "test");
    Experiment exp = Experiment.of(cfg);
    GraphModel m = (GraphModel) exp.run(ctx, null, 5).model();
    perturb(m, new SplittableRandom(9));
    Path file = dir.resolve(name + ".ckpt");
    TrainCheckpoints.saveModel(file, m, cfg, Map.of());
    return file;
  }

  private static int job(PrintStream err, String... args) {
    return InferJob.run(args, new PrintStream(new ByteArrayOutputStream()), err);
  }

  @Test
  void csvEqualsPredictsCsv(@TempDir Path dir) throws Exception {
    Path ckpt = coraCheckpoint(dir, "gcn", "layer: gcn, layers: 2, hidden: 16, head: {type: conv}");
    Path out = dir.resolve("out");
    assertEquals(0, job(new PrintStream(new ByteArrayOutputStream()), "--checkpoint", ckpt.toString(),
        "--data", "cora", "--out", out.toString(), "--format", "csv", "--partitions", "4"));
    // what gnn4j predict --checkpoint FILE --out CSV writes: the checkpoint's task, PredictionCsv's text
    Experiment exp = Experiment.of(TrainCheckpoints.readConfig(ckpt));
    NodeClassificationTask task = (NodeClassificationTask) exp.task(ctx, null);   // predict without --data
    String want = PredictionCsv.nodes(task.predict(TrainCheckpoints.loadGraphModel(ckpt, ctx)));
    assertEquals(want, Files.readString(out.resolve(InferJob.CSV), StandardCharsets.UTF_8));

    // the same graph as Parquet tables, ids and all, gives the same file
    GraphTables.write(InferJob.frames(spark, task.input()), dir.resolve("tables").toString());
    Path fromTables = dir.resolve("out2");
    assertEquals(0, job(new PrintStream(new ByteArrayOutputStream()), "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("tables").toString(), "--out", fromTables.toString(), "--format", "csv"));
    assertEquals(want, Files.readString(fromTables.resolve(InferJob.CSV), StandardCharsets.UTF_8));
  }

  @Test
  void refusesWhatItCannotRun(@TempDir Path dir) {
    Path gps = coraCheckpoint(dir, "gps", "layer: gps_gin, layers: 1, hidden: 8, heads: 2, encoder: {node: linear}");
    var e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", gps.toString(),
        "--data", "cora", "--out", dir.resolve("o").toString()));
    assertTrue(e.getMessage().startsWith("spark infer: layer 'gps_gin' with exact global attention is not"
        + " supported: it attends every node to every node, N^2 over a whole graph"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", gps.toString(),
        "--data", "cora", "--out", dir.resolve("o").toString(), "--format", "json"));
    assertEquals("spark infer: --format is parquet or csv (got 'json')", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", "missing.ckpt",
        "--data", "cora", "--out", dir.resolve("o").toString()));
    assertEquals("spark infer: --checkpoint missing.ckpt does not exist", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", gps.toString(),
        "--data", "cora", "--out", dir.resolve("o").toString(), "--output", "embeddings", "--format", "csv"));
    assertTrue(e.getMessage().contains("write embeddings as parquet"), e.getMessage());

    GraphModel m = model("model: {layer: sage, layers: 1, hidden: 4, head: {type: conv}}",
        new GraphModel.DataShape(3, 0, 0, 0, 2, false), 1);
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    StructType ns = DataTypes.createStructType(List.of(DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("features", floats, false)));
    StructType es = DataTypes.createStructType(List.of(DataTypes.createStructField("src", DataTypes.LongType, false),
        DataTypes.createStructField("dst", DataTypes.LongType, false)));
    var nodes = spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3}),
        RowFactory.create(20L, new float[] {1, 2})), ns);
    var edges = spark.createDataFrame(List.of(RowFactory.create(10L, 20L)), es);
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(nodes, edges, 3, 0));
    assertEquals("nodes: row (id 20): column 'features' has 2 values, the model reads 3 node features", e.getMessage());
    var nullFeatures = spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3}),
        RowFactory.create(30L, null)), DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("features", floats, true))));
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(nullFeatures, edges, 3, 0));
    assertEquals("nodes: row (id 30): column 'features' is null, the model reads 3 node features", e.getMessage());
    var good = spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3})), ns);
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(good.drop("features"), edges, 3, 0));
    assertTrue(e.getMessage().startsWith("nodes: column 'features' is missing"), e.getMessage());
    assertEquals(1, ModelPlan.of(m).layers().size());
  }
}
