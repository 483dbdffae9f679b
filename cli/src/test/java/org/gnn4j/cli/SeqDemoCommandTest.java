package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqDemoCommandTest {
  @Test
  void helpListsTheOptions() {
    CliRun r = CliRun.of("seq-demo", "--help");
    assertEquals(0, r.code());
    for (String o : new String[] {"--length", "--steps", "--seed", "--pattern", "4096"}) {
      assertTrue(r.out().contains(o), o + " missing in " + r.out());
    }
    assertTrue(CliRun.of("--help").out().contains("seq-demo"), "usage names seq-demo");
  }

  @Test
  void eachModeTrainsAtATinyLengthAndPrintsItsJsonLine() {
    for (String[] mode : new String[][] {{"full", "longformer"}, {"sparse", "longformer"},
        {"sparse", "bigbird"}, {"sparse", "lsh"}}) {
      CliRun r = CliRun.of("seq-demo", "--mode", mode[0], "--pattern", mode[1], "--length", "64",
          "--steps", "3", "--eval", "2", "--window", "5", "--block", "8", "--layers", "2",
          "--threads", "1", "--curriculum", "none", "--warmup", "0");
      assertEquals(0, r.code(), r.err());
      String line = r.out().strip();
      assertTrue(line.startsWith("{") && line.contains("\"mode\":\"" + mode[0] + "\"")
          && line.contains("\"status\":\"ok\"") && line.contains("\"peak_rss_mb\"")
          && line.contains("\"accuracy\""), line);
      double edges = SeqDemoCommand.number(line, "edges");
      if (mode[0].equals("full")) assertEquals(64 * 64, edges, line);
      else assertTrue(edges > 0 && edges < 64 * 64, line);
    }
  }

  @Test
  void sparseModelLearnsAShortInstanceOfTheTask() {
    // The default recipe (4 heads, batches of 8, warm-up then cosine decay) at length 64: the
    // marked token is 1 to 63 positions before the query; chance is 1/8.
    for (String seed : new String[] {"1", "2"}) {
      CliRun r = CliRun.of("seq-demo", "--mode", "sparse", "--length", "64", "--curriculum",
          "none", "--steps", "100", "--window", "9", "--eval", "32", "--threads", "1",
          "--seed", seed);
      assertEquals(0, r.code(), r.err());
      double accuracy = SeqDemoCommand.number(r.out(), "accuracy");
      assertTrue(accuracy >= 0.9, "seed " + seed + ": accuracy " + accuracy + " in " + r.out());
      assertTrue(SeqDemoCommand.number(r.out(), "final_loss") < 0.3, r.out());
    }
  }

  @Test
  void sameSeedSameRun() {
    String[] args = {"seq-demo", "--mode", "sparse", "--length", "48", "--steps", "4", "--eval",
        "3", "--window", "3", "--threads", "1", "--curriculum", "none", "--warmup", "0"};
    String a = CliRun.of(args).out();
    String b = CliRun.of(args).out();
    assertEquals(SeqDemoCommand.number(a, "accuracy"), SeqDemoCommand.number(b, "accuracy"));
    assertEquals(SeqDemoCommand.number(a, "final_loss"), SeqDemoCommand.number(b, "final_loss"));
  }

  @Test
  void summaryComparesTheTwoLines() {
    String s = SeqDemoCommand.summary(
        "{\"mode\":\"full\",\"train_s\":8.0000,\"train_full_length_s\":6.0,"
            + "\"eval_s\":2.0000,\"accuracy\":0.9,\"peak_rss_mb\":800.0}",
        "{\"mode\":\"sparse\",\"train_s\":1.0000,\"train_full_length_s\":0.5,"
            + "\"eval_s\":0.3000,\"accuracy\":0.8,\"peak_rss_mb\":100.0}");
    assertEquals(0.125, SeqDemoCommand.number(s, "peak_rss_ratio"), 1e-9, s);
    assertEquals(0.13, SeqDemoCommand.number(s, "time_ratio"), 1e-9, s);
    assertEquals(0.1, SeqDemoCommand.number(s, "full_length_time_ratio"), 1e-9, s);
  }

  @Test
  void badOptionsAreNamed() {
    CliRun r = CliRun.of("seq-demo", "--mode", "sparse", "--pattern", "reformer");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--pattern"), r.err());
    CliRun b = CliRun.of("seq-demo", "--mode", "sparse", "--pattern", "bigbird", "--length", "100",
        "--block", "64", "--steps", "1", "--curriculum", "none", "--warmup", "0");
    assertEquals(1, b.code());
    assertTrue(b.err().contains("multiple of blockSize"), b.err());
  }
}
