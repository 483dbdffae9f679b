package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqDemoAttentionMapTest {
  @TempDir Path tmp;

  @Test
  void eachLayerGetsAHeatMapAndEveryQueryRowOfTheCsvSumsToOne() throws IOException {
    Path dir = tmp.resolve("maps");
    CliRun r = CliRun.of("seq-demo", "--mode", "sparse", "--length", "64", "--steps", "2",
        "--eval", "1", "--window", "5", "--layers", "2", "--threads", "1", "--curriculum",
        "none", "--warmup", "0", "--attention-map", dir.toString(), "--attention-length", "32");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("seq-sparse-layer0_heatmap.png seq-sparse-layer1_heatmap.png"
        + " seq-sparse-attention.csv"), r.out());
    for (int l = 0; l < 2; l++) {
      var img = ImageIO.read(dir.resolve("seq-sparse-layer" + l + "_heatmap.png").toFile());
      assertTrue(img.getWidth() > 500 && img.getHeight() > 500);
    }
    List<String> csv = Files.readAllLines(dir.resolve("seq-sparse-attention.csv"));
    assertEquals("source,target,layer,head,weight", csv.get(0));
    Map<String, Double> sums = new HashMap<>();
    Set<Integer> targets = new HashSet<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      int target = Integer.parseInt(f[1]);
      assertTrue(target >= 0 && target < 32, line);
      targets.add(target);
      sums.merge(f[1] + "/" + f[2] + "/" + f[3], Double.parseDouble(f[4]), Double::sum);
    }
    assertEquals(32, targets.size(), "every position is a query");
    assertEquals(32 * 2 * 4, sums.size(), "32 queries x 2 layers x 4 heads");
    for (var e : sums.entrySet()) assertEquals(1.0, e.getValue(), 1e-4, "query/layer/head " + e.getKey());
  }

  @Test
  void anAttentionLengthThePatternCannotTakeIsNamed() {
    CliRun r = CliRun.of("seq-demo", "--mode", "sparse", "--length", "64", "--steps", "1",
        "--curriculum", "none", "--warmup", "0", "--attention-map", tmp.resolve("m").toString(),
        "--attention-length", "2");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--attention-length must be in [4, 64]"), r.err());
  }
}
