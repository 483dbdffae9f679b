package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelationalTrainTest {
  @TempDir
  Path dir;

  /** train, eval and predict on a MovieLens slice, read from a SQLite file made by db import. */
  @Test
  void trainEvalAndPredictOnTablesFromADatabase() throws Exception {
    Path d = dir.resolve("slice");
    Files.createDirectories(d);
    for (String f : new String[] {"schema.yaml", "movies.csv", "ratings.csv", "tags.csv"}) {
      try (var in = RelationalTrainTest.class.getResourceAsStream("/relational/movielens_slice/" + f)) {
        Files.write(d.resolve(f), in.readAllBytes());
      }
    }
    Path db = dir.resolve("slice.db");
    assertEquals(0, CliRun.of("db", "import", "--schema", d.resolve("schema.yaml").toString(), "--out", db.toString()).code());
    Path config = dir.resolve("slice.yaml");
    Files.writeString(config, "dataset: {schema: '" + d.resolve("schema.yaml") + "', jdbc: 'jdbc:sqlite:" + db
        + "', target: ratings.rating}\nmodel: {layer: sage, layers: 2, hidden: 8, hetero: {aggr: sum}}\n"
        + "train: {epochs: 2, batch_size: 256, fanouts: [4, 4]}\n");
    Path run = dir.resolve("run");
    CliRun r = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    String json = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    for (String key : new String[] {"test_rmse", "baseline_rmse_global_mean", "baseline_rmse_movie_mean",
        "baseline_rmse_mf", "baseline_rmse_user_history_mean", "epoch_seconds_median"}) {
      assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
    }
    r = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"test_rmse\""), r.out());
    Path pred = dir.resolve("pred.csv");
    r = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out", pred.toString(),
        "--threads", "1");
    assertEquals(0, r.code(), r.err());
    var lines = Files.readAllLines(pred);
    assertEquals("userId,movieId,timestamp,split,prediction", lines.get(0));
    assertEquals(1356, lines.size());
    assertTrue(lines.stream().anyMatch(l -> l.contains(",test,")), "no test rows");
  }
}
