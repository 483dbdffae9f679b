package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gnn4j bench --serve}: one JSON line with the field names PyG's side prints, from a
 * config (random weights) or a trained model.ckpt; a node-level model is refused in one line.
 * Few calls: the figures themselves are measured by hand, never in tests.
 */
class ServeBenchTest {
  private static final List<String> PYG_FIELDS = List.of("latency_ms_p50", "latency_ms_p99",
      "latency_ms_p999", "batch_molecules_per_s", "threads", "peak_rss_mb");

  private static Map<?, ?> line(CliRun r) {
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), r.out());
    return (Map<?, ?>) Json.parse(lines.get(0), "bench output");
  }

  private static void assertSane(Map<?, ?> m) {
    for (String f : PYG_FIELDS) assertTrue(m.containsKey(f), f + " missing: " + m);
    double p50 = ((Number) m.get("latency_ms_p50")).doubleValue();
    double p99 = ((Number) m.get("latency_ms_p99")).doubleValue();
    double p999 = ((Number) m.get("latency_ms_p999")).doubleValue();
    assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999, m.toString());
    assertTrue(((Number) m.get("batch_molecules_per_s")).doubleValue() > 0, m.toString());
    assertEquals(1, ((Number) m.get("threads")).intValue());
  }

  @Test
  void aConfigServesWithPygsFieldNames() {
    Map<?, ?> m = line(CliRun.of("bench", "--serve", "mutag-gin", "--calls", "50", "--warmup", "5",
        "--batch", "4", "--batches", "2", "--threads", "1"));
    assertSane(m);
    assertEquals(50, ((Number) m.get("calls")).intValue());
    assertEquals(4, ((Number) m.get("batch")).intValue());
  }

  @Test
  void aTrainedCheckpointServesToo(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "mutag-gin", "--epochs", "1", "--out", run.toString(),
        "--threads", "1");
    assertEquals(0, t.code(), t.err());
    String ckpt = run.resolve("model.ckpt").toString();
    Map<?, ?> m = line(CliRun.of("bench", "--serve", ckpt, "--calls", "20", "--warmup", "0",
        "--batch", "3", "--batches", "1", "--threads", "1"));
    assertSane(m);
    assertEquals(ckpt, m.get("serve"));
  }

  @Test
  void aNodeLevelModelIsOneLine() {
    CliRun r = CliRun.of("bench", "--serve", "karate-gcn", "--calls", "5");
    assertEquals(1, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--serve times a graph-level model"), r.err());
    assertFalse(r.err().contains("\tat "));
  }
}
