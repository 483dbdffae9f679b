package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsCommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("train") && r.out().contains("bench"), r.out());
  }

  @Test
  void unknownCommandIsOneLineAndNonZero() {
    Run r = run("trian");
    assertEquals(1, r.code());
    assertEquals("gnn4j: unknown command 'trian' (valid: train, bench, pyg-check, help)", r.err().strip());
  }

  @Test
  void unknownBenchKernelListsValidOnes() {
    Run r = run("bench", "--kernel", "nope");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: bench: unknown --kernel 'nope' (valid: "), r.err());
  }

  @Test
  void unknownOptionIsNamed() {
    Run r = run("train", "--epochs", "1", "--hiden", "8");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown option --hiden"), r.err());
  }
}
