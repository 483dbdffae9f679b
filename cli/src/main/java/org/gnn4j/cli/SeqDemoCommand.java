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
import java.util.SplittableRandom;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.cli.bench.ProcessMemory;
import org.gnn4j.graph.AttentionPatterns;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

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
      "-XX:SurvivorRatio=2");

  private SeqDemoCommand() {}

  /** Every option, so the parent can hand the same settings to each child JVM. */
  private record Settings(int length, int steps, int seed, String pattern, int threads,
                          int window, int block, int layers, int dim, int heads, int vocab,
                          int queries, int eval, double lr, double markScale) {
    List<String> argv(String mode) {
      return List.of("seq-demo", "--mode", mode, "--length", "" + length, "--steps", "" + steps,
          "--seed", "" + seed, "--pattern", pattern, "--threads", "" + threads,
          "--window", "" + window, "--block", "" + block, "--layers", "" + layers,
          "--dim", "" + dim, "--heads", "" + heads, "--vocab", "" + vocab,
          "--queries", "" + queries, "--eval", "" + eval,
          "--lr", "" + lr, "--mark-scale", "" + markScale);
    }
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("seq-demo", argv, 1);
    String mode = a.option("mode", "both", "both (each in a fresh JVM), full or sparse (here)");
    Settings s = new Settings(
        a.intOption("length", 4096, "sequence length L"),
        a.intOption("steps", 40, "training steps (one sequence each; 300 to solve the task)"),
        a.intOption("seed", 1, "seed of data and parameters"),
        a.option("pattern", "longformer", "sparse pattern: longformer or bigbird"),
        a.intOption("threads", 2, "worker threads"),
        a.intOption("window", 65, "longformer: window width (window/2 on each side)"),
        a.intOption("block", 64, "bigbird: block size (3-block window, 1 global, 2 random)"),
        a.intOption("layers", 1, "attention layers (bigbird needs 2: via its global block)"),
        a.intOption("dim", 32, "model width"),
        a.intOption("heads", 2, "attention heads"),
        a.intOption("vocab", 8, "number of token classes"),
        a.intOption("queries", 1, "marked positions per sequence, asked at the last positions"),
        a.intOption("eval", 32, "held-out sequences for accuracy"),
        parseDouble("lr", a.option("lr", "0.01", "Adam learning rate")),
        parseDouble("mark-scale", a.option("mark-scale", "4",
            "initial norm factor of the mark embedding (a salient marker)")));
    if (a.wantsHelp()) {
      out.println("usage: gnn4j seq-demo [options]");
      out.println("  trains a small sequence Transformer on a long-range copy task with full and");
      out.println("  with sparse attention, each in a fresh JVM; one JSON line per mode + summary");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    validate(s);
    switch (mode) {
      case "full", "sparse" -> out.println(train(s, mode.equals("sparse"), err));
      case "both" -> {
        String full = runFresh(s, "full");
        out.println(full);
        out.flush();
        String sparse = runFresh(s, "sparse");
        out.println(sparse);
        out.println(summary(full, sparse));
      }
      default -> throw new CliException("seq-demo: --mode must be both, full or sparse (got '"
          + mode + "')");
    }
    return 0;
  }

  private static double parseDouble(String key, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new CliException("seq-demo: --" + key + " must be a number (got '" + v + "')");
    }
  }

  private static void validate(Settings s) {
    if (s.length() < 4 || s.steps() < 0 || s.threads() < 1 || s.layers() < 1 || s.vocab() < 2
        || s.eval() < 1 || !(s.lr() > 0)) {
      throw new CliException("seq-demo: need --length >= 4, --steps >= 0, --threads >= 1,"
          + " --layers >= 1, --vocab >= 2, --eval >= 1, --lr > 0");
    }
    if (!s.pattern().equals("longformer") && !s.pattern().equals("bigbird")) {
      throw new CliException("seq-demo: --pattern must be longformer or bigbird (got '"
          + s.pattern() + "')");
    }
  }

  /** Full: the complete graph (bidirectional attention). Sparse: the chosen pattern. */
  static EdgeIndex pattern(Settings s, boolean sparse) {
    int n = s.length();
    if (!sparse) return EdgeSets.complete(n, true);
    if (s.pattern().equals("longformer")) {
      // the queries at the end are global tokens, as Longformer's classification token
      int[] global = new int[s.queries()];
      for (int q = 0; q < global.length; q++) global[q] = n - s.queries() + q;
      return AttentionPatterns.longformer(n, Math.min(s.window(), n), 1, false, global);
    }
    return AttentionPatterns.bigBird(n, s.block(), 3, 1, 2, new SplittableRandom(s.seed()));
  }

  /** Trains and evaluates one mode in this JVM; the JSON line of the run. */
  private static JsonLine train(Settings s, boolean sparse, PrintStream err) {
    JsonLine line = new JsonLine().put("mode", sparse ? "sparse" : "full")
        .put("pattern", sparse ? s.pattern() : "complete").put("length", s.length())
        .put("steps", s.steps()).put("layers", s.layers()).put("seed", s.seed());
    long t0 = System.nanoTime();
    try (Context ctx = Context.builder().threads(s.threads()).seed(s.seed()).build()) {
      EdgeIndex pattern = pattern(s, sparse);
      SplittableRandom root = new SplittableRandom(s.seed());
      SplittableRandom init = root.split();
      SplittableRandom data = root.split();
      SplittableRandom held = root.split();
      SeqDemoModel model = new SeqDemoModel(ctx, s.length(), s.vocab(), s.queries(), s.dim(),
          s.heads(), s.layers(), (float) s.markScale(), init);
      Adam opt = new Adam(model.parameters(), Adam.Config.of((float) s.lr(), 0f));
      double lossSum = 0;
      int lossCount = 0;
      double recentLoss = Double.NaN;
      for (int step = 1; step <= s.steps(); step++) {
        opt.zeroGrad();
        Tensor loss = model.loss(model.example(data), pattern);
        loss.backward();
        opt.step();
        lossSum += loss.item();
        lossCount++;
        if (step % 10 == 0 || step == s.steps()) {
          recentLoss = lossSum / lossCount;
          err.printf("seq-demo %s: step %d, mean loss of the last %d steps %.4f%n",
              sparse ? "sparse" : "full", step, lossCount, recentLoss);
          lossSum = 0;
          lossCount = 0;
        }
      }
      long t1 = System.nanoTime();
      int correct = 0;
      try (var g = ctx.noGrad()) {
        for (int e = 0; e < s.eval(); e++) correct += model.correct(model.example(held), pattern);
      }
      long t2 = System.nanoTime();
      return line.put("edges", pattern.numEdges()).put("status", "ok")
          .put("final_loss", recentLoss).put("train_s", round((t1 - t0) / 1e9))
          .put("eval_s", round((t2 - t1) / 1e9))
          .put("accuracy", round((double) correct / (s.eval() * s.queries())))
          .put("eval_sequences", s.eval()).put("queries", s.queries())
          .put("peak_rss_mb", round(ProcessMemory.peakRssMb()));
    } catch (OutOfMemoryError e) {
      return line.put("status", "failed").put("reason", "OutOfMemoryError: " + e.getMessage())
          .put("peak_rss_mb", round(ProcessMemory.peakRssMb()));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Runs one mode in a new JVM with this JVM's flags; its last stdout line (JSON). */
  private static String runFresh(Settings s, String mode) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The serial collector with a fixed young generation whose survivor spaces hold one step's
    // temporaries, so they die young instead of filling an ever-expanding old generation: peak
    // RSS then follows the live data of the mode, not the collector's heap sizing (ParallelGC:
    // 0.7-1 GB for either mode). Same flags for both modes.
    for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!(f.startsWith("-XX:+Use") && f.endsWith("GC"))) cmd.add(f);
    }
    cmd.addAll(CHILD_JVM_FLAGS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.gnn4j.cli.Main");
    cmd.addAll(s.argv(mode));
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

  /** Ratios of the two JSON lines: sparse / full peak memory and time. */
  static String summary(String full, String sparse) {
    double memFull = number(full, "peak_rss_mb");
    double memSparse = number(sparse, "peak_rss_mb");
    double timeFull = number(full, "train_s") + number(full, "eval_s");
    double timeSparse = number(sparse, "train_s") + number(sparse, "eval_s");
    return new JsonLine().put("summary", "sparse vs full")
        .put("jvm_flags", String.join(" ", CHILD_JVM_FLAGS))
        .put("peak_rss_ratio", round(memSparse / memFull))
        .put("time_ratio", round(timeSparse / timeFull))
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
