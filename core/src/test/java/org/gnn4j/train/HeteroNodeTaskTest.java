package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeteroNodeTaskTest {
  private static String cfg(String layer, String train) {
    return "dataset: {name: user_item}\n"
        + "model:\n  layer: " + layer + "\n  layers: 2\n  hidden: 16\n  heads: 2\n  dropout: 0.5\n  hetero: {}\n"
        + "optim: {name: adam, lr: 0.01}\n"
        + "train: {epochs: 6, seed: 3, checkpoint_seconds: 0" + train + "}\n";
  }

  private static final class Killed extends RuntimeException {}

  private static Trainer.Result run(String text, Path dir, boolean resume, int killAfter) {
    Experiment exp = Experiment.of(ConfigNode.parse(text, "h.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(3).build()) {
      Experiment.Run<?> run = exp.run(ctx, null, 3);
      Trainer t = run.trainer(exp.optimizer(run.model()), 3, exp.trainerOptions(dir, resume));
      if (killAfter > 0) {
        t.listen(r -> {
          if (r.epoch() == killAfter) throw new Killed();
        });
      }
      return t.fit();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sage|", "hgt|", "sage|, fanouts: [5, 3], batch_size: 16",
      "sage|, batch_size: 16, fanouts: {user__rates__item: [5, 3], item__rated_by__user: [4, 2],"
          + " user__follows__user: [2, 0], item__has__tag: [0, 0]}"})
  void resumeAfterAKillEndsWithTheSameMetricsAsAnUninterruptedRun(String variant, @TempDir Path tmp) {
    String text = cfg(variant.substring(0, variant.indexOf('|')), variant.substring(variant.indexOf('|') + 1));
    Trainer.Result whole = run(text, null, false, 0);
    assertThrows(Killed.class, () -> run(text, tmp, false, 3));
    Trainer.Result resumed = run(text, tmp, true, 0);
    assertEquals(3, resumed.resumedFrom());
    assertEquals(whole.metrics(), resumed.metrics());
    assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    assertTrue(whole.metrics().get("test_accuracy") > 0, whole.metrics().toString());
  }

  private static Gnn4jConfigException refused(String text) {
    Experiment exp = Experiment.of(ConfigNode.parse(text, "bad.yaml"));
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      return assertThrows(Gnn4jConfigException.class, () -> exp.run(ctx, null, 0));
    }
  }

  @Test
  void perRelationFanOutsMustNameEveryRelationOnceWithOneLengthAndNeedHeteroData() {
    String all = "user__rates__item: [5, 3], item__rated_by__user: [4, 2], user__follows__user: [2, 0]";
    var missing = refused(cfg("sage", ", fanouts: {" + all + "}"));
    assertTrue(missing.getMessage().startsWith("bad.yaml:10: 'train.fanouts': "), missing.getMessage());
    assertTrue(missing.getMessage().contains("item__has__tag"), missing.getMessage());
    var unknown = refused(cfg("sage", ", fanouts: {" + all + ", item__has__tags: [0, 0]}"));
    assertTrue(unknown.getMessage().contains("item__has__tags"), unknown.getMessage());
    var length = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
        cfg("sage", ", fanouts: {" + all + ", item__has__tag: [0]}"), "bad.yaml")));
    assertTrue(length.getMessage().contains("'train.fanouts.item__has__tag': has 1 fan-outs"),
        length.getMessage());
    var homogeneous = refused("dataset: {name: karate}\nmodel: {layer: gcn}\n"
        + "train:\n  fanouts: {a__b__c: [2, 2]}\n");
    assertTrue(homogeneous.getMessage().startsWith("bad.yaml:4: 'train.fanouts': one list per relation"
        + " needs a heterogeneous dataset"), homogeneous.getMessage());
  }

  @Test
  void aHeteroModelOnAHomogeneousDatasetNamesModelHetero() {
    var e = refused("dataset: {name: karate}\nmodel:\n  layer: sage\n  hetero: {}\n");
    assertTrue(e.getMessage().startsWith("bad.yaml:4: 'model.hetero': a heterogeneous model needs"), e.getMessage());
  }

  @Test
  void aHomogeneousModelOnAHeteroDatasetNamesTheDataset() {
    var e = refused("dataset:\n  name: user_item\nmodel: {layer: gcn}\n");
    assertTrue(e.getMessage().startsWith("bad.yaml:2: 'dataset.name': dataset user_item is heterogeneous"), e.getMessage());
  }

  @Test
  void layersThatCannotRunBipartiteAreRefusedAtTheirKey() {
    for (String layer : new String[] {"gcn", "gin", "gine", "gps_gin"}) {
      var e = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
          "dataset: {name: user_item}\nmodel:\n  layer: " + layer + "\n  hetero: {}\n", "bad.yaml")));
      assertTrue(e.getMessage().startsWith("bad.yaml:3: 'model.layer': '" + layer + "' cannot run bipartite"), e.getMessage());
    }
    for (String layer : new String[] {"gat", "gatv2", "transformer"}) {   // bipartite attention
      Experiment.of(ConfigNode.parse("dataset: {name: user_item}\nmodel:\n  layer: " + layer
          + "\n  heads: 2\n  hetero: {}\n", "ok.yaml"));
    }
    var hgt = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
        "dataset: {name: user_item}\nmodel:\n  layer: hgt\n", "bad.yaml")));
    assertTrue(hgt.getMessage().contains("needs model.hetero"), hgt.getMessage());
    var aggr = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
        "dataset: {name: user_item}\nmodel:\n  layer: hgt\n  hetero: {aggr: max}\n", "bad.yaml")));
    assertTrue(aggr.getMessage().contains("'model.hetero.aggr'"), aggr.getMessage());
  }
}
