package org.gnn4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gnn4j.cli.bench.JsonLine;

/**
 * {@code gnn4j seq-demo}: "sparse Transformers are Transformers on sparse graphs", measured. The
 * same sequence model ({@link SeqDemoModel}) is trained on a long-range copy task once with full
 * attention (the complete graph) and once with a sparse pattern (Longformer window + global
 * query token, or BigBird), each in its own fresh JVM so that each peak resident memory (VmHWM)
 * is the run's own; prints one JSON line per mode (time, peak memory, accuracy) and a summary.
 */
public final class SeqDemoCommand {
  /** The JVM flags of both modes' processes, in place of this JVM's collector choice. */
  static final List<String> CHILD_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmn64m",
      "-XX:SurvivorRatio=2", "-XX:MaxTenuringThreshold=15", "-XX:TargetSurvivorRatio=90");

  private SeqDemoCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("seq-demo", argv, 1);
    String mode = a.option("mode", "both", "both (each in a fresh JVM), full or sparse (here)");
    SeqDemoSettings s = SeqDemoSettings.parse(a);
    String map = a.option("attention-map", null, "also draw each mode's attention on a held-out"
        + " sequence: heat maps and a CSV into this directory");
    int mapLength = a.intOption("attention-length", 0, "length of that sequence (default: the"
        + " first curriculum stage's, else --length)");
    if (a.wantsHelp()) {
      out.println("usage: gnn4j seq-demo [options]");
      out.println("  trains a small sequence Transformer on a long-range copy task with full and");
      out.println("  with sparse attention, each in a fresh JVM; one JSON line per mode + summary");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (!mode.equals("both") && !mode.equals("full") && !mode.equals("sparse")) {
      throw new CliException("seq-demo: --mode must be both, full or sparse (got '" + mode + "')");
    }
    s.validate();
    if (mapLength == 0) mapLength = s.stages().get(0).length();
    if (map != null) checkMapLength(s, mapLength);
    Path mapDir = map == null ? null : Path.of(map);
    if (!mode.equals("both")) {
      out.println(SeqDemoTraining.run(s, mode.equals("sparse"), err, mapDir, mapLength));
      return 0;
    }
    List<String> mapArgs = map == null ? List.of()
        : List.of("--attention-map", map, "--attention-length", "" + mapLength);
    String full = runFresh(s, "full", mapArgs);
    out.println(full);
    out.flush();
    String sparse = runFresh(s, "sparse", mapArgs);
    out.println(sparse);
    out.println(summary(full, sparse));
    return 0;
  }

  /** The attention map's sequence must be one the mode's pattern can be built for. */
  private static void checkMapLength(SeqDemoSettings s, int n) {
    if (n < 4 * s.queries() || n > s.length()) {
      throw new CliException("seq-demo: --attention-length must be in [" + 4 * s.queries() + ", "
          + s.length() + "] (4 x --queries to --length; got " + n + ")");
    }
    try {
      SeqDemoTraining.pattern(s, n, true);
    } catch (IllegalArgumentException e) {
      throw new CliException("seq-demo: --attention-length " + n + " does not suit --pattern "
          + s.pattern() + ": " + e.getMessage());
    }
  }

  /** Runs one mode in a new JVM with this JVM's flags; its last stdout line (JSON). */
  private static String runFresh(SeqDemoSettings s, String mode, List<String> extra) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The serial collector with a fixed young generation whose survivor spaces hold one step's
    // temporaries, so they die young instead of filling an ever-expanding old generation: peak
    // RSS then follows the live data of the mode, not the collector's heap sizing (ParallelGC:
    // 0.7-1 GB for either mode). The fixed tenuring threshold: with the adaptive one, the
    // collector soon promotes after one young collection, so each step's temporaries reached
    // the old generation and the sparse run grew to 370 MB instead of 160 MB (4 heads, 4096).
    // Same flags for both modes.
    for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!(f.startsWith("-XX:+Use") && f.endsWith("GC"))) cmd.add(f);
    }
    cmd.addAll(CHILD_JVM_FLAGS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.gnn4j.cli.Main");
    cmd.addAll(s.argv(mode));
    cmd.addAll(extra);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String last = null;
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) last = l;
      }
      int code = p.waitFor();
      if (code == 0 && last != null && last.startsWith("{")) return last;
      return new JsonLine().put("mode", mode).put("status", "failed")
          .put("reason", "process exited with " + code).toString();
    } catch (IOException e) {
      throw new CliException("seq-demo: cannot start a JVM for mode " + mode + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("seq-demo: interrupted");
    }
  }

  /**
   * Ratios of the two JSON lines, sparse / full: peak memory, whole time (train + eval), and the
   * time at the full length alone (its pattern, its training steps and the evaluation), where
   * the O(n^2) vs O(n*w) difference is; the shorter curriculum stages cost both modes alike.
   */
  static String summary(String full, String sparse) {
    double memFull = number(full, "peak_rss_mb");
    double memSparse = number(sparse, "peak_rss_mb");
    double timeFull = number(full, "train_s") + number(full, "eval_s");
    double timeSparse = number(sparse, "train_s") + number(sparse, "eval_s");
    double longFull = number(full, "train_full_length_s") + number(full, "eval_s");
    double longSparse = number(sparse, "train_full_length_s") + number(sparse, "eval_s");
    return new JsonLine().put("summary", "sparse vs full")
        .put("jvm_flags", String.join(" ", CHILD_JVM_FLAGS))
        .put("peak_rss_ratio", SeqDemoTraining.round(memSparse / memFull))
        .put("time_ratio", SeqDemoTraining.round(timeSparse / timeFull))
        .put("full_length_time_ratio", SeqDemoTraining.round(longSparse / longFull))
        .put("accuracy_full", number(full, "accuracy"))
        .put("accuracy_sparse", number(sparse, "accuracy")).toString();
  }

  /** The numeric field {@code key} of a flat JSON line, or NaN when absent. */
  static double number(String json, String key) {
    String k = "\"" + key + "\":";
    int at = json.indexOf(k);
    if (at < 0) return Double.NaN;
    int from = at + k.length();
    int to = from;
    while (to < json.length() && "-+.0123456789eE".indexOf(json.charAt(to)) >= 0) to++;
    try {
      return Double.parseDouble(json.substring(from, to));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
