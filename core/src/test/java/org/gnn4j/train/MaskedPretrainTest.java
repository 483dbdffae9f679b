package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskedPretrainTest {
  private static final String MODEL = """
      model:
        layer: gine
        layers: 2
        hidden: 16
        norm: batch
        encoder: {node: embedding, edge: embedding}
        pooling: sum
      """;

  @Test
  void pretrainLearnsAtomTypesAndFineTuningStartsFromItsWeights(@TempDir Path tmp) {
    String pre = "dataset: {name: mutag, folds: 5, val_fraction: 0.2}\n" + MODEL
        + "optim: {lr: 0.01}\ntrain: {epochs: 15, batch_size: 32, objective: masked_nodes, mask_rate: 0.2}\n";
    Experiment exp = Experiment.of(ConfigNode.parse(pre, "pre.yaml"));
    Path ckpt = tmp.resolve("pre.ckpt");
    Map<String, Double> metrics;
    GraphModel pretrained;
    try (Context ctx = Context.builder().threads(2).seed(0).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      assertTrue(task instanceof MaskedNodeTask);
      pretrained = exp.buildModel(ctx, task, 0);
      metrics = new Trainer(pretrained, task, exp.optimizer(pretrained), 0, exp.trainerOptions(null, false)).fit().metrics();
      TrainCheckpoints.saveModel(ckpt, pretrained, exp.config(), metrics);
    }
    // MUTAG atoms are mostly carbon (~70%); recovering masked types from context must beat that.
    assertTrue(metrics.get("val_accuracy") > 0.75, metrics.toString());

    String fine = "dataset: {name: mutag, folds: 5}\n" + MODEL.replace("pooling: sum", "pooling: sum\n  init_from: " + ckpt)
        + "train: {epochs: 1}\n";
    Experiment ft = Experiment.of(ConfigNode.parse(fine, "fine.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(0).build()) {
      Task<GraphModel> task = ft.task(ctx, null);
      GraphModel model = ft.buildModel(ctx, task, 42);
      Map<String, org.gnn4j.tensor.Tensor> pre2 = pretrained.namedParameters();
      for (var e : model.namedParameters().entrySet()) {
        if (e.getKey().startsWith("head.")) {
          assertFalse(pre2.containsKey(e.getKey()) && pre2.get(e.getKey()).numel() == e.getValue().numel()
              && java.util.Arrays.equals(pre2.get(e.getKey()).data(), e.getValue().data()), e.getKey());
        } else {
          assertArrayEquals(pre2.get(e.getKey()).data(), e.getValue().data(), e.getKey());
        }
      }
    }
    String wider = fine.replace("hidden: 16", "hidden: 24");
    var err = assertThrows(Gnn4jConfigException.class, () -> {
      Experiment w = Experiment.of(ConfigNode.parse(wider, "w.yaml"));
      try (Context ctx = Context.builder().threads(1).seed(0).build()) {
        w.buildModel(ctx, w.task(ctx, null), 0);
      }
    });
    assertTrue(err.getMessage().contains("init_from does not fit") && err.getMessage().contains("shape"), err.getMessage());
  }
}
