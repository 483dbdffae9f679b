package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainCheckpoints#loadGraphModel}: a saved model comes back with its weights, in eval mode. */
class LoadGraphModelTest {
  @TempDir Path dir;

  private static final String CONFIG = """
      dataset: {name: karate}
      model: {layer: gcn, layers: 2, hidden: 8, dropout: 0.5, head: {type: conv}}
      train: {epochs: 3, seed: 4}
      """;

  @Test
  void aSavedModelLoadsWithItsWeightsAndPredictsTheSame() {
    ConfigNode cfg = ConfigNode.parse(CONFIG, "t.yaml");
    Path file = dir.resolve("model.ckpt");
    float[] before;
    try (Context ctx = Context.builder().threads(1).seed(4).build()) {
      Experiment exp = Experiment.of(cfg);
      var run = exp.run(ctx, null, 4);
      var opt = exp.optimizer(run.model());
      run.trainer(opt, 4, Trainer.Options.of(3)).fit();
      GraphModel m = (GraphModel) run.model();
      TrainCheckpoints.saveModel(file, m, cfg, Map.of());
      m.train(false);
      before = m.forward(((NodeClassificationTask) run.task()).input()).data().clone();
    }
    try (Context ctx = Context.builder().threads(1).seed(99).build()) {
      GraphModel loaded = TrainCheckpoints.loadGraphModel(file, ctx);
      var task = (NodeClassificationTask) Experiment.of(cfg).task(ctx, null);
      ModelInput in = task.input();
      // eval mode: dropout 0.5 would make two calls differ
      float[] a = loaded.forward(in).data();
      assertArrayEquals(a, loaded.forward(in).data());
      assertArrayEquals(before, a);
    }
  }

  @Test
  void aCheckpointWithoutAConfigIsRefusedNamingTheFile() {
    Path file = dir.resolve("weights.ckpt");
    try (Context ctx = Context.builder().threads(1).build()) {
      GraphModel m = (GraphModel) Experiment.of(ConfigNode.parse(CONFIG, "t.yaml")).run(ctx, null, 1).model();
      Checkpoint.of(m).build().write(file);
      var e = assertThrows(Gnn4jConfigException.class, () -> TrainCheckpoints.loadGraphModel(file, ctx));
      assertTrue(e.getMessage().contains("weights.ckpt"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }
}
