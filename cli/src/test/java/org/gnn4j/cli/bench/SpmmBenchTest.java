package org.gnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpmmBenchTest {
  @Test
  void printsOneLineWithTheModelFields() {
    String[] argv = {"bench", "--kernel", "spmm", "--n", "50", "--e", "400", "--f", "9",
        "--threads", "2", "--warmup", "0", "--repeats", "1", "--copy-mb", "1", "--weighted"};
    var bytes = new java.io.ByteArrayOutputStream();
    assertEquals(0, BenchCommand.run(argv, new java.io.PrintStream(bytes, true)));
    String line = bytes.toString().strip();
    assertEquals(1, line.lines().count(), line);
    for (String key : new String[] {"\"kernel\":\"spmm\"", "\"n\":50", "\"e\":400", "\"f\":9",
        "\"threads\":2", "\"ms_median\":", "\"ms_min\":", "\"peak_rss_mb\":",
        "\"bandwidth_gbps\":", "\"bytes_moved\":", "\"bandwidth_bound_ms\":", "\"ratio\":"}) {
      assertTrue(line.contains(key), key + " missing from " + line);
    }
    // (n+1)*4 + e*4 + e*8 (edge ids + weights) + e * one 64-byte line + n*f*4
    assertTrue(line.contains("\"bytes_moved\":" + (51 * 4 + 400 * 4 + 400 * 8 + 400 * 64
        + 50 * 9 * 4)), line);
  }
}
