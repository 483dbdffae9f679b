package org.gnn4j.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.cli.Configs;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.GraphTask;
import org.gnn4j.train.TrainCheckpoints;

/**
 * {@code gnn4j bench --serve CONFIG_OR_CHECKPOINT}: what a JVM service serving a molecule model
 * sees, measured like PyG's side ({@code shared/bench/pyg/bench_serve.py}) and printed with its
 * field names. In one warm JVM: single-molecule latency (one ZINC test molecule per call, inputs
 * and encodings built beforehand, p50/p99/p99.9 over {@code --calls} calls cycling through
 * molecules 11000-11999), then the throughput of prebuilt batches of {@code --batch} molecules.
 * Only the model's forward is timed, in eval mode with no gradient bookkeeping. A config gets
 * random weights (latency does not depend on them); a {@code model.ckpt} its trained ones.
 */
public final class ServeBench {
  /** PyG's side serves ZINC subset graphs 11000-11999 (its test molecules). */
  private static final int FIRST = 11000;
  private static final int MOLECULES = 1000;
  /** Prebuilt batches cycled through by the throughput loop, as PyG's side does. */
  private static final int BATCH_POOL = 8;

  private ServeBench() {}

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("bench", argv, 1);
    String what = a.option("serve", null, "config (name or file) or model.ckpt of a graph-level model, e.g. zinc-gine");
    int calls = a.intOption("calls", 10000, "timed single-molecule calls");
    int warmup = a.intOption("warmup", 500, "untimed single-molecule calls first");
    int batch = a.intOption("batch", 128, "molecules per batch");
    int batches = a.intOption("batches", 50, "timed batches");
    int threads = a.intOption("threads", 1, "worker threads of the model's context");
    if (a.wantsHelp()) {
      out.println("usage: gnn4j bench --serve CONFIG_OR_CHECKPOINT [--threads N] [--calls 10000] [--batch 128]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (what == null) throw new CliException("bench: --serve needs a config or model.ckpt (e.g. --serve zinc-gine)");
    if (calls < 1 || batch < 1 || batches < 1 || warmup < 0 || threads < 1) {
      throw new CliException("bench: --calls, --batch, --batches and --threads must be >= 1 and --warmup >= 0 (got "
          + calls + ", " + batch + ", " + batches + ", " + threads + ", " + warmup + ")");
    }
    Path file = Path.of(what);
    boolean checkpoint = Files.isRegularFile(file) && !what.matches(".*\\.(ya?ml|json)$");
    ConfigNode cfg = checkpoint ? TrainCheckpoints.readConfig(file) : Configs.load(what);
    Experiment exp = Experiment.of(cfg);
    try (Context ctx = Context.builder().threads(threads).seed(exp.train().seed()).build()) {
      Experiment.Run<?> r = exp.run(ctx, null, exp.train().seed());
      if (!(r.task() instanceof GraphTask task) || !(r.model() instanceof GraphModel model)) {
        throw new CliException("bench: --serve times a graph-level model (one molecule per call);"
            + " '" + what + "' is " + r.task().getClass().getSimpleName() + " (try zinc-gine)");
      }
      if (checkpoint) TrainCheckpoints.loadWeights(file, model);
      model.train(false);
      int count = task.data().numGraphs();
      int first = count >= FIRST + MOLECULES ? FIRST : Math.max(0, count - MOLECULES);
      int mols = Math.min(MOLECULES, count);
      List<ModelInput> singles = new ArrayList<>(mols);
      for (int i = 0; i < mols; i++) singles.add(task.inputOf(first + i));
      List<ModelInput> pool = new ArrayList<>(BATCH_POOL);
      for (int b = 0; b < BATCH_POOL; b++) {
        int[] ids = new int[batch];
        for (int j = 0; j < batch; j++) ids[j] = first + (b * batch + j) % mols;
        pool.add(task.inputOf(ids));
      }
      long[] lat = new long[calls];
      double batchSeconds;
      try (var inference = ctx.noGrad()) {
        for (int i = 0; i < warmup; i++) model.forward(singles.get(i % mols));
        for (int i = 0; i < calls; i++) {
          ModelInput in = singles.get(i % mols);
          long t0 = System.nanoTime();
          model.forward(in);
          lat[i] = System.nanoTime() - t0;
        }
        for (ModelInput b : pool) model.forward(b);
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) model.forward(pool.get(i % BATCH_POOL));
        batchSeconds = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(lat);
      double mean = Arrays.stream(lat).average().orElse(Double.NaN) / 1e6;
      int params = model.namedParameters().values().stream().mapToInt(t -> t.numel()).sum();
      out.println(new JsonLine().put("serve", what).put("model", describe(model)).put("params", params)
          .put("calls", calls).put("threads", threads)
          .put("latency_ms_p50", quantile(lat, 0.50)).put("latency_ms_p99", quantile(lat, 0.99))
          .put("latency_ms_p999", quantile(lat, 0.999)).put("latency_ms_mean", round4(mean))
          .put("batch", batch).put("batch_molecules_per_s", Math.round(10.0 * batches * batch / batchSeconds) / 10.0)
          .put("peak_rss_mb", ProcessMemory.peakRssMb()).put("kernels", ctx.kernelsName())
          .put("java", Runtime.version().toString()).put("loadavg_1m", loadAverage()));
    }
    return 0;
  }

  /** PyG's quantile: the sorted sample at index min(n - 1, floor(p n)), in ms. */
  private static double quantile(long[] sorted, double p) {
    return round4(sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6);
  }

  private static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  private static String describe(GraphModel m) {
    var s = m.spec();
    return s.layer().name().toLowerCase(java.util.Locale.ROOT) + " " + s.layers() + "x" + s.hidden()
        + ", norm " + s.norm().name().toLowerCase(java.util.Locale.ROOT) + " (eval)"
        + (s.residual() ? ", residual" : "") + ", " + s.pooling().name().toLowerCase(java.util.Locale.ROOT)
        + " pool, " + s.headLayers() + "-layer head";
  }

  private static double loadAverage() {
    double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return Math.round(l * 100) / 100.0;
  }
}
