package org.gnn4j.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.spark.infer.InferJob;
import org.gnn4j.spark.jobs.GenerateJob;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.TrainCheckpoints;

/**
 * The run {@code ./gnn4j spark} records its startup cache from (JDK 25 AOT cache, as the main
 * command's): a small random graph written as Parquet, a 2-layer SAGE model with random weights
 * saved as a checkpoint, and {@code spark infer --format csv} over the tables, all in one JVM, so
 * the cache holds what a Spark job loads first (the session, Parquet reading and writing, the
 * inference engine). Not a user's job: the launcher runs it with a scratch directory.
 */
final class WarmUp {
  private WarmUp() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1) throw new IllegalArgumentException("usage: gnn4j spark warm-up SCRATCH_DIR");
    Path dir = Path.of(args[0]);
    int f = 16;
    int classes = 4;
    GenerateJob.run(new String[] {"--edges", "20k", "--features", Integer.toString(f), "--classes",
        Integer.toString(classes), "--seed", "1", "--out", dir.resolve("tables").toString(), "--gnn4j-out",
        dir.resolve("plain").toString(), "--master", "local[2]"}, out, err);
    // the checkpoint names the data it was made for, and loading it checks the features' width
    String yaml = "dataset: {dir: '" + dir.resolve("plain").toString().replace("'", "''") + "'}\nmodel: {layer: sage, layers: 2, hidden: 16, head: {type: conv}}\n";
    ConfigNode cfg = ConfigNode.parse(yaml, "warm-up");
    Path ckpt = dir.resolve("model.ckpt");
    try (Context ctx = Context.builder().threads(1).build()) {
      GraphModel m = new GraphModel(ctx, ModelSpec.from(cfg.section("model")),
          new GraphModel.DataShape(f, 0, 0, 0, classes, false), new SplittableRandom(1));
      TrainCheckpoints.saveModel(ckpt, m, cfg, Map.of());
    }
    return InferJob.run(new String[] {"--checkpoint", ckpt.toString(), "--data", dir.resolve("tables").toString(),
        "--out", dir.resolve("out").toString(), "--format", "csv", "--master", "local[2]"}, out, err);
  }
}
