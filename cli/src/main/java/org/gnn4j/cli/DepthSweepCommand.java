package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.JsonText;
import org.gnn4j.model.GraphModel;
import org.gnn4j.oversmoothing.LayerSmoothness;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.Trainer;

/**
 * {@code gnn4j depth-sweep}: how a model degrades with depth. For each config (a comma list),
 * depth and seed it trains the config's model with {@code model.layers} set to the depth
 * (nothing written per run), then measures the selected model's test accuracy and the Dirichlet
 * energy (plain, degree-normalised and relative to the representations' scale, see
 * {@link org.gnn4j.oversmoothing.DirichletEnergy}) and MAD of its last layer's node representations on the whole graph. Writes
 * {@code depth-sweep.json} (every run, and mean/std per config and depth) and
 * {@code depth-sweep.png} (test accuracy and last-layer energy against depth) into {@code --out};
 * the last stdout line is one JSON summary.
 */
final class DepthSweepCommand {
  private DepthSweepCommand() {}

  /** One trained model's figures. */
  record RunResult(String config, int depth, long seed, double testAccuracy, double energy,
                   double normalisedEnergy, double relativeEnergy, double mad, double seconds) {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("depth-sweep", argv, 1);
    String configs = a.option("config", null, "config file(s) or shipped name(s), comma-separated: one series each");
    String depthList = a.option("depths", "2,4,8,16,32", "model depths (model.layers), comma-separated");
    int seeds = a.intOption("seeds", 1, "seeds per depth (0 .. N-1)");
    String epochs = a.option("epochs", null, "epochs (overrides train.epochs)");
    String outDir = a.option("out", null, "output directory (default runs/depth-sweep-<first config>)");
    boolean force = a.flag("force", "replace an earlier sweep's depth-sweep.json/png in --out");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j depth-sweep --config FILE[,FILE...] [--depths 2,4,8,16,32] [--seeds N] [--out DIR]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (configs == null) throw new CliException("depth-sweep: --config FILE is required (e.g. --config cora-gcn-deep)");
    if (seeds < 1) throw new CliException("depth-sweep: --seeds must be >= 1 (got " + seeds + ")");
    int[] depths = parseDepths(depthList);
    List<String> names = List.of(configs.split(","));
    for (String n : names) Experiment.of(Configs.load(n.trim()));   // every config checked before training
    Path dir = Path.of(outDir != null ? outDir : "runs/depth-sweep-" + Configs.baseName(names.get(0).trim()));
    Path json = dir.resolve("depth-sweep.json");
    Path png = dir.resolve("depth-sweep.png");
    if (!force && (Files.exists(json) || Files.exists(png))) {
      throw new CliException("depth-sweep: " + dir + " already holds a sweep (depth-sweep.json or .png);"
          + " choose another --out or add --force to replace it");
    }
    List<RunResult> runs = new ArrayList<>();
    for (String name : names) {
      for (int depth : depths) {
        for (int s = 0; s < seeds; s++) runs.add(trainOne(name.trim(), depth, s, epochs, threads, err));
      }
    }
    List<SweepChart.Series> series = SweepChart.summarise(runs, names.stream().map(n -> Configs.baseName(n.trim())).toList());
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new CliException("depth-sweep: cannot create " + dir + " (" + e.getMessage() + ")");
    }
    PredictCommand.writeAtomically(json, summaryJson(runs, series, depths, seeds));
    SweepChart.write(png, series);
    err.println("gnn4j depth-sweep: wrote " + json + " and " + png);
    JsonLine line = new JsonLine().put("configs", String.join(",", names)).put("depths", depthList)
        .put("seeds", seeds).put("runs", runs.size()).put("json", json.toString()).put("png", png.toString());
    for (SweepChart.Series sr : series) {
      for (int i = 0; i < sr.depths().length; i++) {
        String k = sr.name() + "_d" + sr.depths()[i];
        line.put(k + "_test_accuracy", sr.accMean()[i]).put(k + "_dirichlet_norm", sr.normMean()[i]);
      }
    }
    out.println(line);
    return 0;
  }

  static int[] parseDepths(String list) {
    String[] parts = list.split(",");
    int[] d = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        d[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new CliException("depth-sweep: --depths must be integers separated by commas (got '" + list + "')");
      }
      if (d[i] < 1 || d[i] > 64) {
        throw new CliException("depth-sweep: each depth must be in 1..64 (got " + d[i] + " in --depths)");
      }
    }
    return d;
  }

  private static RunResult trainOne(String name, int depth, long seed, String epochs, int threads, PrintStream err) {
    ConfigNode cfg = Configs.load(name);
    Configs.override(cfg, Long.toString(seed), epochs);
    cfg.sectionForUpdate("model").set("layers", depth);
    Experiment exp = Experiment.of(cfg);
    long t0 = System.nanoTime();
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      Experiment.Run<?> run = exp.run(ctx, null, seed);
      if (!(run.task() instanceof NodeClassificationTask task) || !(run.model() instanceof GraphModel model)) {
        throw new CliException("depth-sweep: " + name + " is not node classification on one graph"
            + " (the sweep measures node representations of one graph)");
      }
      Optimizer opt = exp.optimizer(model);
      Trainer.Result r = run.trainer(opt, seed, exp.trainerOptions(null, false)).fit();
      LayerSmoothness sm = LayerSmoothness.measure(model, task.input(), true);
      int last = sm.dirichlet().length - 1;
      double secs = (System.nanoTime() - t0) / 1e9;
      RunResult rr = new RunResult(Configs.baseName(name), depth, seed, r.metrics().get("test_accuracy"),
          sm.dirichlet()[last], sm.normalised()[last], sm.relative()[last], sm.mad()[last], secs);
      err.printf(Locale.ROOT, "gnn4j depth-sweep: %s depth %d seed %d: test accuracy %.4f, last-layer"
          + " Dirichlet energy %.4g (degree-normalised %.4g, relative %.4g), MAD %.4f (%.1f s)%n",
          rr.config(), depth, seed, rr.testAccuracy(), rr.energy(), rr.normalisedEnergy(),
          rr.relativeEnergy(), rr.mad(), secs);
      return rr;
    }
  }

  private static String summaryJson(List<RunResult> runs, List<SweepChart.Series> series, int[] depths, int seeds) {
    StringBuilder sb = new StringBuilder("{\n  \"runs\": [\n");
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      JsonText t = new JsonText().put("config", r.config()).put("depth", r.depth()).put("seed", r.seed())
          .put("test_accuracy", r.testAccuracy()).put("dirichlet_last", r.energy())
          .put("dirichlet_norm_last", r.normalisedEnergy()).put("dirichlet_rel_last", r.relativeEnergy()).put("mad_last", r.mad())
          .put("seconds", r.seconds());
      sb.append("    ").append(t).append(i + 1 < runs.size() ? ",\n" : "\n");
    }
    sb.append("  ],\n  \"summary\": [\n");
    List<String> rows = new ArrayList<>();
    for (SweepChart.Series s : series) {
      for (int i = 0; i < s.depths().length; i++) {
        rows.add("    " + new JsonText().put("config", s.name()).put("depth", s.depths()[i])
            .put("seeds", seeds).put("test_accuracy_mean", s.accMean()[i]).put("test_accuracy_std", s.accStd()[i])
            .put("dirichlet_last_mean", s.energyMean()[i]).put("dirichlet_norm_last_mean", s.normMean()[i])
            .put("dirichlet_rel_last_mean", s.relMean()[i])
            .put("mad_last_mean", s.madMean()[i]));
      }
    }
    sb.append(String.join(",\n", rows)).append("\n  ]\n}\n");
    return sb.toString();
  }
}
