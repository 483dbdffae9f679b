package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  private static Map<?, ?> lastJson(CliRun r) {
    List<String> lines = r.out().lines().toList();
    return (Map<?, ?>) Json.parse(lines.get(lines.size() - 1), "stdout");
  }

  @Test
  void trainThenEvalThenPredict(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "karate-gcn", "--epochs", "30", "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    Map<?, ?> m = lastJson(t);
    assertEquals(30L, m.get("epochs"));
    for (String f : new String[] {"model.ckpt", "checkpoint.ckpt", "metrics.jsonl", "curves.png"}) {
      assertTrue(Files.size(run.resolve(f)) > 0, f);
    }
    assertEquals(30, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    byte[] png = Files.readAllBytes(run.resolve("curves.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);

    CliRun e = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--threads", "1");
    assertEquals(0, e.code(), e.err());
    assertEquals(((Number) m.get("train_accuracy")).doubleValue(),
        ((Number) lastJson(e).get("train_accuracy")).doubleValue(), 1e-4);

    Path csv = tmp.resolve("pred.csv");
    CliRun p = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out", csv.toString());
    assertEquals(0, p.code(), p.err());
    List<String> rows = Files.readAllLines(csv);
    assertEquals("node,class", rows.get(0));
    assertEquals(35, rows.size());
  }

  @Test
  void heteroConfigTrainsAndItsCheckpointEvaluatesAndPredicts(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("hetero");
    CliRun t = CliRun.of("train", "--config", "user-item-sage", "--epochs", "5", "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    Map<?, ?> m = lastJson(t);
    assertEquals(5L, m.get("epochs"));
    CliRun e = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--threads", "1");
    assertEquals(0, e.code(), e.err());
    for (String k : new String[] {"train_accuracy", "val_accuracy", "test_accuracy", "test_loss"}) {
      assertEquals(((Number) m.get(k)).doubleValue(), ((Number) lastJson(e).get(k)).doubleValue(), 1e-4, k);
    }
    Path csv = tmp.resolve("users.csv");
    CliRun p = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out", csv.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals(121, Files.readAllLines(csv).size());
  }

  @Test
  void aHeteroModelOnAHomogeneousGraphIsOneLine(@TempDir Path tmp) throws Exception {
    Path cfg = tmp.resolve("mix.yaml");
    Files.writeString(cfg, "dataset: {name: karate}\nmodel:\n  layer: sage\n  hetero: {aggr: sum}\n");
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertTrue(err.startsWith("gnn4j: " + cfg + ":4: 'model.hetero': a heterogeneous model needs"), err);
    assertEquals(1, err.lines().count(), err);
  }

  @Test
  void epochsAndSeedApplyToAConfigWithoutATrainSection(@TempDir Path tmp) throws Exception {
    Path cfg = tmp.resolve("short.yaml");
    Files.writeString(cfg, "dataset: {name: karate}\nmodel: {layer: gcn, hidden: 4}\n");
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--epochs", "3", "--seed", "7",
        "--no-files", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> m = lastJson(r);
    assertEquals(3L, ((Number) m.get("epochs")).longValue());
    assertEquals(7L, ((Number) m.get("seed")).longValue());
  }

  @Test
  void aConfigThatNamesNoDatasetIsRefused(@TempDir Path tmp) throws Exception {
    for (String text : new String[] {"", "model: {layer: gcn}\n", "dataset: {normalize_features: true}\n"}) {
      Path cfg = tmp.resolve("nodata.yaml");
      Files.writeString(cfg, text);
      CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
      assertEquals(1, r.code(), text);
      assertTrue(r.err().strip().startsWith("gnn4j: " + cfg + ":"), r.err());
      assertTrue(r.err().contains("is missing: a config names its data"), r.err());
    }
  }

  @Test
  void evalAndPredictReadTheDataTheRunWasTrainedOnNotTheConfigsDataset(@TempDir Path tmp)
      throws Exception {
    // karate with another training split, so that results on it differ from the embedded one's
    Path dir = Files.createDirectories(tmp.resolve("my-karate"));
    for (String f : List.of("edge_index.tsv.gz", "y.tsv.gz")) {
      try (var in = TrainCommandTest.class.getResourceAsStream("/org/gnn4j/data/karate/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    Files.writeString(dir.resolve("meta.json"),
        "{\"kind\": \"node_classification\", \"num_nodes\": 34, \"num_classes\": 4}");
    Files.writeString(dir.resolve("train.txt"), "0\n1\n2\n4\n8\n9\n24\n25\n30\n33\n");
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "karate-gcn", "--data", dir.toString(), "--epochs",
        "10", "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    double trained = ((Number) lastJson(t).get("train_accuracy")).doubleValue();
    CliRun e = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--threads", "1");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.err().contains("evaluating on " + dir.toAbsolutePath().normalize()), e.err());
    assertEquals(trained, ((Number) lastJson(e).get("train_accuracy")).doubleValue(), 1e-9);
    CliRun p = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out",
        tmp.resolve("p.csv").toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.err().contains("predicting on " + dir.toAbsolutePath().normalize()), p.err());
    // the files change after training: evaluating "the data it was trained on" is refused
    Files.writeString(dir.resolve("train.txt"), "0\n1\n2\n");
    CliRun changed = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString());
    assertEquals(1, changed.code());
    assertTrue(changed.err().contains("'dataset.sha256': the files in "
        + dir.toAbsolutePath().normalize() + " changed since this was recorded"), changed.err());
    CliRun asked = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--data",
        dir.toString());
    assertEquals(0, asked.code(), asked.err());
  }

  @Test
  void nothingSavedIsReplacedUnasked(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "karate-gcn", "--epochs", "3", "--out", run.toString(),
        "--threads", "1");
    assertEquals(0, t.code(), t.err());
    byte[] model = Files.readAllBytes(run.resolve("model.ckpt"));
    CliRun again = CliRun.of("train", "--config", "karate-gcn", "--epochs", "3", "--out",
        run.toString(), "--threads", "1");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already holds a run (model.ckpt); continue it with --resume,"
        + " replace it with --force"), again.err());
    CliRun p = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out",
        run.resolve("model.ckpt").toString());
    assertEquals(1, p.code());
    assertTrue(p.err().contains("would overwrite an input"), p.err());
    assertArrayEquals(model, Files.readAllBytes(run.resolve("model.ckpt")));
    CliRun forced = CliRun.of("train", "--config", "karate-gcn", "--epochs", "3", "--out",
        run.toString(), "--threads", "1", "--force");
    assertEquals(0, forced.code(), forced.err());
  }

  @Test
  void aLockedRunDirectoryAndAResumeUnderAnotherConfigAreRefused(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "3", "--out",
        run.toString(), "--threads", "1").code());
    assertFalse(Files.exists(run.resolve(RunLock.FILE)), "the lock goes when the run ends");
    CliRun seed = CliRun.of("train", "--config", "karate-gcn", "--epochs", "5", "--seed", "4",
        "--out", run.toString(), "--resume", "--threads", "1");
    assertEquals(1, seed.code());
    assertTrue(seed.err().contains("differs from the one " + run + " was started with"
        + " (train.seed: 0 -> 4)"), seed.err());
    // a live owner (this JVM) holds the lock: a second training is refused
    Files.writeString(run.resolve(RunLock.FILE), Long.toString(ProcessHandle.current().pid()));
    CliRun busy = CliRun.of("train", "--config", "karate-gcn", "--epochs", "5", "--out",
        run.toString(), "--resume", "--threads", "1");
    assertEquals(1, busy.code());
    assertTrue(busy.err().contains("is in use by another run (pid "), busy.err());
    // a dead owner's lock (a killed run) is taken over; more epochs may be asked on resume
    Files.writeString(run.resolve(RunLock.FILE), "2147483646");
    CliRun more = CliRun.of("train", "--config", "karate-gcn", "--epochs", "5", "--out",
        run.toString(), "--resume", "--threads", "1");
    assertEquals(0, more.code(), more.err());
    assertEquals(5L, ((Number) lastJson(more).get("epochs")).longValue());
  }

  @Test
  void aRunDirectoryThatCannotBeMadeIsOneLine(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliRun r = CliRun.of("train", "--config", "karate-gcn", "--out", file.resolve("run").toString(),
        "--epochs", "1");
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("gnn4j: train: cannot lock "), r.err());
  }

  @Test
  void aResumeRebuildsTheMetricsFileFromTheCheckpointsHistory(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "5", "--out",
        run.toString(), "--threads", "1").code());
    Path metrics = run.resolve("metrics.jsonl");
    List<String> lines = Files.readAllLines(metrics);
    assertEquals(5, lines.size());
    // what a kill after a checkpoint but before its metrics line leaves: lines missing
    Files.write(metrics, lines.subList(0, 2));
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "7", "--out",
        run.toString(), "--resume", "--threads", "1").code());
    List<String> after = Files.readAllLines(metrics);
    assertEquals(7, after.size(), after.toString());
    for (int i = 0; i < 7; i++) {
      assertTrue(after.get(i).startsWith("{\"epoch\":" + (i + 1) + ","), after.get(i));
    }
  }

  @Test
  void threadsBeyondTheCoresAreCappedWithOneWarning() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    CliRun r = CliRun.of("train", "--config", "karate-gcn", "--epochs", "1", "--no-files",
        "--threads", Integer.toString(cores + 7));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("--threads " + (cores + 7) + " is more than the machine's " + cores
        + " cores; using " + cores), r.err());
    assertTrue(r.err().contains(", " + cores + " threads,"), r.err());
  }

  @Test
  void anOptionWithoutItsValueIsAnErrorNotTrue(@TempDir Path tmp) throws Exception {
    CliRun r = CliRun.of("train", "--config", "karate-gcn", "--out");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: train: --out needs a value"), r.err());
    assertFalse(Files.exists(Path.of("true")), "no directory named 'true' is made");
    r = CliRun.of("train", "--config", "karate-gcn", "--out", "");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--out needs a non-empty value"), r.err());
    r = CliRun.of("train", "--config", "karate-gcn", "--no-files", "yes");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--no-files takes no value (got 'yes'"), r.err());
  }

  @Test
  void configTypoIsOneLineWithFileAndLine(@TempDir Path tmp) throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, "dataset: {name: karate}\nmodel:\n  layer: gcn\n  hiden: 8\n");
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertTrue(err.startsWith("gnn4j: " + cfg + ":4: 'model.hiden': unknown key"), err);
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void aCheckpointOfAnotherFileIsRefusedClearly(@TempDir Path tmp) throws Exception {
    Path junk = tmp.resolve("x.ckpt");
    Files.write(junk, new byte[] {1, 2, 3});
    CliRun r = CliRun.of("eval", "--checkpoint", junk.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: " + junk), r.err());
  }

  @Test
  void repeatPrintsMeanAndStd() {
    CliRun r = CliRun.of("repeat", "--config", "karate-gcn", "--seeds", "2", "--epochs", "5", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> m = lastJson(r);
    assertEquals(2L, m.get("runs"));
    assertTrue(m.containsKey("train_accuracy_mean") && m.containsKey("train_accuracy_std"), m.toString());
  }
}
