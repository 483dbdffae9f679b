package org.gnn4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.train.Experiment;

/**
 * {@code gnn4j repeat}: the figure a paper reports, mean +/- standard deviation of the final
 * metrics over several seeds (and, for a config with {@code dataset.folds}, over every fold of
 * the cross-validation). Each run is a normal {@code train} run without files; one JSON line per
 * run, then a summary line.
 */
final class RepeatCommand {
  private RepeatCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("repeat", argv, 1);
    String configName = a.option("config", "cora-gcn", "config file or shipped config name");
    int seeds = a.intOption("seeds", 10, "number of seeds (0 .. seeds-1)");
    String epochs = a.option("epochs", null, "epochs (overrides train.epochs)");
    String data = a.option("data", null, "dataset directory (overrides dataset)");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j repeat --config FILE|NAME [--seeds N]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (seeds < 1) throw new CliException("repeat: --seeds must be >= 1 (got " + seeds + ")");
    int folds = Experiment.of(Configs.load(configName)).dataset().folds();
    List<Map<String, Double>> runs = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < seeds; s++) {
      for (int f = 0; f < Math.max(1, folds); f++) {
        ConfigNode cfg = Configs.load(configName);
        Configs.override(cfg, Integer.toString(s), epochs);
        Configs.useData(cfg, data);
        if (folds > 0) cfg.sectionForUpdate("dataset").set("fold", f);
        err.printf("gnn4j repeat: seed %d%s%n", s, folds > 0 ? ", fold " + f : "");
        runs.add(TrainCommand.run(Experiment.of(cfg), null, null,
            false, threads, out, err));
      }
    }
    JsonLine summary = new JsonLine().put("config", Configs.baseName(configName)).put("seeds", seeds)
        .put("folds", folds).put("runs", runs.size());
    StringBuilder human = new StringBuilder();
    for (String key : runs.get(0).keySet()) {
      double[] v = runs.stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).toArray();
      double mean = 0;
      for (double x : v) mean += x;
      mean /= v.length;
      double var = 0;
      for (double x : v) var += (x - mean) * (x - mean);
      double std = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
      summary.put(key + "_mean", mean).put(key + "_std", std);
      if (key.startsWith("test_") || key.startsWith("val_")) {
        human.append(String.format(Locale.ROOT, "  %s %.4f +/- %.4f%n", key, mean, std));
      }
    }
    summary.put("seconds", (System.nanoTime() - t0) / 1e9);
    err.print("gnn4j repeat: " + runs.size() + " runs (sample std)\n" + human);
    out.println(summary);
    return 0;
  }
}
