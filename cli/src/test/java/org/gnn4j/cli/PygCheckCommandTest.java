package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PygCheckCommandTest {
  private static Path copy(Path dir, String stem) throws IOException {
    Path p = dir.resolve(stem + ".safetensors");
    try (InputStream in = PygCheckCommandTest.class.getResourceAsStream("/fixtures/" + stem + ".safetensors")) {
      Files.write(p, in.readAllBytes());
    }
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gcn_g1", "gps_train_g2", "transformer_edge_g2", "gps_performer_train_g2",
      "resgated_edge_g2"})
  void fixturesOfThePygFormatCheckOk(String stem, @TempDir Path dir) throws IOException {
    CliRun r = CliRun.of("pyg-check", copy(dir, stem).toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\"ok\":true") && r.out().contains("\"out_max_abs\""), r.out());
    assertTrue(r.out().contains("grad.param."), r.out());
  }

  @Test
  void aWrongOutputIsReportedNotOk(@TempDir Path dir) throws IOException {
    Path p = copy(dir, "gcn_g1");
    byte[] b = Files.readAllBytes(p);
    b[b.length - 1] ^= 0x40;      // flips a bit of the last stored float
    Files.write(p, b);
    CliRun r = CliRun.of("pyg-check", p.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("\"ok\":false"), r.out());
  }

  @Test
  void truncatedFileIsOneClearLine(@TempDir Path dir) throws IOException {
    Path p = copy(dir, "gcn_g1");
    byte[] b = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(b, b.length - 100));
    CliRun r = CliRun.of("pyg-check", p.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: " + p) && r.err().contains("truncated"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
