package org.gnn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.tensor.Context;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.HeteroGraphModel;
import org.gnn4j.train.GraphTask;
import org.gnn4j.train.HeteroNodeTask;
import org.gnn4j.train.NodeClassificationTask;

/**
 * {@code gnn4j predict}: runs a trained model on a dataset and writes one CSV row per node
 * (node tasks: {@code node,class}; heterogeneous node tasks: one row per node of the target type) or per graph (graph tasks: {@code graph,class} or
 * {@code graph,value}). The file is written to a temporary name and renamed, so an existing
 * output is never left half-overwritten.
 */
final class PredictCommand {
  private PredictCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("predict", argv, 1);
    String ckpt = a.option("checkpoint", null, "model checkpoint written by train");
    String data = a.option("data", null, "dataset directory to predict on (default: the training data)");
    String file = a.option("out", null, "output CSV file");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j predict --checkpoint FILE --data DIR --out FILE");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null || file == null) throw new CliException("predict: --checkpoint FILE and --out FILE are required");
    OutputPaths.refuseInputs("predict", "--out", Path.of(file), Path.of(ckpt),
        data == null ? null : Path.of(data));
    EvalCommand.Loaded l = EvalCommand.load(Path.of(ckpt), data, threads);
    if (l.task() instanceof org.gnn4j.train.LinkPredictionTask) {
      l.ctx().close();
      throw new CliException("predict: " + ckpt + " is a link-prediction model, which predict does"
          + " not export; gnn4j eval --checkpoint " + ckpt + " scores its splits");
    }
    OutputPaths.refuseInputs("predict", "--out", Path.of(file), l.exp().dataset().directory());
    err.println("gnn4j: predicting on " + l.dataDescription());
    Path target = Path.of(file);
    int rows;
    try (Context ctx = l.ctx()) {
      if (l.task() instanceof org.gnn4j.train.RecommendationTask) {
        throw new CliException("predict: " + ckpt + " is a recommender (lightgcn); use gnn4j recommend"
            + " --checkpoint " + ckpt + " --user ID, or gnn4j embed for its vectors");
      }
      StringBuilder csv = new StringBuilder();
      if (l.task() instanceof org.gnn4j.train.RatingTask rt) {
        rows = ratingCsv(rt, (org.gnn4j.model.PairRegressionModel) l.model(), csv);
      } else if (l.task() instanceof NodeClassificationTask || l.task() instanceof HeteroNodeTask) {
        int[] pred = l.task() instanceof NodeClassificationTask n ? n.predict((GraphModel) l.model())
            : ((HeteroNodeTask) l.task()).predict((HeteroGraphModel) l.model());
        csv.append(org.gnn4j.train.PredictionCsv.nodes(pred));
        rows = pred.length;
      } else {
        GraphTask g = (GraphTask) l.task();
        int count = g.data().numGraphs();
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = i;
        int k = g.shape().outDim();
        boolean regression = g.data().isRegression();
        csv.append(regression ? "graph,value\n" : "graph,class\n");
        for (int from = 0; from < count; from += 1024) {
          int[] chunk = java.util.Arrays.copyOfRange(ids, from, Math.min(count, from + 1024));
          float[] o = g.predict((GraphModel) l.model(), chunk);
          for (int r = 0; r < chunk.length; r++) {
            csv.append(chunk[r]).append(',');
            if (regression) {
              csv.append(String.format(Locale.ROOT, "%.6g", o[r]));
            } else {
              int best = 0;
              for (int c = 1; c < k; c++) if (o[r * k + c] > o[r * k + best]) best = c;
              csv.append(best);
            }
            csv.append('\n');
          }
        }
        rows = count;
      }
      writeAtomically(target, csv.toString());
    }
    out.println(new JsonLine().put("out", file).put("rows", rows));
    return 0;
  }

  static void writeAtomically(Path target, String text) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(text);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException("cannot write " + target + " (" + IoErrors.reason(e) + ")");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temp file is only left behind if the disk vanished
        }
      }
    }
  }

  /**
   * Every row of the rating table with its key columns, time, split and the model's prediction
   * (each from that row's own history).
   */
  private static int ratingCsv(org.gnn4j.train.RatingTask t, org.gnn4j.model.PairRegressionModel model,
                               StringBuilder csv) {
    var table = t.table();
    var spec = table.spec();
    java.util.List<String> keys = new java.util.ArrayList<>(spec.foreignKeys().keySet());
    keys.add(spec.time());
    int n = table.numRows();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    float[] p = t.predict(model, all);
    String[] split = new String[n];
    java.util.Arrays.fill(split, "train");
    for (int r : t.split().val()) split[r] = "val";
    for (int r : t.split().test()) split[r] = "test";
    csv.append(String.join(",", keys)).append(",split,prediction\n");
    for (int r = 0; r < n; r++) {
      for (String k : keys) csv.append(table.rows()[r][table.index(k)]).append(',');
      csv.append(split[r]).append(',').append(String.format(Locale.ROOT, "%.4f", p[r])).append('\n');
    }
    return n;
  }
}
