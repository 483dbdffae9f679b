package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmoothnessLogTest {
  @TempDir
  Path tmp;

  @Test
  void logSmoothnessPutsEachLayersEnergyAndMadIntoMetricsJsonl() throws Exception {
    Path cfg = tmp.resolve("c.yaml");
    Files.writeString(cfg, "dataset: {name: cora}\nmodel: {layer: gcn, layers: 3, hidden: 8, head: {type: conv}}\n"
        + "train: {epochs: 2, log_smoothness: true}\n");
    Path run = tmp.resolve("run");
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, lines.size());
    for (String key : List.of("val_dirichlet_l0", "val_dirichlet_l2", "val_mad_l0", "val_mad_l2")) {
      assertTrue(lines.get(1).contains("\"" + key + "\""), key + " in " + lines.get(1));
    }
  }

  @Test
  void logSmoothnessOnAGraphTaskIsRefusedAtItsKey() throws Exception {
    Path cfg = tmp.resolve("g.yaml");
    Files.writeString(cfg, "dataset: {name: mutag, folds: 10}\nmodel: {layer: gin, pooling: mean}\n"
        + "train: {epochs: 1, log_smoothness: true}\n");
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--out", tmp.resolve("g").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("log_smoothness") && r.err().contains("g.yaml"), r.err());
  }
}
