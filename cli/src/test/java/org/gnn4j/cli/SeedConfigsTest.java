package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.GraphDatasetWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped configs of the seeds' graph transformers train end to end for 2 epochs, each on
 * the first 24 molecules of the ZINC subset (the full runs are the lead's, not a unit test),
 * and configs that pair a layer with an option it does not take stop with one line.
 */
class SeedConfigsTest {
  @TempDir
  static Path tmp;
  private static Path zinc24;

  @BeforeAll
  static void sliceZinc() {
    GraphDataset d = Datasets.graph("zinc_subset");
    int g = 24;
    int n = d.nodeStart()[g];
    int e = d.edgeStart()[g];
    GraphDataset s = new GraphDataset("zinc24", Arrays.copyOf(d.nodeStart(), g + 1),
        Arrays.copyOf(d.edgeStart(), g + 1), Arrays.copyOf(d.src(), e), Arrays.copyOf(d.dst(), e),
        Arrays.copyOf(d.nodeLabels(), n), d.numNodeLabels(), null, 0,
        Arrays.copyOf(d.edgeLabels(), e), d.numEdgeLabels(), null, Arrays.copyOf(d.target(), g),
        0, IntStream.range(0, 16).toArray(), IntStream.range(16, 20).toArray(),
        IntStream.range(20, 24).toArray());
    zinc24 = tmp.resolve("zinc24");
    GraphDatasetWriter.write(s, zinc24);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zinc-graph-transformer", "zinc-graphormer", "zinc-transformer", "zinc-gn"})
  void shippedConfigTrainsForTwoEpochs(String config) {
    CliRun r = CliRun.of("train", "--config", config, "--data", zinc24.toString(), "--epochs", "2",
        "--no-files", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("{") && last.contains("\"epochs\":2") && last.contains("\"test_mae\""), last);
    double mae = Double.parseDouble(last.replaceAll(".*\"test_mae\":([0-9.eE+-]+).*", "$1"));
    assertTrue(Double.isFinite(mae) && mae > 0, last);
    assertTrue(Configs.SHIPPED.contains(config));
  }

  @Test
  void aLayerWithAnOptionItDoesNotTakeIsOneLine() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, """
        dataset: {name: mutag, folds: 4}
        model:
          layer: gin
          pattern: complete
          encoder: {node: linear}
          pooling: sum
        """);
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertTrue(err.contains(cfg + ":4: 'model.pattern'") && err.contains("valid pattern: complete, graph"), err);
    assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), err);
    assertTrue(r.out().isEmpty(), r.out());
  }

  @Test
  void zincBestTrainsWithItsCycleCounts() {
    // its 5 warm-up epochs must fit in the run
    CliRun r = CliRun.of("train", "--config", "zinc-best", "--data", zinc24.toString(), "--epochs", "5",
        "--no-files", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("134721 parameters"), r.err());
    String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.contains("\"epochs\":5") && last.contains("\"test_mae\""), last);
  }

  @Test
  void cycleCountsWithLaplacianEncodingsAreOneLine() throws Exception {
    Path cfg = tmp.resolve("cycles.yaml");
    Files.writeString(cfg, """
        dataset: {name: mutag, folds: 4}
        model:
          layer: gin
          encoder: {node: linear, pe: lap, pe_k: 4, cycles: 8}
          pooling: sum
        """);
    CliRun r = CliRun.of("train", "--config", cfg.toString(), "--no-files");
    assertEquals(1, r.code());
    String err = r.err().strip();
    assertTrue(err.contains(cfg + ":4: 'model.encoder.cycles'") && err.contains("valid cycles: 0 for none, or 3 to 16"), err);
    assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), err);
  }

  @Test
  void aGraphTokenOnANodeTaskAndAnEncodingWiderThanTheSmallestGraphAreOneLine() throws Exception {
    Path token = tmp.resolve("token.yaml");
    Files.writeString(token, """
        dataset: {name: karate}
        model:
          layer: gcn
          graph_token: true
          encoder: {node: linear}
        """);
    CliRun r = CliRun.of("train", "--config", token.toString(), "--no-files");
    assertEquals(1, r.code());
    assertTrue(r.err().contains(token + ":4: 'model.graph_token'") && r.err().contains("node-level"),
        r.err());
    Path wide = tmp.resolve("wide.yaml");
    Files.writeString(wide, """
        dataset: {name: mutag, folds: 4}
        model:
          layer: gin
          encoder:
            node: linear
            pe: lap
            pe_k: 11
          pooling: sum
        """);
    r = CliRun.of("train", "--config", wide.toString(), "--no-files");
    assertEquals(1, r.code());
    assertTrue(r.err().contains(wide + ":7: 'model.encoder.pe_k'")
        && r.err().contains("valid pe_k: 1 to 10"), r.err());
  }
}
