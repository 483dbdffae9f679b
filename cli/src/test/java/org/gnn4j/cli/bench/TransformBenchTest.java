package org.gnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.gnn4j.cli.CliException;
import org.junit.jupiter.api.Test;

class TransformBenchTest {
  private static String run(String... argv) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, BenchCommand.run(argv, out));
    return bytes.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  void lappeLineHasTheSharedFields() {
    String line = run("bench", "--transform", "lappe", "--size", "cora", "--k", "4",
        "--threads", "1");
    for (String f : new String[] {"\"transform\":\"lappe\"", "\"size\":\"cora\"", "\"ms\":",
        "\"peak_rss_mb\":", "\"max_residual\":", "\"status\":\"ok\"", "\"valid\":4"}) {
      assertTrue(line.contains(f), f + " missing in " + line);
    }
    var m = java.util.regex.Pattern.compile("\"max_residual\":([0-9.Ee+-]+)").matcher(line);
    assertTrue(m.find(), line);
    assertTrue(Double.parseDouble(m.group(1)) <= 1e-4, "the default tolerance is the target's 1e-4: " + line);
  }

  @Test
  void rwseLineHasMethodAndError() {
    String line = run("bench", "--transform", "rwse", "--size", "cora", "--k", "6",
        "--method", "estimated");
    for (String f : new String[] {"\"method\":\"estimated\"", "\"max_abs_error\":", "\"ms\":"}) {
      assertTrue(line.contains(f), f + " missing in " + line);
    }
  }

  @Test
  void rejectsUnknownTransform() {
    var e = assertThrows(CliException.class,
        () -> run("bench", "--transform", "magic", "--size", "cora"));
    assertTrue(e.getMessage().contains("unknown --transform 'magic'"), e.getMessage());
  }
}
