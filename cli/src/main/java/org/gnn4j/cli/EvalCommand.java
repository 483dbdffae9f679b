package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.Task;
import org.gnn4j.train.TrainCheckpoints;

/**
 * {@code gnn4j eval}: rebuilds the model a checkpoint was trained as (its config travels inside
 * the file), loads the weights (a checkpoint of another architecture is refused, naming the
 * parameter) and prints the metrics of every split as one JSON line.
 */
final class EvalCommand {
  private EvalCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("eval", argv, 1);
    String ckpt = a.option("checkpoint", null, "model checkpoint written by train (runs/<name>/model.ckpt)");
    String data = a.option("data", null, "evaluate on this dataset directory instead of the training data");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j eval --checkpoint FILE [--data DIR]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null) throw new CliException("eval: --checkpoint FILE is required");
    Loaded l = load(Path.of(ckpt), data, threads);
    err.println("gnn4j: evaluating on " + l.dataDescription());
    try (Context ctx = l.ctx) {
      JsonLine line = new JsonLine();
      for (String split : new String[] {"train", "val", "test"}) {
        for (var e : l.run.evaluate(split).entrySet()) {
          if (!Double.isNaN(e.getValue())) line.put(split + "_" + e.getKey(), e.getValue());
        }
      }
      line.put("checkpoint", ckpt).put("params", l.model().numParameters());
      out.println(line);
    }
    return 0;
  }

  /** A checkpoint's model, rebuilt and loaded, with its task and the data it reads. */
  record Loaded(Context ctx, Experiment exp, Experiment.Run<?> run, String data) {
    /** The data the run reads: --data, else what the checkpoint's config names. */
    String dataDescription() {
      return data != null ? data + " (--data)"
          : exp.dataset().describe() + " (the data the checkpoint was trained on)";
    }

    Task<?> task() {
      return run.task();
    }

    Module model() {
      return run.model();
    }
  }

  static Loaded load(Path ckpt, String data, int threads) {
    ConfigNode cfg = TrainCheckpoints.readConfig(ckpt);
    Experiment exp = Experiment.of(cfg);
    Context ctx = Context.builder().threads(threads).seed(exp.train().seed()).build();
    try {
      Experiment.Run<?> run = exp.run(ctx, data == null ? null : Path.of(data), exp.train().seed());
      TrainCheckpoints.loadWeights(ckpt, run.model());
      return new Loaded(ctx, exp, run, data);
    } catch (RuntimeException e) {
      ctx.close();
      throw e;
    }
  }
}
