package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.StepMemory;
import org.gnn4j.train.TrainCheckpoints;
import org.gnn4j.train.Trainer;

/**
 * {@code gnn4j train}: trains the model a config file describes (default: the shipped Kipf &amp;
 * Welling GCN on the embedded Cora dataset). Progress goes to stderr; the run directory gets the
 * checkpoint at the end of an epoch, at most once per {@code train.checkpoint_seconds} and after
 * the last (atomic, so {@code --resume} continues a killed run), a JSONL
 * metrics file, the best model ({@code model.ckpt}, what {@code eval} and {@code predict} read)
 * and a PNG of the training curves; the last stdout line is one JSON object with the final
 * metrics of the model selected on validation.
 */
final class TrainCommand {
  private TrainCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    return run(argv, out, err, false);
  }

  /** @param pretrain {@code gnn4j pretrain}: the config's model trained on masked node types */
  static int run(String[] argv, PrintStream out, PrintStream err, boolean pretrain) {
    String command = pretrain ? "pretrain" : "train";
    Args a = new Args(command, argv, 1);
    String configName = a.option("config", pretrain ? "zinc-pretrain" : "cora-gcn", "config file (.yaml/.json) or a shipped config name ("
        + String.join(", ", Configs.SHIPPED) + ")");
    String seed = a.option("seed", null, "random seed (overrides train.seed)");
    String epochs = a.option("epochs", null, "epochs (overrides train.epochs)");
    String data = a.option("data", null, "dataset directory in gnn4j's plain format (overrides dataset)");
    String outDir = a.option("out", null, "run directory for checkpoints, metrics and plot (default runs/<config>-seed<N>)");
    boolean resume = a.flag("resume", "continue from the run directory's last checkpoint");
    boolean noFiles = a.flag("no-files", "write no run directory (no checkpoints, metrics file or plot)");
    boolean force = a.flag("force", "replace a run the run directory already holds");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j " + command + " [--config FILE|NAME] [--seed N] [--data DIR] [options]"
          + (pretrain ? "\n  (masked node pre-training: train.objective = masked_nodes)" : ""));
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    ConfigNode cfg = Configs.load(configName);
    Configs.override(cfg, seed, epochs);
    Configs.useData(cfg, data);
    Configs.pinData(cfg);
    if (pretrain) cfg.sectionForUpdate("train").set("objective", "masked_nodes");
    Experiment exp = Experiment.of(cfg);
    long s = exp.train().seed();
    Path runDir = noFiles ? null
        : Path.of(outDir != null ? outDir : "runs/" + Configs.baseName(configName) + "-seed" + s);
    if (runDir == null) return run(exp, null, null, false, threads, out, err) == null ? 1 : 0;
    return intoRunDirectory(command, exp, runDir, resume, force, threads, out, err);
  }

  /**
   * Trains into {@code runDir} under its lock: a directory that holds a run needs {@code resume}
   * (with the config it was started with) or {@code force}.
   */
  static int intoRunDirectory(String command, Experiment exp, Path runDir, boolean resume,
                              boolean force, int threads, PrintStream out, PrintStream err) {
    try (RunLock lock = RunLock.acquire(command, runDir)) {
      if (!resume && !force) refuseToReplace(command, runDir);
      if (resume && !force) {
        List<String> diff = RunManifest.differences(runDir, exp.config());
        if (!diff.isEmpty()) {
          throw new CliException(command + ": --resume with a config that differs from the one "
              + runDir + " was started with (" + String.join("; ", diff) + "); resume with the"
              + " same config, or add --force to continue under the new one");
        }
      }
      if (!resume || force || !java.nio.file.Files.exists(runDir.resolve(RunManifest.FILE))) {
        RunManifest.write(runDir, exp.config());
      }
      Map<String, Double> metrics = run(exp, null, runDir, resume, threads, out, err);
      return metrics == null ? 1 : 0;
    }
  }

  /** What a run directory holds once a run has started in it. */
  private static final String[] RUN_FILES = {"model.ckpt", "checkpoint.ckpt", "best.ckpt",
      "metrics.jsonl"};

  /** A run directory that already holds a run is only continued or replaced when asked to. */
  private static void refuseToReplace(String command, Path runDir) {
    for (String f : RUN_FILES) {
      if (java.nio.file.Files.exists(runDir.resolve(f))) {
        throw new CliException(command + ": " + runDir + " already holds a run (" + f + "); continue"
            + " it with --resume, replace it with --force, or choose another --out");
      }
    }
  }

  /** Trains one run and prints its JSON line; shared with {@code repeat}. */
  static Map<String, Double> run(Experiment exp, Path data, Path runDir, boolean resume, int threads,
                                 PrintStream out, PrintStream err) {
    long t0 = System.nanoTime();
    long seed = exp.train().seed();
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      Experiment.Run<?> run = exp.run(ctx, data, seed);
      Module model = run.model();
      StepMemory.check(exp.model(), run.task().largestStep(), model.numParameters(),
          exp.dataset().describe());
      Optimizer opt = exp.optimizer(model);
      err.printf("gnn4j: %s, %s%s x%d (hidden %d), %d parameters, %s kernels, %d threads, seed %d%n",
          exp.dataset().describe(), exp.model().hetero() == null ? "" : "hetero ", exp.model().layer(), exp.model().layers(), exp.model().hidden(),
          model.numParameters(), ctx.kernelsName(), ctx.threads(), seed);
      Trainer trainer = run.trainer(opt, seed, exp.trainerOptions(runDir, resume));
      Progress progress = new Progress(err, Progress.stderrIsTerminal(), run.task().metric());
      trainer.listen(progress);
      MetricsLog log = null;
      if (runDir != null) {
        log = MetricsLog.open(runDir.resolve("metrics.jsonl"), resume);
        trainer.listen(log);
      }
      Trainer.Result r = trainer.fit();
      progress.finish();
      if (r.resumedFrom() > 0) err.printf("gnn4j: resumed after epoch %d%n", r.resumedFrom());
      if (runDir != null) {
        TrainCheckpoints.saveModel(runDir.resolve("model.ckpt"), model, exp.config(), r.metrics());
        TrainingPlot.write(runDir.resolve("curves.png"), r.history(), run.task().metric(), r.bestEpoch());
        err.println("gnn4j: wrote " + runDir + "/{model.ckpt, checkpoint.ckpt, metrics.jsonl, curves.png}");
      }
      JsonLine line = new JsonLine();
      for (var e : r.metrics().entrySet()) line.put(e.getKey(), e.getValue());
      if (run.task() instanceof org.gnn4j.train.RatingTask rating) {
        err.println("gnn4j: fitting the baselines on the training ratings");
        org.gnn4j.train.RatingBaselines b = rating.baselines();
        line.put("baseline_rmse_global_mean", b.globalMean()).put("baseline_rmse_movie_mean", b.itemMean())
            .put("baseline_rmse_mf", b.mf()).put("baseline_rmse_user_history_mean", b.userHistory());
        err.println("gnn4j: matrix factorisation baseline: " + b.mfSetting());
      }
      line.put("epochs", r.epochsRun()).put("best_epoch", r.bestEpoch()).put("stopped_early", r.stoppedEarly())
          .put("seed", seed).put("params", model.numParameters())
          .put("epoch_seconds_median", r.epochSecondsMedian())
          .put("seconds", (System.nanoTime() - t0) / 1e9);
      out.println(line);
      return r.metrics();
    }
  }
}
