package org.gnn4j.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spark train's bad input, all refused in one line before Spark starts. */
class TrainJobTest {
  static String fail(String... args) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainJob.run(args, sink, sink));
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void refusesUnknownOptionsAndMissingRequiredOnes() {
    assertEquals("spark train: unknown option '--bogus' (valid: --config, --data, --out, --workers, --epochs,"
        + " --batch, --fanouts, --seed, --timeout, --master)", fail("--config", "cora-gcn", "--bogus", "1"));
    assertEquals("spark train: --out is required (see gnn4j spark train --help)", fail("--config", "cora-gcn"));
    assertEquals("spark train: --workers must be >= 1 (got 0)",
        fail("--config", "cora-gcn", "--out", "x", "--workers", "0"));
    assertEquals("spark train: --fanouts must be integers separated by commas (got '10,x')",
        fail("--config", "cora-gcn", "--out", "x", "--fanouts", "10,x"));
  }

  @Test
  void refusesAConfigItCannotFindAndDataItCannotTrain(@TempDir Path dir) throws Exception {
    assertEquals("spark train: --config nope is neither a file nor a shipped config (see configs/)",
        fail("--config", "nope", "--out", "x"));
    assertEquals("spark train: --data nowhere is neither a directory nor an embedded dataset",
        fail("--config", "cora-gcn", "--data", "nowhere", "--out", "x"));
    assertTrue(fail("--config", "mutag-gin", "--out", "x").startsWith(
        "spark train: trains node classification on one graph, and mutag"), "graph collections");
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "dataset: {name: cora}\noptim: {schedule: plateau}\n");
    assertTrue(fail("--config", cfg.toString(), "--out", "x").contains("'optim.schedule': plateau"),
        "plateau needs a validation pass");
  }
}
