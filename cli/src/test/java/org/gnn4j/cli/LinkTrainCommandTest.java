package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.gnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkTrainCommandTest {
  private static Map<?, ?> lastJson(CliRun r) {
    List<String> lines = r.out().lines().toList();
    return (Map<?, ?>) Json.parse(lines.get(lines.size() - 1), "stdout");
  }

  @Test
  void theShippedCoraLinkConfigTrainsEvaluatesAndIsNotPredicted(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("link");
    CliRun t = CliRun.of("train", "--config", "cora-link", "--epochs", "2", "--seed", "1", "--out", run.toString(),
        "--threads", "1");
    assertEquals(0, t.code(), t.err());
    Map<?, ?> m = lastJson(t);
    for (String k : new String[] {"test_auc", "test_ap", "test_mrr", "test_hits_at_20", "test_hits_at_50",
        "val_auc", "epoch_seconds_median"}) {
      assertTrue(m.get(k) instanceof Number, k + " in " + m);
    }
    assertEquals(1L, m.get("seed"));
    CliRun e = CliRun.of("eval", "--checkpoint", run.resolve("model.ckpt").toString(), "--threads", "1");
    assertEquals(0, e.code(), e.err());
    assertEquals(((Number) m.get("test_auc")).doubleValue(), ((Number) lastJson(e).get("test_auc")).doubleValue(), 1e-4);
    CliRun p = CliRun.of("predict", "--checkpoint", run.resolve("model.ckpt").toString(), "--out",
        tmp.resolve("p.csv").toString());
    assertEquals(1, p.code());
    assertTrue(p.err().strip().contains("is a link-prediction model"), p.err());
    assertEquals(1, p.err().strip().lines().count(), p.err());
  }

  @Test
  void aSplitFileWithAnEdgeThatIsNotInTheGraphIsOneLineNamingFileAndLine(@TempDir Path tmp) throws Exception {
    Path split = tmp.resolve("bad-seed0.tsv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(split))) {
      // 0-633 is a Cora edge, 0-1 is not
      o.write("train\t0\t633\t1\ntest\t0\t1\t1\ntest\t5\t6\t0\n".getBytes(StandardCharsets.UTF_8));
    }
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, """
        dataset: {name: cora}
        model: {layer: gcn, hidden: 8, head: {type: conv}}
        train: {objective: link, epochs: 1}
        link: {split: "%s"}
        """.formatted(tmp.resolve("bad-seed{seed}.tsv.gz").toString().replace("\\", "/")));
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertEquals("gnn4j: " + split + ":2: (0, 1) is labelled an edge but is not an edge of the graph", err);
  }
}
