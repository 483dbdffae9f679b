package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Json;
import org.gnn4j.train.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory under the faults a user's machine has: a disk that fills up at any one of a
 * run's writes, a read-only directory, a second training into the same directory. Each ends in
 * one line and exit code 1, leaves what was saved before intact, and (for a full disk, once space
 * is freed) {@code --resume} ends exactly where a run without the fault ends.
 */
class RunDirectoryFaultsTest {
  private static final String CFG = """
      dataset: {name: karate}
      model: {layer: gcn, layers: 2, hidden: 8, dropout: 0.3}
      optim: {name: adam, lr: 0.01}
      train: {epochs: 3, seed: 3, checkpoint_seconds: 0}
      """;

  private record Outcome(int code, String out, String err) {
    /** The final JSON line's metrics without its wall times (whole run, median epoch). */
    Map<String, Object> metrics() {
      String[] lines = out.strip().split("\n");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new TreeMap<>((Map<String, Object>) Json.parse(lines[lines.length - 1], "stdout"));
      m.remove("seconds");
      m.remove("epoch_seconds_median");
      return m;
    }
  }

  private static Outcome train(Path runDir, boolean resume, boolean force) {
    Experiment exp = Experiment.of(ConfigNode.parse(CFG, "k.yaml"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.guarded(() -> TrainCommand.intoRunDirectory("train", exp, runDir, resume, force,
        1, o, e), e, false);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** metrics.jsonl without the wall times, which differ from run to run. */
  private static List<String> metricsLog(Path runDir) throws IOException {
    List<String> l = new ArrayList<>();
    for (String s : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      l.add(s.replaceAll(",\"seconds\":[0-9.eE+-]+", ""));
    }
    return l;
  }

  private static List<String> leftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tmp") || n.equals(RunLock.FILE)).toList();
    }
  }

  private static String oneLine(String err) {
    List<String> lines = err.lines().filter(l -> l.startsWith("gnn4j: ") && !l.startsWith("gnn4j: karate")
        && !l.startsWith("gnn4j: resumed") && !l.startsWith("gnn4j: wrote")).toList();
    assertEquals(1, lines.size(), err);
    assertFalse(err.contains("\tat "), err);
    return lines.get(0);
  }

  @Test
  void aDiskFullAtAnyWriteEndsInOneLineAndResumesToTheSameResult(@TempDir Path tmp) throws IOException {
    FaultyFileSystem fs = new FaultyFileSystem();
    Outcome whole = train(fs.path(tmp.resolve("whole")), false, false);
    assertEquals(0, whole.code(), whole.err());
    long writes = fs.writes();
    assertTrue(writes > 20, "a run writes its lock, manifest, checkpoints, metrics, model and plot: "
        + writes);
    List<String> wholeLog = metricsLog(tmp.resolve("whole"));
    for (long k = 0; k < writes; k++) {
      Path dir = fs.path(tmp.resolve("full" + k));
      fs.fullAfter(k);
      Outcome failed = train(dir, false, false);
      assertEquals(1, failed.code(), "write " + k + ": " + failed.err());
      assertTrue(oneLine(failed.err()).contains("No space left on device"), "write " + k + ": " + failed.err());
      assertTrue(failed.out().isEmpty(), failed.out());
      fs.repair();
      assertEquals(List.of(), leftovers(tmp.resolve("full" + k)), "write " + k);
      Outcome resumed = train(dir, true, false);
      assertEquals(0, resumed.code(), "write " + k + ": " + resumed.err());
      assertEquals(whole.metrics(), resumed.metrics(), "write " + k);
      assertEquals(wholeLog, metricsLog(tmp.resolve("full" + k)), "write " + k);
    }
  }

  @Test
  void aReadOnlyRunDirectoryIsLeftAsItWas(@TempDir Path tmp) throws IOException {
    FaultyFileSystem fs = new FaultyFileSystem();
    Path run = tmp.resolve("run");
    assertEquals(0, train(fs.path(run), false, false).code());
    Map<String, byte[]> before = new TreeMap<>();
    try (Stream<Path> s = Files.list(run)) {
      for (Path p : s.toList()) before.put(p.getFileName().toString(), Files.readAllBytes(p));
    }
    fs.makeReadOnly(fs.path(run));
    for (boolean resume : new boolean[] {false, true}) {
      Outcome o = train(fs.path(run), resume, !resume);
      assertEquals(1, o.code(), o.err());
      String line = oneLine(o.err());
      assertTrue(line.contains(run.toString()) && line.contains("access denied"), line);
    }
    try (Stream<Path> s = Files.list(run)) {
      List<Path> now = s.toList();
      assertEquals(before.keySet().size(), now.size(), now.toString());
      for (Path p : now) {
        assertArrayEquals(before.get(p.getFileName().toString()), Files.readAllBytes(p), p.toString());
      }
    }
    // a new run under a read-only parent
    fs.makeReadOnly(fs.path(tmp));
    Outcome o = train(fs.path(tmp.resolve("other")), false, false);
    assertEquals(1, o.code(), o.err());
    assertTrue(oneLine(o.err()).contains("access denied"), o.err());
    assertFalse(Files.exists(tmp.resolve("other")));
  }

  @Test
  void aSecondTrainingIntoALockedDirectoryFailsAndADeadOwnersLockIsTakenOver(@TempDir Path tmp)
      throws Exception {
    Path run = tmp.resolve("run");
    try (RunLock held = RunLock.acquire("train", run)) {
      Outcome o = train(run, false, false);
      assertEquals(1, o.code(), o.err());
      assertTrue(oneLine(o.err()).contains("is in use by another run (pid "
          + ProcessHandle.current().pid() + ")"), o.err());
      assertFalse(Files.exists(run.resolve("metrics.jsonl")));
    }
    // a killed owner not yet reaped by its parent (a zombie) holds no lock either
    if (Files.isDirectory(Path.of("/proc"))) {
      Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 5").start();
      long zombie = Long.parseLong(new String(parent.getInputStream().readNBytes(16)).strip().split("\\s+")[0]);
      for (int i = 0; i < 100 && RunLock.alive(zombie); i++) Thread.sleep(20);
      assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false), "the child is a zombie");
      assertFalse(RunLock.alive(zombie));
      Path zombieRun = Files.createDirectories(tmp.resolve("zombie-owner"));
      Files.writeString(zombieRun.resolve(RunLock.FILE), Long.toString(zombie));
      Outcome z = train(zombieRun, false, false);
      parent.destroy();
      assertEquals(0, z.code(), z.err());
    }
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Files.writeString(run.resolve(RunLock.FILE), Long.toString(p.pid()));
    Outcome o = train(run, false, false);
    assertEquals(0, o.code(), o.err());
    assertFalse(Files.exists(run.resolve(RunLock.FILE)), "the lock is released at the end");
  }
}
