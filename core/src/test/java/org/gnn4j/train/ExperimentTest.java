package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

class ExperimentTest {
  private static final String KARATE = """
      dataset: {name: karate}
      model:
        layer: gcn
        layers: 2
        hidden: 8
        head: {type: conv}
      optim: {name: adam, lr: 0.05}
      train: {epochs: 60, seed: 3}
      """;

  private static Map<String, Double> train(String yaml) {
    Experiment exp = Experiment.of(ConfigNode.parse(yaml, "t.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(exp.train().seed()).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, exp.train().seed());
      return new Trainer(model, task, exp.optimizer(model), exp.train().seed(), exp.trainerOptions(null, false))
          .fit().metrics();
    }
  }

  @Test
  void karateTrainsAndFitsItsFourTrainingNodes() {
    Map<String, Double> m = train(KARATE);
    assertEquals(1.0, m.get("train_accuracy"), 1e-9, m.toString());
  }

  @Test
  void neighbourSampledMiniBatchesTrainANodeTask() {
    Map<String, Double> m = train("""
        dataset: {name: cora, normalize_features: true}
        model: {layer: gcn, layers: 2, hidden: 16, head: {type: conv}}
        optim: {lr: 0.01}
        train: {epochs: 15, fanouts: [10, 5], batch_size: 64}
        """);
    assertTrue(m.get("test_accuracy") > 0.6, m.toString());
  }

  @Test
  void sameSeedSameBits() {
    assertEquals(train(KARATE), train(KARATE));
  }

  @Test
  void everyLayerTypeTrainsOnAGraphDataset() {
    for (String layer : new String[] {"gcn", "gat", "gatv2", "gin", "gine", "transformer", "gps_gin", "gps_gine", "resgated", "gps_resgated", "graph_transformer", "graphormer"}) {
      String yaml = """
          dataset: {name: mutag, folds: 4, fold: 1}
          model:
            layer: %s
            layers: 2
            hidden: 16
            heads: 2
            norm: batch
            residual: true
            encoder: {node: linear, edge: linear}
            pooling: mean
          optim: {lr: 0.01}
          train: {epochs: 2, batch_size: 64}
          """.formatted(layer);
      Map<String, Double> m = train(yaml);
      double acc = m.get("test_accuracy");
      assertTrue(acc >= 0 && acc <= 1 && Double.isFinite(m.get("train_loss")), layer + ": " + m);
    }
  }

  @Test
  void positionalEncodingsFeedTheModel() {
    for (String pe : new String[] {"lap", "rwse"}) {
      String yaml = """
          dataset: {name: mutag, folds: 4}
          model:
            layer: gps_gine
            layers: 1
            hidden: 16
            heads: 2
            encoder: {node: embedding, edge: embedding, pe: %s, pe_k: 4, pe_dim: 4}
            pooling: sum
          train: {epochs: 2, batch_size: 64}
          """.formatted(pe);
      Map<String, Double> m = train(yaml);
      assertTrue(Double.isFinite(m.get("train_loss")), pe + ": " + m);
    }
    Map<String, Double> cora = train(KARATE.replace("head: {type: conv}", "head: {type: conv}\n  encoder: {node: linear, pe: lap, pe_k: 4, pe_dim: 4}"));
    assertTrue(cora.get("train_accuracy") > 0.5, cora.toString());
  }

  @Test
  void typosAndImpossibleModelsAreClearErrors() {
    var typo = assertThrows(Gnn4jConfigException.class,
        () -> Experiment.of(ConfigNode.parse(KARATE.replace("hidden: 8", "hiden: 8"), "k.yaml")));
    assertTrue(typo.getMessage().startsWith("k.yaml:5:") && typo.getMessage().contains("model.hiden"), typo.getMessage());
    var value = assertThrows(Gnn4jConfigException.class,
        () -> Experiment.of(ConfigNode.parse(KARATE.replace("layer: gcn", "layer: gcm"), "k.yaml")));
    assertTrue(value.getMessage().contains("valid: gcn, gat"), value.getMessage());
    var pooling = assertThrows(IllegalArgumentException.class, () -> train("""
        dataset: {name: mutag, folds: 4}
        model: {layer: gin, hidden: 8, encoder: {node: linear}}
        train: {epochs: 1}
        """));
    assertTrue(pooling.getMessage().contains("pooling"), pooling.getMessage());
    var edges = assertThrows(IllegalArgumentException.class, () -> train("""
        dataset: {name: karate}
        model: {layer: gine, hidden: 8, encoder: {node: linear}}
        train: {epochs: 1}
        """));
    assertTrue(edges.getMessage().contains("needs edge features"), edges.getMessage());
  }
}
