package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.model.GraphModel;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.PredictionCsv;
import org.gnn4j.train.TrainCheckpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer-wise inference on Spark against {@link GraphModel}'s forward on one machine, for every
 * layer kind the job runs, on Cora and on a random graph of 10,000 nodes with arbitrary long ids,
 * self-loops, duplicate edges, isolated nodes and edge features; the job's CSV against predict's;
 * bad input. Models are randomly initialised with every parameter (biases, norm statistics)
 * perturbed, so no term of a layer can be dropped unnoticed.
 */
class LayerwiseInferenceTest {
  static InferenceHarness h;

  @BeforeAll
  static void start() {
    h = new InferenceHarness(7, false);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void gcnOnCora() {
    h.onCora("layer: gcn, layers: 2, hidden: 16, head: {type: conv}");
  }

  @Test
  void sageOnCoraWithEncoderBatchNormAndMlpHead() {
    h.onCora("layer: sage, layers: 2, hidden: 16, encoder: {node: linear}, norm: batch, residual: true,"
        + " activation: elu");
  }

  @Test
  void graphConvOnCora() {
    h.onCora("layer: graphconv, layers: 2, hidden: 16, head: {type: conv}, norm: layer");
  }

  @Test
  void ginOnCora() {
    h.onCora("layer: gin, layers: 2, hidden: 16, encoder: {node: linear}, head: {type: conv}, activation: gelu");
  }

  @Test
  void resGatedOnCora() {
    h.onCora("layer: resgated, layers: 2, hidden: 16, head: {type: conv}");
  }

  @Test
  void rgcnWithBasesOnCoraWithRelations() {
    // 1433 -> 16 -> 7: both layers project the sources by every W_r before the shuffle
    h.onCora("layer: rgcn, layers: 2, hidden: 16, num_bases: 2, head: {type: conv}");
  }

  @Test
  void rgcnWithBlocksOnRandomGraph() {
    // 8 -> 8 keeps the sources' rows and multiplies [means | x] at the target, as the layer does
    h.onRandomGraph("layer: rgcn, layers: 2, hidden: 8, num_blocks: 2, residual: true", false,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void rgcnOnRandomGraphEmbeddings() {
    h.onRandomGraph("layer: rgcn, layers: 2, hidden: 16, encoder: {node: linear}, head: {type: conv}", false,
        LayerwiseInference.Output.EMBEDDINGS);
  }

  @Test
  void gcnOnRandomGraphWithResidualsAndEmbeddings() {
    h.onRandomGraph("layer: gcn, layers: 3, hidden: 8, encoder: {node: linear}, residual: true, norm: batch",
        false, LayerwiseInference.Output.EMBEDDINGS);
  }

  @Test
  void sageOnRandomGraph() {
    h.onRandomGraph("layer: sage, layers: 2, hidden: 16, head: {type: conv}", false,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void graphConvOnRandomGraph() {
    h.onRandomGraph("layer: graphconv, layers: 2, hidden: 4, head: {type: conv}", false,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void ginOnRandomGraph() {
    h.onRandomGraph("layer: gin, layers: 2, hidden: 8, residual: true", false, LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void gineOnRandomGraphWithEdgeEncoder() {
    h.onRandomGraph("layer: gine, layers: 2, hidden: 8, encoder: {node: linear, edge: linear}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void gineOnRandomGraphWithRawEdgeFeatures() {
    h.onRandomGraph("layer: gine, layers: 2, hidden: 8, head: {type: conv}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void resGatedOnRandomGraphWithEdgeFeatures() {
    h.onRandomGraph("layer: resgated, layers: 2, hidden: 8, head: {type: conv}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  private static Path coraCheckpoint(Path dir, String name, String model) {
    String yaml = "dataset: {name: cora, normalize_features: true}\nmodel: {" + model + "}\ntrain: {seed: 5}\n";
    ConfigNode cfg = ConfigNode.parse(yaml, "test");
    Experiment exp = Experiment.of(cfg);
    GraphModel m = (GraphModel) exp.run(h.ctx, null, 5).model();
    InferenceHarness.perturb(m, new SplittableRandom(9));
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
    NodeClassificationTask task = (NodeClassificationTask) exp.task(h.ctx, null);   // predict without --data
    String want = PredictionCsv.nodes(task.predict(TrainCheckpoints.loadGraphModel(ckpt, h.ctx)));
    assertEquals(want, Files.readString(out.resolve(InferJob.CSV), StandardCharsets.UTF_8));

    // the same graph as Parquet tables, ids and all, gives the same file
    GraphTables.write(InferJob.frames(h.spark, task.input()), dir.resolve("tables").toString());
    Path fromTables = dir.resolve("out2");
    assertEquals(0, job(new PrintStream(new ByteArrayOutputStream()), "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("tables").toString(), "--out", fromTables.toString(), "--format", "csv"));
    assertEquals(want, Files.readString(fromTables.resolve(InferJob.CSV), StandardCharsets.UTF_8));
  }

  /** Cora in gnn4j's plain format with edge relations (edge_type.tsv.gz), as a user would write it. */
  private static Path coraWithRelations(Path dir) throws Exception {
    Path d = Files.createDirectories(dir.resolve("cora-rel"));
    for (String f : List.of("edge_index.tsv.gz", "x_sparse.tsv.gz", "y.tsv.gz", "train.txt", "val.txt", "test.txt")) {
      try (var in = NodeDataset.class.getResourceAsStream("/org/gnn4j/data/cora/" + f)) {
        Files.write(d.resolve(f), in.readAllBytes());
      }
    }
    StringBuilder types = new StringBuilder();
    for (int r : InferenceHarness.coraRelations(h.cora.edges())) types.append(r).append('\n');
    try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(d.resolve("edge_type.tsv.gz")))) {
      o.write(types.toString().getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(d.resolve("meta.json"), "{\"num_nodes\": 2708, \"num_features\": 1433, \"num_classes\": 7,"
        + " \"num_relations\": " + InferenceHarness.CORA_RELATIONS + "}");
    return d;
  }

  @Test
  void rgcnCsvEqualsPredictsAndBadRelationIsOneLine(@TempDir Path dir) throws Exception {
    Path data = coraWithRelations(dir);
    String yaml = "dataset: {dir: " + data + ", normalize_features: true}\nmodel: {layer: rgcn, layers: 2,"
        + " hidden: 16, num_bases: 2, head: {type: conv}}\ntrain: {seed: 5}\n";
    ConfigNode cfg = ConfigNode.parse(yaml, "test");
    GraphModel m = (GraphModel) Experiment.of(cfg).run(h.ctx, null, 5).model();
    InferenceHarness.perturb(m, new SplittableRandom(9));
    Path ckpt = dir.resolve("rgcn.ckpt");
    TrainCheckpoints.saveModel(ckpt, m, cfg, Map.of());
    Experiment exp = Experiment.of(TrainCheckpoints.readConfig(ckpt));
    NodeClassificationTask task = (NodeClassificationTask) exp.task(h.ctx, null);
    String want = PredictionCsv.nodes(task.predict(TrainCheckpoints.loadGraphModel(ckpt, h.ctx)));
    Path out = dir.resolve("out");
    assertEquals(0, job(System.err, "--checkpoint", ckpt.toString(), "--data", data.toString(),
        "--out", out.toString(), "--format", "csv"));
    assertEquals(want, Files.readString(out.resolve(InferJob.CSV), StandardCharsets.UTF_8));

    // as Parquet tables (relation INT) read and checked by GraphTableReader: the same file
    GraphTables.Frames t = InferJob.frames(h.spark, task.input());
    GraphTables.write(t, dir.resolve("tables").toString());
    assertEquals(0, job(System.err, "--checkpoint", ckpt.toString(), "--data", dir.resolve("tables").toString(),
        "--out", dir.resolve("out2").toString(), "--format", "csv"));
    assertEquals(want, Files.readString(dir.resolve("out2").resolve(InferJob.CSV), StandardCharsets.UTF_8));

    var bad = t.edges().withColumn("relation", org.apache.spark.sql.functions.expr(
        "CASE WHEN src = 5 AND dst = " + h.cora.edges().dst()[firstEdgeFrom(5)] + " THEN 3 ELSE relation END"));
    GraphTables.write(new GraphTables.Frames(t.nodes(), bad, null), dir.resolve("bad").toString());
    var e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("bad").toString(), "--out", dir.resolve("o3").toString()));
    assertEquals("edges: row (src 5, dst " + h.cora.edges().dst()[firstEdgeFrom(5)] + "): column 'relation'"
        + " is 3, expected a relation id in [0, 3) (the model's rgcn layers tell 3 relations apart)", e.getMessage());
    GraphTables.write(new GraphTables.Frames(t.nodes(), t.edges().drop("relation"), null), dir.resolve("untyped").toString());
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("untyped").toString(), "--out", dir.resolve("o4").toString()));
    assertTrue(e.getMessage().startsWith("edges: column 'relation' is missing"), e.getMessage());
  }

  private static int firstEdgeFrom(int node) {
    int best = -1;
    for (int k = 0; k < h.cora.edges().numEdges(); k++) {
      if (h.cora.edges().src()[k] == node && (best < 0 || h.cora.edges().dst()[k] < h.cora.edges().dst()[best])) best = k;
    }
    return best;
  }

  @Test
  void namesInconsistentKeysOfParquetTables(@TempDir Path dir) throws Exception {
    Path ckpt = coraCheckpoint(dir, "sage", "layer: sage, layers: 1, hidden: 8, head: {type: conv}");
    Experiment exp = Experiment.of(TrainCheckpoints.readConfig(ckpt));
    GraphTables.Frames cora = InferJob.frames(h.spark, ((NodeClassificationTask) exp.task(h.ctx, null)).input());
    var loose = h.spark.createDataFrame(List.of(RowFactory.create(5L, 999_999L)), cora.edges().schema());
    GraphTables.write(new GraphTables.Frames(cora.nodes(), cora.edges().union(loose), null),
        dir.resolve("loose").toString());
    // the block engine defers the reader's key checks to its own pass, which must still name the row
    var e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("loose").toString(), "--out", dir.resolve("o1").toString()));
    assertEquals(dir.resolve("loose") + "/edges: column dst in the row (src=5, dst=999999) names node 999999,"
        + " which " + dir.resolve("loose") + "/nodes does not have", e.getMessage());
    // embeddings of a one-layer model with a conv head run no layer: the degree pass must find it
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("loose").toString(), "--out", dir.resolve("o3").toString(), "--output", "embeddings"));
    assertEquals(dir.resolve("loose") + "/edges: column dst in the row (src=5, dst=999999) names node 999999,"
        + " which " + dir.resolve("loose") + "/nodes does not have", e.getMessage());
    GraphTables.write(new GraphTables.Frames(cora.nodes().union(cora.nodes().where("id = 7")), cora.edges(), null),
        dir.resolve("twice").toString());
    e = assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve("twice").toString(), "--out", dir.resolve("o2").toString()));
    assertEquals(dir.resolve("twice") + "/nodes: column id: node id 7 appears in 2 rows (expected once)", e.getMessage());
  }

  @Test
  void namesABadRowTheEngineMetInParquetTables(@TempDir Path dir) throws Exception {
    // the reader's row checks are deferred too: the engine's failure must still become one line
    Path ckpt = coraCheckpoint(dir, "sage1", "layer: sage, layers: 1, hidden: 8, head: {type: conv}");
    Experiment exp = Experiment.of(TrainCheckpoints.readConfig(ckpt));
    GraphTables.Frames cora = InferJob.frames(h.spark, ((NodeClassificationTask) exp.task(h.ctx, null)).input());
    assertEquals(dir.resolve("short") + "/nodes: column features in the row with id 40 has 3 floats, expected 1433"
        + " (as the node with the smallest id)",
        badNodesMessage(dir, "short", ckpt, cora, "IF(id = 40, slice(features, 1, 3), features)"));
    // nulls, which the engine meets in the Parquet reader's column batches
    assertEquals(dir.resolve("nullvalue") + "/nodes: column features in the row with id 41 holds a null element",
        badNodesMessage(dir, "nullvalue", ckpt, cora,
            "IF(id = 41, transform(features, (x, i) -> IF(i = 2, CAST(NULL AS FLOAT), x)), features)"));
    assertEquals(dir.resolve("nullrow") + "/nodes: column features is null in the row with id 42 (expected 1433 floats)",
        badNodesMessage(dir, "nullrow", ckpt, cora, "IF(id = 42, CAST(NULL AS ARRAY<FLOAT>), features)"));
  }

  /**
   * The one-line failure of {@code spark infer} on Cora's tables written under {@code dir/name}
   * with the node features replaced by {@code features} (an SQL expression).
   */
  private static String badNodesMessage(Path dir, String name, Path ckpt, GraphTables.Frames cora, String features) {
    var nodes = cora.nodes().withColumn("features", org.apache.spark.sql.functions.expr(features));
    GraphTables.write(new GraphTables.Frames(nodes, cora.edges(), null), dir.resolve(name).toString());
    return assertThrows(IllegalArgumentException.class, () -> job(System.err, "--checkpoint", ckpt.toString(),
        "--data", dir.resolve(name).toString(), "--out", dir.resolve(name + "-out").toString())).getMessage();
  }

  @Test
  void readsPlainParquetScansInColumnBatches(@TempDir Path dir) {
    String t = dir.resolve("t").toString();
    h.spark.range(0, 1000).selectExpr("id AS src", "id * 7 AS dst", "CAST(id AS INT) AS small")
        .repartition(3).write().parquet(t);
    var table = h.spark.read().parquet(t);
    var batches = ColumnarScan.batches(table.select("src", "dst"));
    assertTrue(batches != null, "a plain scan of two long columns");
    long[] sums = batches.map(b -> {
      long s = 0;
      long d = 0;
      for (int i = 0; i < b.numRows(); i++) {
        s += b.column(0).getLong(i);
        d += b.column(1).getLong(i);
      }
      return new long[] {s, d, b.numRows()};
    }).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
    assertEquals(999L * 1000 / 2, sums[0]);
    assertEquals(7 * 999L * 1000 / 2, sums[1]);
    assertEquals(1000, sums[2]);
    // anything between the reader and the rows: the caller reads rows
    assertEquals(null, ColumnarScan.batches(table.selectExpr("CAST(small AS BIGINT)", "dst")));
    assertEquals(null, ColumnarScan.batches(table.select("src", "dst").where("src > 5")));
    assertEquals(null, ColumnarScan.batches(h.spark.range(0, 10).selectExpr("id AS src", "id AS dst")));
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

    GraphModel m = h.model("layer: sage, layers: 1, hidden: 4, head: {type: conv}",
        new GraphModel.DataShape(3, 0, 0, 0, 2, false), 1);
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    StructType ns = DataTypes.createStructType(List.of(DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("features", floats, false)));
    StructType es = DataTypes.createStructType(List.of(DataTypes.createStructField("src", DataTypes.LongType, false),
        DataTypes.createStructField("dst", DataTypes.LongType, false)));
    var nodes = h.spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3}),
        RowFactory.create(20L, new float[] {1, 2})), ns);
    var edges = h.spark.createDataFrame(List.of(RowFactory.create(10L, 20L)), es);
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(nodes, edges, 3, 0));
    assertEquals("nodes: row (id 20): column 'features' has 2 values, the model reads 3 node features", e.getMessage());
    var nullFeatures = h.spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3}),
        RowFactory.create(30L, null)), DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("features", floats, true))));
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(nullFeatures, edges, 3, 0));
    assertEquals("nodes: row (id 30): column 'features' is null, the model reads 3 node features", e.getMessage());
    var good = h.spark.createDataFrame(List.of(RowFactory.create(10L, new float[] {1, 2, 3})), ns);
    e = assertThrows(IllegalArgumentException.class, () -> InferTables.check(good.drop("features"), edges, 3, 0));
    assertTrue(e.getMessage().startsWith("nodes: column 'features' is missing"), e.getMessage());
    assertEquals(1, ModelPlan.of(m).layers().size());
  }
}
