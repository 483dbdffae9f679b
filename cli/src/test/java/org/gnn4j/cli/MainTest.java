package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void helpListsCommands() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("train") && r.out().contains("bench"), r.out());
  }

  @Test
  void unknownCommandIsOneLineAndNonZero() {
    CliRun r = CliRun.of("trian");
    assertEquals(1, r.code());
    assertTrue(r.err().strip().startsWith("gnn4j: unknown command 'trian' (valid: train, "), r.err());
    assertEquals(1, r.err().strip().lines().count());
  }

  @Test
  void unknownBenchKernelListsValidOnes() {
    CliRun r = CliRun.of("bench", "--kernel", "nope");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("gnn4j: bench: unknown --kernel 'nope' (valid: "), r.err());
  }

  @Test
  void unknownOptionIsNamed() {
    CliRun r = CliRun.of("train", "--epochs", "1", "--hiden", "8");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown option --hiden"), r.err());
  }
}
