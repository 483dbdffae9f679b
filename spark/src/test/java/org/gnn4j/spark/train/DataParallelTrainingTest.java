package org.gnn4j.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.TrainCheckpoints;
import org.gnn4j.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel training in Spark local[2]: the step's gradient, determinism, accuracy, failures. */
class DataParallelTrainingTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String config(String layer, double dropout, int epochs, int batch, String fanouts, long seed) {
    return """
        dataset: {name: cora, normalize_features: true}
        model: {layer: %s, layers: 2, hidden: 32, dropout: %s, head: {type: conv}}
        optim: {name: adam, lr: 0.01, weight_decay: 5.0e-4}
        train: {epochs: %d, batch_size: %d, fanouts: %s, seed: %d}
        """.formatted(layer, dropout, epochs, batch, fanouts, seed);
  }

  record Setup(Experiment exp, NodeClassificationTask task, TrainingGraph graph, String json) {}

  static Setup setup(Context ctx, String yaml) {
    ConfigNode cfg = ConfigNode.parse(yaml, "test config");
    Experiment exp = TrainJob.checkedExperiment(cfg);
    NodeClassificationTask task = (NodeClassificationTask) exp.task(ctx, null);
    return new Setup(exp, task, TrainingGraph.of(task.data(), task.input().pe()), cfg.toJson());
  }

  static TrainOutput train(Setup s, TrainPlan plan) {
    return DataParallelTraining.run(spark, plan, s.graph());
  }

  @Test
  void averagedGradientOfAStepEqualsTheGradientOnTheConcatenatedBatch() {
    // All neighbours (-1) and no dropout: a target's output on its sampled subgraph is its exact
    // output (SAGE reads in-neighbours only), so the two shards' shares must add up to the
    // gradient of the mean loss over the 45 nodes on one machine. 45 over 2 tasks: shards of 22
    // and 23, so the (k / B) weighting is checked too.
    try (Context ctx = Context.builder().threads(1).seed(5).build()) {
      Setup s = setup(ctx, config("sage", 0.0, 1, 45, "[-1, -1]", 5));
      TrainPlan plan = new TrainPlan(s.json(), 2, 30_000, 11, true, -1, -1);
      float[] got = train(s, plan).firstGradient();

      GraphModel model = s.exp().buildModel(ctx, s.task(), 5);
      List<Tensor> params = s.exp().optimizer(model).params();
      int[] batch = Arrays.copyOf(Replica.epochOrder(s.graph().train(), 5, 1), 45);
      NeighborSampler.Subgraph sg = new NeighborSampler(s.task().data().edges(), new int[] {-1, -1})
          .sample(batch, new SplittableRandom(0));
      int f = s.graph().numFeatures();
      Tensor x = ctx.tensor(sg.gatherRows(s.graph().x(), f), sg.nodes().length, f);
      Tensor logits = model.forward(ModelInput.of(x, Graph.of(sg.edges())));
      int[] labels = new int[sg.nodes().length];
      System.arraycopy(sg.targetLabels(s.graph().y()), 0, labels, 0, 45);
      int[] rows = new int[45];
      for (int i = 0; i < 45; i++) rows[i] = i;
      Tensor loss = CrossEntropy.apply(logits, labels, rows);
      loss.backward();

      int off = 0;
      double diff2 = 0;
      double ref2 = 0;
      for (int p = 0; p < params.size(); p++) {
        float[] want = params.get(p).gradArray();
        for (int i = 0; i < want.length; i++, off++) {
          double d = got[off] - want[i];
          diff2 += d * d;
          ref2 += (double) want[i] * want[i];
          assertTrue(Math.abs(d) <= 1e-5 * Math.abs(want[i]) + 1e-8,
              "parameter " + p + "[" + i + "]: " + got[off] + " vs " + want[i] + " (seed 5)");
        }
        assertEquals(2f, got[got.length - 1 - params.size() + p], "both tasks reached parameter " + p);
      }
      assertTrue(Math.sqrt(diff2 / ref2) <= 1e-5, "relative error " + Math.sqrt(diff2 / ref2));
      assertEquals(loss.item(), got[got.length - 1], 1e-6 * Math.abs(loss.item()), "mean loss over the 45 nodes");
    }
  }

  @Test
  void twoRunsWithTheSameSeedGiveBitIdenticalModels() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Setup s = setup(ctx, config("sage", 0.5, 2, 64, "[10, 5]", 1));
      TrainOutput a = train(s, TrainPlan.of(s.json(), 2, 30_000, 1));
      TrainOutput b = train(s, TrainPlan.of(s.json(), 2, 30_000, 2));
      assertEquals(6, a.steps());   // 140 training nodes: batches of 64, 64, 12, twice
      assertArrayEquals(a.names(), b.names());
      for (int i = 0; i < a.names().length; i++) {
        assertTrue(Arrays.equals(a.values()[i], b.values()[i]), a.names()[i] + " differs between two runs of seed 1");
      }
      assertArrayEquals(a.epochLoss(), b.epochLoss());
      Setup other = setup(ctx, config("sage", 0.5, 1, 64, "[10, 5]", 2));
      TrainOutput c = train(other, TrainPlan.of(other.json(), 2, 30_000, 3));
      assertFalse(Arrays.equals(a.values()[0], c.values()[0]), "seed 2 should train other weights");
    }
  }

  @Test
  void coraWithTwoTasksReachesSingleMachineAccuracy(@TempDir Path dir) throws Exception {
    Path cfgFile = dir.resolve("cora-sage.yaml");
    Files.writeString(cfgFile, config("sage", 0.5, 30, 32, "[10, 5]", 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TrainJob.run(new String[] {"--config", cfgFile.toString(), "--data", "cora",
        "--out", dir.resolve("run").toString(), "--workers", "2", "--master", "local[2]"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    Map<String, Object> line = parseJson(out.toString(StandardCharsets.UTF_8).trim());
    double sparkAcc = ((Number) line.get("test_accuracy")).doubleValue();

    // the checkpoint is what gnn4j eval / predict read: it reloads and scores the same
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      GraphModel m = TrainCheckpoints.loadGraphModel(dir.resolve("run/model.ckpt"), ctx);
      NodeClassificationTask t = setup(ctx, Files.readString(cfgFile)).task();
      assertEquals(sparkAcc, t.evaluate(m, "test").get("accuracy"), 1e-12);

      // one machine, the same config and epochs (gnn4j train's loop, which keeps the best-validation epoch)
      Setup s = setup(ctx, Files.readString(cfgFile));
      GraphModel single = s.exp().buildModel(ctx, s.task(), 0);
      Trainer.Result r = new Trainer(single, s.task(), s.exp().optimizer(single), 0, Trainer.Options.of(30)).fit();
      double singleAcc = r.metrics().get("test_accuracy");
      assertTrue(sparkAcc >= 0.70, "W=2 test accuracy " + sparkAcc);
      assertTrue(sparkAcc >= singleAcc - 0.04, "W=2 test accuracy " + sparkAcc + " vs one machine " + singleAcc);
    }
  }

  @Test
  void aTaskThatDiesFailsTheJobInOneLineWithinTheTimeout() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Setup s = setup(ctx, config("sage", 0.5, 3, 32, "[10, 5]", 1));
      long t0 = System.nanoTime();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> train(s, new TrainPlan(s.json(), 2, 20_000, 4, false, 1, 3)));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds < 20, "took " + seconds + " s");
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertTrue(e.getMessage().startsWith("spark train: the training stage failed: "), e.getMessage());
      assertTrue(e.getMessage().contains("task 1 failed at step 3") || e.getMessage().contains("lost rank 1"),
          e.getMessage());
    }
    // the session survives for the next job
    assertEquals(3, org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1, 2, 3), 2).count());
  }

  @Test
  void refusesMoreTasksThanTheClusterHasSlots() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Setup s = setup(ctx, config("sage", 0.5, 1, 32, "[10, 5]", 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> train(s, TrainPlan.of(s.json(), 3, 30_000, 5)));
      assertEquals("spark train: --workers 3 needs 3 task slots at once (a barrier stage starts all its tasks"
          + " together), and the cluster has 2 (2 cores / spark.task.cpus = 1); use --workers <= 2", e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parseJson(String json) {
    return (Map<String, Object>) org.gnn4j.io.Json.parse(json, "spark train output");
  }
}
