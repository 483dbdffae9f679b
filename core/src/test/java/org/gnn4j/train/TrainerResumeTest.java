package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerResumeTest {
  private static final String CFG = """
      dataset: {name: mutag, folds: 4, fold: 2, val_fraction: 0.2}
      model:
        layer: gin
        layers: 2
        hidden: 16
        norm: batch
        dropout: 0.3
        encoder: {node: linear}
        pooling: sum
      optim: {name: adamw, lr: 0.01, weight_decay: 0.01, schedule: cosine, warmup_epochs: 2}
      train: {epochs: 8, batch_size: 32, seed: 11, checkpoint_seconds: 0}
      """;

  private static final class Killed extends RuntimeException {}

  private static Trainer.Result run(Path dir, boolean resume, int killAfter) {
    Experiment exp = Experiment.of(ConfigNode.parse(CFG, "r.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(11).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, 11);
      Trainer t = new Trainer(model, task, exp.optimizer(model), 11, exp.trainerOptions(dir, resume));
      if (killAfter > 0) {
        t.listen(r -> {
          if (r.epoch() == killAfter) throw new Killed();
        });
      }
      return t.fit();
    }
  }

  @Test
  void resumeAfterAKillEndsWithTheSameMetricsAsAnUninterruptedRun(@TempDir Path tmp) {
    Trainer.Result whole = run(null, false, 0);
    Path dir = tmp.resolve("run");
    assertThrows(Killed.class, () -> run(dir, false, 5));
    assertTrue(Files.exists(dir.resolve(TrainCheckpoints.LAST)));
    Trainer.Result resumed = run(dir, true, 0);
    assertEquals(5, resumed.resumedFrom());
    assertEquals(whole.metrics(), resumed.metrics());
    assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    assertEquals(8, resumed.history().size());
    for (int i = 0; i < 8; i++) assertEquals(whole.history().get(i).loss(), resumed.history().get(i).loss());
  }

  @Test
  void resumeReadsOnlyTheAtomicCheckpointSoAStaleOrMissingBestFileCannotBreakIt(@TempDir Path tmp)
      throws Exception {
    Trainer.Result whole = run(null, false, 0);
    for (boolean delete : new boolean[] {true, false}) {
      Path dir = tmp.resolve("run-" + delete);
      assertThrows(Killed.class, () -> run(dir, false, 5));
      // what a kill between the two files used to leave: best.ckpt out of step (here gone, or
      // damaged) with the checkpoint that refers to it
      if (delete) {
        Files.delete(dir.resolve(TrainCheckpoints.BEST));
      } else {
        Files.write(dir.resolve(TrainCheckpoints.BEST), new byte[] {1, 2, 3});
      }
      Trainer.Result resumed = run(dir, true, 0);
      assertEquals(whole.metrics(), resumed.metrics());
      assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    }
  }

  @Test
  void aModelCheckpointRoundTripsAndRefusesAnotherArchitecture(@TempDir Path tmp) {
    Experiment exp = Experiment.of(ConfigNode.parse(CFG, "r.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(1).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, 1);
      Path f = tmp.resolve("model.ckpt");
      TrainCheckpoints.saveModel(f, model, exp.config(), Map.of("test_accuracy", 0.5));
      ConfigNode back = TrainCheckpoints.readConfig(f);
      Experiment again = Experiment.of(back);
      GraphModel other = again.buildModel(ctx, task, 99);
      TrainCheckpoints.loadWeights(f, other);
      assertEquals(task.evaluate(model, "test"), task.evaluate(other, "test"));
      Experiment wider = Experiment.of(ConfigNode.parse(CFG.replace("hidden: 16", "hidden: 24"), "w.yaml"));
      GraphModel wrong = wider.buildModel(ctx, task, 1);
      var e = assertThrows(Gnn4jConfigException.class, () -> TrainCheckpoints.loadWeights(f, wrong));
      assertTrue(e.getMessage().contains("model.ckpt") && e.getMessage().contains("shape"), e.getMessage());
    }
  }
}
