package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gnn4j attention} end to end on tiny trained checkpoints (a GAT on karate, a GPS on
 * MUTAG): the CSV's columns and its weights summing to 1 per target, layer and head; PNGs that
 * decode at their size; and every bad input one line naming what is valid, exit 1, no stack
 * trace.
 */
class AttentionCommandTest {
  @TempDir
  static Path tmp;
  static Path gat;
  static Path gps;
  static Path gcn;

  @BeforeAll
  static void train() throws Exception {
    gat = trained("karate-gat", """
        dataset: {name: karate}
        model: {layer: gat, layers: 2, hidden: 8, heads: 2, out_heads: 1, head: {type: conv}}
        train: {epochs: 5, seed: 0}
        """);
    gps = trained("mutag-gps", """
        dataset: {name: mutag, folds: 10, fold: 0}
        model:
          layer: gps_gin
          layers: 1
          hidden: 16
          heads: 2
          encoder: {node: linear}
          pooling: mean
          head: {type: mlp, layers: 2}
        train: {epochs: 1, batch_size: 64, seed: 0}
        """);
    gcn = trained("karate-gcn", """
        dataset: {name: karate}
        model: {layer: gcn, layers: 2, hidden: 8, head: {type: conv}}
        train: {epochs: 2, seed: 0}
        """);
  }

  private static Path trained(String name, String yaml) throws Exception {
    Path cfg = tmp.resolve(name + ".yaml");
    Files.writeString(cfg, yaml);
    Path run = tmp.resolve("run-" + name);
    CliRun t = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(),
        "--threads", "1");
    assertEquals(0, t.code(), t.err());
    return run.resolve("model.ckpt");
  }

  private static CliRun attention(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "attention";
    all[1] = "--threads";
    all[2] = "1";
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.of(all);
  }

  @Test
  void nodeNeighbourhoodCsvAndDrawings() throws Exception {
    Path out = tmp.resolve("node-out");
    CliRun r = attention("--checkpoint", gat.toString(), "--node", "0", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("attention.csv"));
    assertEquals("source,target,layer,head,weight", lines.get(0));
    Map<String, Double> sums = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertEquals(5, f.length, line);
      double w = Double.parseDouble(f[4]);
      assertTrue(w >= 0 && w <= 1, line);
      sums.merge(f[1] + "/" + f[2] + "/" + f[3], w, Double::sum);
    }
    // layers 0 and 1, heads 0-1 of layer 0 and head 0 of layer 1, around node 0 (degree 16)
    assertTrue(sums.containsKey("0/0/1") && sums.containsKey("0/1/0"), sums.keySet().toString());
    assertFalse(sums.containsKey("0/1/1"), "the output layer has one head");
    for (var e : sums.entrySet()) assertEquals(1.0, e.getValue(), 1e-4, "sum into " + e.getKey());
    assertPng(out.resolve("layer0_graph.png"), 1100, 820);
    assertPng(out.resolve("layer1_graph.png"), 1100, 820);
    assertTrue(r.out().contains("\"rows\":" + (lines.size() - 1)), r.out());
  }

  @Test
  void aHeadOnlySomeLayersHaveDrawsThoseLayers() throws Exception {
    Path out = tmp.resolve("head-out");
    CliRun r = attention("--checkpoint", gat.toString(), "--node", "2", "--head", "1", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertPng(out.resolve("layer0_head1_graph.png"), 1100, 820);
    assertFalse(Files.exists(out.resolve("layer1_head1_graph.png")));
    assertTrue(r.err().contains("layer 1 has 1 head, no head 1: not drawn"), r.err());
  }

  @Test
  void graphHeatMapOfGlobalAttention() throws Exception {
    Path out = tmp.resolve("graph-out");
    CliRun r = attention("--checkpoint", gps.toString(), "--graph", "3", "--head", "1", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("attention.csv"));
    int rows = lines.size() - 1;
    int n = (int) Math.round(Math.sqrt(rows / 2.0));
    assertEquals(2 * n * n, rows, "all pairs of the graph's nodes, 2 heads");
    assertPng(out.resolve("layer0_head1_heatmap.png"), 760, 700);
    assertPng(out.resolve("layer0_head1_graph.png"), 1100, 820);
  }

  @Test
  void badInputIsOneLineNamingWhatIsValid() throws Exception {
    String g = gat.toString();
    assertBad("valid: 0..33", "--checkpoint", g, "--node", "34", "--out", fresh());
    assertBad("valid: 0, 1", "--checkpoint", g, "--node", "1", "--layer", "2", "--out", fresh());
    assertBad("--head 2 does not exist (layer 0 has 2 heads, layer 1 has 1 head; heads count"
        + " from 0)", "--checkpoint", g, "--node", "1", "--head", "2", "--out", fresh());
    assertBad("--head 1 does not exist (layer 1 has 1 head;", "--checkpoint", g, "--node", "1",
        "--layer", "1", "--head", "1", "--out", fresh());
    assertBad("give --node V with V in 0..33", "--checkpoint", g, "--graph", "0", "--out", fresh());
    assertBad("give --graph I with I in 0..187", "--checkpoint", gps.toString(), "--node", "0",
        "--out", fresh());
    assertBad("--graph 188 is outside the data (valid: 0..187)", "--checkpoint", gps.toString(),
        "--graph", "188", "--out", fresh());
    assertBad("has no attention layers", "--checkpoint", gcn.toString(), "--node", "0", "--out",
        fresh());
    assertBad("--node must be an integer (got 'x')", "--checkpoint", g, "--node", "x", "--out",
        fresh());
    assertBad("give exactly one of --graph I", "--checkpoint", g, "--out", fresh());
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("mine.txt"), "keep");
    assertBad("is not empty", "--checkpoint", g, "--node", "0", "--out", full.toString());
    assertEquals("keep", Files.readString(full.resolve("mine.txt")));
  }

  private static int fresh = 0;

  private static String fresh() {
    return tmp.resolve("bad-" + fresh++).toString();
  }

  private static void assertBad(String expected, String... args) {
    CliRun r = attention(args);
    assertEquals(1, r.code(), r.err());
    String err = r.err().strip();
    assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
    assertEquals(1, err.lines().filter(l -> l.startsWith("gnn4j: attention")).count(), err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), err);
  }

  private static void assertPng(Path file, int width, int height) throws Exception {
    BufferedImage img = ImageIO.read(file.toFile());
    assertNotNull(img, file + " is not a readable image");
    assertEquals(width, img.getWidth(), file.toString());
    assertEquals(height, img.getHeight(), file.toString());
  }
}
