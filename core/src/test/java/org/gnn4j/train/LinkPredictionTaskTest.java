package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.link.LinkModel;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

class LinkPredictionTaskTest {
  /** configs/cora-link.yaml, with fewer epochs. */
  private static final String CORA_LINK = """
      dataset: {name: cora, normalize_features: true}
      model: {layer: gcn, layers: 2, hidden: 128, head: {type: conv}}
      optim: {name: adam, lr: 0.01}
      train: {objective: link, epochs: 10, seed: 0}
      link:
        split: splits/link-cora-seed{seed}.tsv.gz
        embedding_dim: 64
        decoder: dot
        loss: bce
        negatives: uniform
        neg_ratio: 1
      """;

  private static Trainer.Result fit(String yaml) {
    Experiment exp = Experiment.of(ConfigNode.parse(yaml, "l.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(0).build()) {
      Experiment.Run<?> run = exp.run(ctx, null, exp.train().seed());
      Module model = run.model();
      return run.trainer(exp.optimizer(model), exp.train().seed(), exp.trainerOptions(null, false)).fit();
    }
  }

  @Test
  void coraLinkOnTheReferenceSplitLearnsInAFewEpochs() {
    Trainer.Result r = fit(CORA_LINK);
    Map<String, Double> m = r.metrics();
    for (String k : new String[] {"test_auc", "test_ap", "test_mrr", "test_hits_at_20", "test_hits_at_50", "val_auc"}) {
      assertTrue(m.containsKey(k), k + " in " + m.keySet());
    }
    assertTrue(m.get("test_auc") > 0.65, "test AUC " + m.get("test_auc"));
    assertTrue(m.get("val_auc") > 0.65, "val AUC " + m.get("val_auc"));
    assertEquals(10, r.epochsRun());
    assertTrue(r.epochSecondsMedian() > 0);
  }

  @Test
  void sampledMiniBatchesWithAnMlpDecoderAndBprOnARandomSplitLearn() {
    String yaml = """
        dataset: {name: cora, normalize_features: true}
        model: {layer: gcn, layers: 2, hidden: 32, head: {type: conv}}
        optim: {lr: 0.01}
        train: {objective: link, epochs: 3, seed: 3, fanouts: [10, 5], batch_size: 1024}
        link: {embedding_dim: 16, decoder: mlp, mlp_hidden: [16], loss: bpr, negatives: per_source, neg_ratio: 2}
        """;
    Trainer.Result r = fit(yaml);
    assertTrue(r.metrics().get("test_auc") > 0.6, r.metrics().toString());
  }

  @Test
  void distMultWithTwoNegativesPerPositiveTrains() {
    Trainer.Result r = fit(CORA_LINK.replace("epochs: 10", "epochs: 3").replace("decoder: dot", "decoder: distmult")
        .replace("neg_ratio: 1", "neg_ratio: 2"));
    assertTrue(Double.isFinite(r.metrics().get("test_auc")), r.metrics().toString());
  }

  @Test
  void theModelIsTheEncoderPlusDecoderParameters() {
    Experiment exp = Experiment.of(ConfigNode.parse(CORA_LINK.replace("decoder: dot", "decoder: distmult"), "l.yaml"));
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      LinkModel m = (LinkModel) exp.run(ctx, null, 0).model();
      assertTrue(m.namedParameters().containsKey("layers.0.lin.weight"));
      assertTrue(m.namedParameters().containsKey("decoder.rel_emb"));
      assertEquals(1433 * 128 + 128 + 128 * 64 + 64 + 64, m.numParameters());
    }
  }

  private static String configError(String yaml) {
    return assertThrows(Gnn4jConfigException.class, () -> {
      Experiment exp = Experiment.of(ConfigNode.parse(yaml, "l.yaml"));
      try (Context ctx = Context.builder().threads(1).seed(0).build()) {
        exp.run(ctx, null, 0);
      }
    }).getMessage();
  }

  @Test
  void badLinkSettingsAreOneLineNamingTheKey() {
    assertTrue(configError(CORA_LINK.replace("decoder: dot", "decoder: cosine"))
        .startsWith("l.yaml:8: 'link.decoder': unknown value 'cosine' (valid: dot, mlp, distmult)"));
    assertTrue(configError(CORA_LINK.replace("loss: bce", "loss: hinge")).contains("'link.loss': unknown value 'hinge'"));
    assertTrue(configError(CORA_LINK.replace("neg_ratio: 1", "neg_ratio: 0")).contains("'link.neg_ratio': must be > 0"));
    assertTrue(configError(CORA_LINK.replace("neg_ratio: 1", "neg_ratio: -2")).contains("'link.neg_ratio': must be > 0"));
    assertTrue(configError(CORA_LINK.replace("loss: bce", "loss: bpr").replace("neg_ratio: 1", "neg_ratio: 1.5"))
        .contains("'link.neg_ratio': must be a whole number with loss: bpr"));
    assertTrue(configError(CORA_LINK.replace("objective: link, ", "")).contains("'link': is read with train.objective: link only"));
    assertTrue(configError(CORA_LINK.replace("split: splits/", "split: nowhere/"))
        .contains("'link.split': 'nowhere/link-cora-seed0.tsv.gz' is neither a file of dataset cora nor a file on disk"));
    assertTrue(configError(CORA_LINK.replace("decoder: dot", "decoder: dot\n  mlp_hidden: [8]"))
        .contains("unknown key 'link.mlp_hidden'"));
  }
}
