package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gnn4j.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
  @Test
  void aLightGcnCheckpointEmbedsUsersThenItemsAsCsvAndSafetensors(@TempDir Path tmp) throws Exception {
    Path ckpt = RecommendCommandTest.trainedRecommender(tmp).resolve("model.ckpt");
    Path csv = tmp.resolve("e.csv");
    CliRun c = CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", csv.toString(), "--threads", "1");
    assertEquals(0, c.code(), c.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(1 + 12 + 20, lines.size());           // header, 12 users, 20 items
    assertTrue(lines.get(0).startsWith("id,type,original_id,e0,") && lines.get(0).endsWith(",e7"), lines.get(0));
    assertTrue(lines.get(1).startsWith("0,user,1,"), lines.get(1));
    assertTrue(lines.get(13).startsWith("12,item,1,"), lines.get(13));
    assertEquals(3 + 8, lines.get(5).split(",").length);
    Path st = tmp.resolve("e.safetensors");
    CliRun s = CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", st.toString(), "--threads", "1");
    assertEquals(0, s.code(), s.err());
    Safetensors t = Safetensors.read(st);
    Safetensors.Entry e = t.get("embeddings");
    assertArrayEquals(new int[] {32, 8}, e.shape());
    String[] row5 = lines.get(6).split(",");
    for (int c2 = 0; c2 < 8; c2++) assertEquals(Float.parseFloat(row5[3 + c2]), e.floats()[5 * 8 + c2]);
    assertArrayEquals(new int[] {12}, t.get("user_ids").shape());
    assertEquals(20L, t.get("item_ids").longs()[19]);
  }

  @Test
  void aNodeClassifierEmbedsWhatItsOutputLayerReads(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("k");
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "2", "--out", run.toString(),
        "--threads", "1").code());
    Path csv = tmp.resolve("k.csv");
    CliRun c = CliRun.of("embed", "--checkpoint", run.resolve("model.ckpt").toString(), "--out", csv.toString());
    assertEquals(0, c.code(), c.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(35, lines.size());                    // karate: 34 nodes
    int hidden = lines.get(0).split(",").length - 1;
    assertEquals(16, hidden, lines.get(0));            // karate-gcn's hidden width, not its 2 class scores
    assertTrue(c.out().contains("\"rows\":34") && c.err().contains("the input of the output layer 2"), c.out() + c.err());
  }

  @Test
  void anInputOrAnExistingFileIsNeverOverwrittenUnasked(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("k");
    assertEquals(0, CliRun.of("train", "--config", "karate-gcn", "--epochs", "2", "--out", run.toString(),
        "--threads", "1").code());
    Path ckpt = run.resolve("model.ckpt");
    byte[] before = Files.readAllBytes(ckpt);
    CliRun input = CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", ckpt.toString());
    assertEquals(1, input.code());
    assertTrue(input.err().contains("would overwrite an input"), input.err());
    CliRun forced = CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", ckpt.toString(), "--force");
    assertEquals(1, forced.code());
    assertArrayEquals(before, Files.readAllBytes(ckpt));
    Path mine = tmp.resolve("mine.csv");
    Files.writeString(mine, "keep me\n");
    CliRun exists = CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", mine.toString());
    assertEquals(1, exists.code());
    assertEquals("gnn4j: embed: --out " + mine + " exists; add --force to replace it, or choose another path\n", exists.err());
    assertEquals("keep me\n", Files.readString(mine));
    assertEquals(0, CliRun.of("embed", "--checkpoint", ckpt.toString(), "--out", mine.toString(), "--force").code());
    assertTrue(Files.readString(mine).startsWith("id,e0,"));
    try (var left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }
}
