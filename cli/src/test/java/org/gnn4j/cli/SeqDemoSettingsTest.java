package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gnn4j.cli.SeqDemoSettings.Stage;
import org.junit.jupiter.api.Test;

class SeqDemoSettingsTest {
  private static SeqDemoSettings parse(String... argv) {
    String[] all = new String[argv.length + 1];
    all[0] = "seq-demo";
    System.arraycopy(argv, 0, all, 1, argv.length);
    return SeqDemoSettings.parse(new Args("seq-demo", all, 1));
  }

  /** Runs seq-demo in sparse mode with {@code argv}; asserts it fails naming {@code expected}. */
  private static void rejects(String expected, String... argv) {
    String[] all = new String[argv.length + 3];
    all[0] = "seq-demo";
    all[1] = "--mode";
    all[2] = "sparse";
    System.arraycopy(argv, 0, all, 3, argv.length);
    CliRun r = CliRun.of(all);
    assertEquals(1, r.code(), "expected a failure for " + List.of(argv) + ", got " + r.out());
    assertTrue(r.err().contains(expected), "message should name '" + expected + "': " + r.err());
    assertTrue(r.out().isEmpty(), "nothing trained: " + r.out());
  }

  @Test
  void defaultsAreValidAndEndAtTheFullLength() {
    SeqDemoSettings s = parse();
    s.validate();
    assertEquals(List.of(new Stage(64, 150), new Stage(512, 30), new Stage(4096, 1)), s.stages());
    assertEquals(181, s.totalSteps());
  }

  @Test
  void childArgumentsReproduceTheSettings() {
    SeqDemoSettings s = parse("--length", "256", "--curriculum", "64x10", "--batch", "3",
        "--warmup", "5", "--lr", "0.02", "--heads", "2");
    List<String> argv = s.argv("sparse");
    SeqDemoSettings back = SeqDemoSettings.parse(
        new Args("seq-demo", argv.toArray(String[]::new), 1));
    assertEquals(s, back);
  }

  @Test
  void noCurriculumTrainsOnlyAtTheFullLength() {
    assertEquals(List.of(new Stage(128, 7)),
        parse("--length", "128", "--steps", "7", "--curriculum", "none").stages());
  }

  @Test
  void rejectsAWindowLargerThanTheSequence() {
    rejects("--window must be in [1, length 64] (got 65)", "--length", "64", "--window", "65",
        "--curriculum", "none", "--warmup", "0");
    rejects("--curriculum stage 32x10: --window must be in [1, length 32] (got 33)",
        "--length", "128", "--curriculum", "32x10", "--window", "33");
  }

  @Test
  void rejectsCurriculumStagesThatDoNotFit() {
    rejects("a curriculum length must be at most --length 256", "--length", "256");
    rejects("must be LENGTHxSTEPS", "--curriculum", "64-150");
    rejects("two integers (got 'many')", "--curriculum", "64xmany");
    rejects("--curriculum stage 64x-1: steps must be >= 0", "--curriculum", "64x-1");
  }

  @Test
  void rejectsBadTrainingSettings() {
    rejects("--warmup must be in [0, 12]", "--length", "128", "--curriculum", "64x10",
        "--steps", "2", "--window", "9", "--warmup", "20");
    rejects("--batch must be >= 1 (got 0)", "--batch", "0");
    rejects("--lr must be a positive number", "--lr", "-1");
    rejects("--lr must be a number (got 'fast')", "--lr", "fast");
    rejects("--dim must be a positive multiple of --heads (got dim 30, heads 4)", "--dim", "30");
    rejects("--steps must be >= 0 (got -3)", "--steps", "-3");
    rejects("--mode must be both, full or sparse (got 'half')", "--mode", "half");
  }

  @Test
  void rejectsSequencesTooShortForTheQueries() {
    rejects("--length 16: the length must be >= 4 x --queries = 20", "--length", "16",
        "--queries", "5", "--curriculum", "none", "--window", "3", "--warmup", "0");
  }

  @Test
  void rejectsBigBirdLengthsThatDoNotFitItsBlocks() {
    rejects("bigbird needs the length to be a multiple of blockSize --block 64",
        "--pattern", "bigbird", "--length", "4000", "--curriculum", "none", "--warmup", "0");
    rejects("bigbird needs at least 6 blocks of --block 16", "--pattern", "bigbird",
        "--length", "512", "--block", "16", "--curriculum", "64x10");
  }

  @Test
  void lshSizesItsBucketsByChunkAndRejectsBadRounds() {
    rejects("--rounds must be >= 1 (got 0)", "--pattern", "lsh", "--rounds", "0");
    rejects("lsh needs a chunk size --block >= 1 (got 0)", "--pattern", "lsh", "--block", "0");
    SeqDemoSettings s = parse("--pattern", "lsh", "--block", "64");
    s.validate();
    assertEquals(64, s.lshChunk(4096));
    assertEquals(64, s.lshBuckets(4096));
    assertEquals(2, s.lshBuckets(64));
    assertEquals(48, s.lshChunk(48));
    assertEquals(10, s.lshBuckets(600));
  }
}
