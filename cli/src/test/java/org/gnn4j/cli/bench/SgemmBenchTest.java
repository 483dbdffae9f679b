package org.gnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.junit.jupiter.api.Test;

/** The sgemm benchmark's line on tiny sizes (no timing asserted), its options and its errors. */
class SgemmBenchTest {
  private static String run(String... argv) {
    String[] full = new String[argv.length + 1];
    full[0] = "bench";
    System.arraycopy(argv, 0, full, 1, argv.length);
    JsonLine line = new SgemmBench().run(new Args("bench", full, 1));
    return line == null ? null : line.toString();
  }

  @Test
  void printsOneLineWithTheReferenceComparison() {
    String line = run("--n", "48", "--threads", "2", "--warmup", "0", "--repeats", "3");
    for (String key : new String[] {"\"kernel\":\"sgemm\"", "\"n\":48", "\"threads\":2",
        "\"species\":", "\"gflops\":", "\"ms_median\":", "\"reference\":", "\"ratio\":"}) {
      assertTrue(line.contains(key), key + " missing in " + line);
    }
    // OpenBLAS is on the CLI class path, so the reference ran and agreed with gnn4j
    assertTrue(line.contains("\"reference\":\"openblas "), line);
    assertTrue(line.contains("\"max_abs_diff\":0.00"), line);
  }

  @Test
  void withoutReferenceSaysWhy() {
    String line = run("--n", "20", "--m", "7", "--k", "33", "--threads", "1", "--warmup", "0",
        "--repeats", "1", "--no-reference");
    assertTrue(line.contains("\"reference\":null"), line);
    assertTrue(line.contains("\"reference_error\":\"skipped (--no-reference)\""), line);
  }

  @Test
  void helpDeclaresOptionsWithoutRunning() {
    assertNull(run("--help"));
  }

  @Test
  void rejectsBadSizesAndUnknownKernels() {
    var e = assertThrows(CliException.class, () -> run("--n", "0", "--no-reference"));
    assertTrue(e.getMessage().contains("bench sgemm"), e.getMessage());
    e = assertThrows(CliException.class, () -> run("--kernels", "gpu", "--no-reference"));
    assertTrue(e.getMessage().contains("gpu"), e.getMessage());
    e = assertThrows(CliException.class, () -> run("--typo", "1"));
    assertTrue(e.getMessage().contains("--typo"), e.getMessage());
  }
}
