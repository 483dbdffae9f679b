package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendCommandTest {
  /**
   * A tiny MovieLens-like directory (users 1-12 rate 6 of movies 1-20; "Movie, The (k)" titles
   * with a quoted comma) and a LightGCN config on it; trains it and returns the run directory.
   */
  static Path trainedRecommender(Path tmp) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("ml"));
    StringBuilder r = new StringBuilder("userId,movieId,rating,timestamp\n");
    for (int u = 1; u <= 12; u++) {
      for (int k = 0; k < 6; k++) r.append(u).append(',').append((u * 7 + k * 3) % 20 + 1).append(",4.0,0\n");
    }
    Files.writeString(data.resolve("ratings.csv"), r);
    StringBuilder m = new StringBuilder("movieId,title,genres\n");
    for (int i = 1; i <= 20; i++) m.append(i).append(",\"Movie ").append(i).append(", The (2000)\",Drama\n");
    Files.writeString(data.resolve("movies.csv"), m);
    Path cfg = tmp.resolve("rec.yaml");
    Files.writeString(cfg, """
        dataset: {dir: %s, test_split: per_user}
        model: {layer: lightgcn, layers: 2, hidden: 8}
        optim: {lr: 0.01}
        train: {epochs: 2, batch_size: 16, top_k: 5}
        """.formatted(data));
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    String last = t.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("{") && last.contains("\"test_recall_at_5\":") && last.contains("\"test_ndcg_at_5\":")
        && last.contains("\"epoch_seconds_median\":"), last);
    return run;
  }

  @Test
  void recommendPrintsRankedItemsWithTitlesAndRefusesAnUnknownUser(@TempDir Path tmp) throws Exception {
    Path ckpt = trainedRecommender(tmp).resolve("model.ckpt");
    CliRun r = CliRun.of("recommend", "--checkpoint", ckpt.toString(), "--user", "3", "--k", "4", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals("rank\titem\tscore\ttitle", lines[0]);
    assertEquals(5, lines.length, r.out());
    double prev = Double.POSITIVE_INFINITY;
    for (int k = 1; k < lines.length; k++) {
      String[] f = lines[k].split("\t");
      assertEquals(String.valueOf(k), f[0]);
      int item = Integer.parseInt(f[1]);
      assertEquals("Movie " + item + ", The (2000)", f[3]);
      for (int j = 0; j < 6; j++) assertTrue(item != (3 * 7 + j * 3) % 20 + 1, "user 3 already has " + item);
      double score = Double.parseDouble(f[2]);
      assertTrue(score <= prev);
      prev = score;
    }
    CliRun unknown = CliRun.of("recommend", "--checkpoint", ckpt.toString(), "--user", "99", "--threads", "1");
    assertEquals(1, unknown.code());
    assertEquals("gnn4j: recommend: user 99 is not in ml (all ratings) (12 users, ids 1 to 12)\n", unknown.err());
    assertEquals("", unknown.out());
    CliRun word = CliRun.of("recommend", "--checkpoint", ckpt.toString(), "--user", "bob");
    assertEquals(1, word.code());
    assertFalse(word.err().contains("\tat "), word.err());
    CliRun eval = CliRun.of("eval", "--checkpoint", ckpt.toString(), "--threads", "1");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"test_recall_at_5\":") && eval.out().contains("\"train_loss\":")
        && !eval.out().contains("val_"), eval.out());
    CliRun predict = CliRun.of("predict", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("p.csv").toString());
    assertEquals(1, predict.code());
    assertTrue(predict.err().contains("is a recommender (lightgcn); use gnn4j recommend"), predict.err());
  }

  @Test
  void recommendOnANodeClassifierIsOneLine(@TempDir Path tmp) {
    Path run = tmp.resolve("k");
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "2", "--out", run.toString(),
        "--threads", "1").code());
    CliRun r = CliRun.of("recommend", "--checkpoint", run.resolve("model.ckpt").toString(), "--user", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: recommend: ") && r.err().contains("is not a recommender")
        && r.err().strip().lines().count() == 1, r.err());
  }
}
