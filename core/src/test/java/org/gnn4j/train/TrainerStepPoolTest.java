package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

/**
 * Training with the step pool ({@link Context#step()} around every optimizer step) gives the
 * same bits as training without it: losses, metrics, final weights and batch-norm statistics
 * (which a model lists among its named parameters).
 */
class TrainerStepPoolTest {
  // Cora: the full-graph step's [2708, 16] activations are pooled (above the pool's minimum)
  private static final String CORA = """
      dataset: {name: cora, normalize_features: true}
      model: {layer: gcn, layers: 2, hidden: 16, input_dropout: 0.5, dropout: 0.5, head: {type: conv}}
      optim: {name: adam, lr: 0.01, weight_decay: 5.0e-4, decay_first_layer_only: true}
      train: {epochs: 4, seed: 3}
      """;

  // graph-level with batch norm; batches of 64 graphs at width 64 are large enough to be pooled
  private static final String MUTAG = """
      dataset: {name: mutag, folds: 4, fold: 1, val_fraction: 0.2}
      model:
        layer: gin
        layers: 3
        hidden: 64
        norm: batch
        dropout: 0.3
        encoder: {node: linear}
        pooling: sum
      optim: {name: adam, lr: 0.01}
      train: {epochs: 3, batch_size: 64, seed: 5}
      """;

  private record Outcome(Trainer.Result result, Map<String, float[]> state) {}

  private static Outcome train(String yaml, boolean pool) {
    Experiment exp = Experiment.of(ConfigNode.parse(yaml, "pool.yaml"));
    long seed = exp.train().seed();
    try (Context ctx = Context.builder().threads(2).seed(seed).stepPool(pool).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, seed);
      Trainer t = new Trainer(model, task, exp.optimizer(model), seed, exp.trainerOptions(null, false));
      Trainer.Result r = t.fit();
      Map<String, float[]> state = new LinkedHashMap<>();
      for (var e : model.namedParameters().entrySet()) state.put(e.getKey(), e.getValue().data().clone());
      return new Outcome(r, state);
    }
  }

  private static void assertSame(String name, Outcome on, Outcome off) {
    assertEquals(off.result().metrics(), on.result().metrics(), name + ": final metrics");
    assertEquals(off.result().history().size(), on.result().history().size(), name);
    for (int i = 0; i < off.result().history().size(); i++) {
      assertEquals(off.result().history().get(i).loss(), on.result().history().get(i).loss(), name + ": loss of epoch " + (i + 1));
      assertEquals(off.result().history().get(i).metrics(), on.result().history().get(i).metrics(), name + ": epoch " + (i + 1));
    }
    assertEquals(off.state().keySet(), on.state().keySet(), name);
    for (String k : off.state().keySet()) assertArrayEquals(off.state().get(k), on.state().get(k), name + ": " + k);
  }

  @Test
  void coraGcnTrainsToTheSameBitsWithAndWithoutThePool() {
    assertSame("cora", train(CORA, true), train(CORA, false));
  }

  @Test
  void graphLevelBatchNormTrainsToTheSameBitsWithAndWithoutThePool() {
    Outcome on = train(MUTAG, true);
    assertSame("mutag", on, train(MUTAG, false));
    assertEquals(true, on.state().keySet().stream().anyMatch(k -> k.contains("running_mean")),
        "the model must have batch-norm statistics: " + on.state().keySet());
  }
}
