package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir
  static Path tmp;
  static String ckpt;

  @BeforeAll
  static void train() {
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "karate-gcn", "--epochs", "30", "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    ckpt = run.resolve("model.ckpt").toString();
  }

  @Test
  void everyMethodWritesCsvAndPicture() throws Exception {
    for (String method : List.of("gnnexplainer", "saliency", "ig")) {
      Path out = tmp.resolve("ex-" + method);
      CliRun r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "5", "--method", method,
          "--epochs", "30", "--out", out.toString(), "--threads", "1");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("\"method\":\"" + method + "\""), r.out());
      List<String> edges = Files.readAllLines(out.resolve("edges.csv"));
      assertEquals("edge,src,dst,importance", edges.get(0));
      assertTrue(edges.size() > 2, method + ": edges with importance");
      assertTrue(Files.size(out.resolve("explanation.png")) > 1000);
      assertTrue(Files.exists(out.resolve("features.csv")));
    }
  }

  @Test
  void attentionExplainsATransformerConvModelWithoutFidelity() throws Exception {
    Path cfg = tmp.resolve("karate-transformer.yaml");
    Files.writeString(cfg, "dataset: {name: karate}\nmodel: {layer: transformer, layers: 2, hidden: 8,"
        + " heads: 2, head: {type: conv}}\noptim: {name: adam, lr: 0.01}\ntrain: {epochs: 20, seed: 0}\n");
    Path run = tmp.resolve("run-transformer");
    CliRun t = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--threads", "1");
    assertEquals(0, t.code(), t.err());
    Path out = tmp.resolve("ex-attention");
    CliRun r = CliRun.of("explain", "--checkpoint", run.resolve("model.ckpt").toString(), "--node",
        "5", "--method", "attention", "--out", out.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"method\":\"attention\"") && !r.out().contains("fidelity"), r.out());
    List<String> edges = Files.readAllLines(out.resolve("edges.csv"));
    assertTrue(edges.size() > 2, "edges with a weight: " + edges);
    for (String line : edges.subList(1, edges.size())) {
      double w = Double.parseDouble(line.split(",")[3]);
      assertTrue(w > 0 && w <= 1, line);
    }
    assertTrue(Files.size(out.resolve("explanation.png")) > 1000);
  }

  @Test
  void badInputIsOneLineNamingWhatIsValid() {
    String out = tmp.resolve("bad").toString();
    CliRun r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "34", "--out", out);
    assertEquals(1, r.code());
    assertEquals("gnn4j: node 34 is outside the data (valid: 0 to 33)", r.err().strip(), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "-1", "--out", out);
    assertTrue(r.err().contains("valid: 0 to 33"), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "1", "--graph", "0", "--out", out);
    assertTrue(r.err().contains("exactly one of --node"), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--graph", "0", "--out", out);
    assertTrue(r.err().contains("--graph needs a graph-level model"), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "1", "--method", "lime", "--out", out);
    assertTrue(r.err().contains("valid: gnnexplainer, saliency, ig, attention"), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "1", "--method", "attention", "--out", out);
    assertTrue(r.err().contains("reads attention over the graph's edges"), r.err());
    r = CliRun.of("explain", "--checkpoint", ckpt, "--node", "x", "--out", out);
    assertTrue(r.err().contains("--node must be an integer"), r.err());
    for (CliRun any : List.of(r)) {
      assertEquals(1, any.err().strip().lines().count(), any.err());
      assertFalse(any.err().contains("\tat "), "no stack trace");
    }
  }

  @Test
  void benchExplainBashapesPrintsTheTasksFigures() {
    CliRun r = CliRun.of("bench", "--task", "explain-bashapes", "--seed", "3", "--epochs", "30",
        "--explainer-epochs", "10", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    for (String key : List.of("test_accuracy", "explanation_auc", "ms_per_node", "fidelity_plus",
        "fidelity_minus", "nodes_explained\":60", "generated-seed3")) {
      assertTrue(r.out().contains(key), key + " in " + r.out());
    }
    CliRun bad = CliRun.of("bench", "--task", "explain-cora");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("valid: explain-bashapes"), bad.err());
    bad = CliRun.of("bench", "--task", "explain-bashapes", "--graph", "mine");
    assertTrue(bad.err().contains("valid: reference, generated"), bad.err());
  }

  @Test
  void depthSweepRefusesBadDepthsAndOtherTasks() {
    CliRun r = CliRun.of("depth-sweep", "--config", "karate-gcn", "--depths", "2,0");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("each depth must be in 1..64 (got 0 in --depths)"), r.err());
    r = CliRun.of("depth-sweep", "--config", "karate-gcn", "--depths", "2,x");
    assertTrue(r.err().contains("--depths must be integers"), r.err());
    r = CliRun.of("depth-sweep", "--depths", "2");
    assertTrue(r.err().contains("--config FILE is required"), r.err());
  }

  @Test
  void depthSweepWritesSummaryAndChart() throws Exception {
    Path out = tmp.resolve("sweep");
    CliRun r = CliRun.of("depth-sweep", "--config", "karate-gcn", "--depths", "1,3", "--epochs", "5",
        "--out", out.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    String json = Files.readString(out.resolve("depth-sweep.json"));
    assertTrue(json.contains("\"depth\":3") && json.contains("dirichlet_last"), json);
    assertTrue(Files.size(out.resolve("depth-sweep.png")) > 1000);
    CliRun again = CliRun.of("depth-sweep", "--config", "karate-gcn", "--depths", "1", "--epochs", "1",
        "--out", out.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already holds a sweep"), again.err());
  }
}
