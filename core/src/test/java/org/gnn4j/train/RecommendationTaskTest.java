package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.InteractionDataset;
import org.gnn4j.data.InteractionSplit;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.optim.Adam;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationTaskTest {
  /**
   * Two communities: users 1-20 rate 15 of the movies 1-30, users 21-40 rate 15 of 31-60, so a
   * user's held-out items are among the half of the catalogue its neighbours rated.
   */
  static Path communities(Path dir) throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    StringBuilder sb = new StringBuilder("userId,movieId,rating,timestamp\n");
    for (int u = 1; u <= 40; u++) {
      int base = u <= 20 ? 0 : 30;
      boolean[] taken = new boolean[30];
      for (int n = 0; n < 15; ) {
        int i = rnd.nextInt(30);
        if (taken[i]) continue;
        taken[i] = true;
        n++;
      }
      for (int i = 0; i < 30; i++) if (taken[i]) sb.append(u).append(',').append(base + i + 1).append(",4.0,0\n");
    }
    Files.writeString(dir.resolve("ratings.csv"), sb);
    return dir;
  }

  @Test
  void theLossFallsAndRecallBeatsRandomByFar(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(communities(dir).toString(), 0);
    InteractionSplit split = InteractionSplit.perUser(d, 1);
    try (Context ctx = Context.builder().threads(2).seed(0).build()) {
      RecommendationTask task = new RecommendationTask(ctx, d, split, 64, 1e-4f, 5);
      LightGcn model = task.newModel(16, 3, 0);
      Optimizer opt = new Adam(model.parameters(), Adam.Config.of(0.05f, 0));
      double first = task.trainEpoch(model, opt, new SplittableRandom(1), () -> { });
      double last = first;
      for (int e = 2; e <= 15; e++) last = task.trainEpoch(model, opt, new SplittableRandom(e), () -> { });
      assertTrue(last < 0.6 * first, first + " -> " + last);
      Map<String, Double> m = task.evaluate(model, "test");
      // random: 5 of the 48 unmasked items, 3 of them held out: recall about 0.10; knowing only
      // the user's community (5 of its 18 unmasked items): about 0.28
      assertTrue(m.get("recall_at_5") > 0.2, m.toString());
      assertTrue(m.get("ndcg_at_5") > 0.2, m.toString());
      assertEquals(m.get("recall_at_5") * 3 / 5, m.get("precision_at_5"), 1e-9);   // 3 held out each
      assertTrue(task.evaluate(model, "train").get("loss") < first);
      assertTrue(task.evaluate(model, "val").get("recall_at_5").isNaN());
      RecommendationTask.Scored[] top = task.recommend(model, 0, 100);
      assertEquals(45, top.length);                       // the 15 items user 0 has are left out
      for (int r = 0; r < top.length; r++) {
        assertTrue(d.find(0, top[r].item()) < 0);
        if (r > 0) assertTrue(top[r].score() <= top[r - 1].score());
      }
    }
  }

  private static final String CONFIG = """
      dataset: {dir: %s, test_split: per_user}
      model: {layer: lightgcn, layers: 2, hidden: 8}
      optim: {lr: 0.05}
      train: {epochs: 3, batch_size: 128, top_k: 10, seed: 4}
      """;

  @Test
  void aConfigTrainsThroughTheTrainerWithTheSameBitsForTheSameSeed(@TempDir Path dir) throws Exception {
    communities(dir);
    assertEquals(fit(CONFIG.formatted(dir)), fit(CONFIG.formatted(dir)));
    Map<String, Double> m = fit(CONFIG.formatted(dir));
    assertTrue(m.containsKey("test_recall_at_10") && m.containsKey("test_ndcg_at_10"), m.toString());
  }

  private static Map<String, Double> fit(String yaml) {
    Experiment exp = Experiment.of(ConfigNode.parse(yaml, "t.yaml"));
    try (Context ctx = Context.builder().threads(2).seed(4).build()) {
      Experiment.Run<?> run = exp.run(ctx, null, exp.train().seed());
      return run.trainer(exp.optimizer(run.model()), 4, exp.trainerOptions(null, false)).fit().metrics();
    }
  }

  @Test
  void mismatchedModelsDataAndKeysAreOneConfigLine(@TempDir Path dir) throws Exception {
    communities(dir);
    Gnn4jConfigException e = assertThrows(Gnn4jConfigException.class, () -> fit("""
        dataset: {name: karate}
        model: {layer: lightgcn}
        """));
    assertTrue(e.getMessage().contains("lightgcn needs user-item interaction data"), e.getMessage());
    e = assertThrows(Gnn4jConfigException.class, () -> fit("""
        dataset: {name: movielens_small}
        model: {layer: gcn}
        """));
    assertTrue(e.getMessage().contains("needs model.layer: lightgcn"), e.getMessage());
    e = assertThrows(Gnn4jConfigException.class, () -> fit("""
        dataset: {name: movielens_small}
        model: {layer: lightgcn, dropout: 0.5}
        """));
    assertTrue(e.getMessage().contains("t.yaml:2") && e.getMessage().contains("not used by lightgcn"), e.getMessage());
    e = assertThrows(Gnn4jConfigException.class, () -> fit(CONFIG.formatted(dir).replace("per_user", "reference")));
    assertTrue(e.getMessage().contains("test_split") && e.getMessage().contains("no reference split for seed 4"),
        e.getMessage());
  }
}
