package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.model.PairRegressionModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

class RatingTaskTest {
  private static String schema() throws Exception {
    return Path.of(RatingTaskTest.class.getResource("/relational/movielens_slice/schema.yaml").toURI()).toString();
  }

  private static Experiment experiment(String dataset, String train) throws Exception {
    String yaml = "dataset: {schema: '" + schema() + "', " + dataset + "}\n"
        + "model: {layer: sage, layers: 2, hidden: 16, hetero: {aggr: sum}}\n"
        + "optim: {name: adam, lr: 0.01}\n"
        + "train: {epochs: 3, batch_size: 128, seed: 1" + train + "}\n";
    return Experiment.of(ConfigNode.parse(yaml, "test.yaml"));
  }

  @SuppressWarnings("unchecked")
  @Test
  void shortEndToEndTrainingOnASliceLowersTheErrorAndScoresRepeatably() throws Exception {
    Experiment exp = experiment("target: ratings.rating", ", fanouts: [5, 5]");
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      var run = (Experiment.Run<PairRegressionModel>) exp.run(ctx, null, 1);
      RatingTask task = (RatingTask) run.task();
      double before = task.evaluate(run.model(), "val").get("rmse");
      Trainer.Result r = run.trainer(exp.optimizer(run.model()), 1, exp.trainerOptions(null, false)).fit();
      assertTrue(r.history().get(2).loss() < r.history().get(0).loss(), "training loss did not fall: " + r.history());
      assertTrue(r.metrics().get("val_rmse") < before, "val RMSE " + r.metrics().get("val_rmse") + " vs " + before);
      Map<String, Double> a = task.evaluate(run.model(), "test");
      Map<String, Double> b = task.evaluate(run.model(), "test");
      assertEquals(a, b);
      assertEquals(a.get("rmse"), r.metrics().get("test_rmse"));
      RatingBaselines base = task.baselines();
      assertTrue(base.mf() > 0 && base.itemMean() > 0, base.toString());
      // the global-mean baseline, recomputed by hand on the same split
      var split = task.split();
      double[] y = org.gnn4j.data.relational.ColumnEncoders.numbers(task.graph().tables().get("ratings"), "rating");
      double mu = 0;
      for (int row : split.train()) mu += y[row];
      mu /= split.train().length;
      double se = 0;
      for (int row : split.test()) se += (y[row] - mu) * (y[row] - mu);
      assertEquals(Math.sqrt(se / split.test().length), base.globalMean(), 1e-9);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void historiesHoldOnlyEarlierRowsAndWithTrainingRowsOnlyNoHeldOutRating() throws Exception {
    for (String history : new String[] {"before_time", "training_rows"}) {
      Experiment exp = experiment("target: ratings.rating, history: " + history, ", fanouts: [-1, -1]");
      try (Context ctx = Context.builder().threads(1).seed(1).build()) {
        RatingTask task = (RatingTask) exp.run(ctx, null, 1).task();
        var split = task.split();
        long[] time = task.graph().time("ratings");
        boolean[] heldOut = new boolean[time.length];
        for (int r : split.val()) heldOut[r] = true;
        for (int r : split.test()) heldOut[r] = true;
        int[] rows = java.util.stream.IntStream.concat(java.util.Arrays.stream(split.val()),
            java.util.Arrays.stream(split.test())).toArray();
        var sg = task.histories(rows, new java.util.SplittableRandom(2));
        int[] ids = sg.nodes().get("ratings");
        int[] ex = sg.example().get("ratings");
        int held = 0;
        for (int i = 0; i < ids.length; i++) {
          assertTrue(time[ids[i]] < time[rows[ex[i]]], "a later rating reached an example");
          if (heldOut[ids[i]]) held++;
        }
        if (history.equals("training_rows")) assertEquals(0, held);
        else assertTrue(held > 0, "before_time should show earlier held-out ratings");
      }
    }
  }

  @Test
  void aTargetThatIsNotANumericColumnIsOneConfigLine() throws Exception {
    Experiment exp = experiment("target: ratings.stars", ", fanouts: [5, 5]");
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      var e = assertThrows(Gnn4jConfigException.class, () -> exp.run(ctx, null, 1));
      assertTrue(e.getMessage().startsWith("test.yaml:1: 'dataset.target': column 'stars' of table ratings"), e.getMessage());
    }
  }

  @Test
  void withoutFanoutsTheTaskAsksForThem() throws Exception {
    Experiment exp = experiment("target: ratings.rating", "");
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      var e = assertThrows(Gnn4jConfigException.class, () -> exp.run(ctx, null, 1));
      assertTrue(e.getMessage().contains("'train.fanouts': is needed"), e.getMessage());
    }
  }

  @Test
  void aSchemaWithADirectoryIsRefused() {
    var e = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
        "dataset: {schema: movielens, target: ratings.rating, dir: /tmp}\n", "t.yaml")));
    assertTrue(e.getMessage().startsWith("t.yaml:1: 'dataset.dir': give either dataset.schema"), e.getMessage());
  }

  @Test
  void aMissingSchemaNamesTheKey() {
    var e = assertThrows(Gnn4jConfigException.class, () -> Experiment.of(ConfigNode.parse(
        "dataset: {schema: /no/such/schema.yaml, target: ratings.rating}\nmodel: {layer: sage, hetero: {}}\n"
            + "train: {fanouts: [2]}\n", "t.yaml")).run(null, null, 0));
    assertTrue(e.getMessage().startsWith("t.yaml:1: 'dataset.schema': data: schema '/no/such/schema.yaml' is neither"),
        e.getMessage());
  }
}
