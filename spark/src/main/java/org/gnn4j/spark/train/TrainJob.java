package org.gnn4j.spark.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.DirectoryDigest;
import org.gnn4j.io.JsonText;
import org.gnn4j.model.GraphModel;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.Task;
import org.gnn4j.train.TrainCheckpoints;

/**
 * {@code gnn4j spark train}: trains a node classifier from a config by synchronous data-parallel
 * mini-batch training across W Spark tasks ({@link DataParallelTraining}), then scores the final
 * model on the train, validation and test nodes on the driver and writes {@code model.ckpt} to the
 * output directory, the file {@code gnn4j eval} and {@code gnn4j predict} read. Epochs, batch
 * size, fan-outs and seed come from the config unless given here; what was used is written into
 * the checkpoint's config.
 */
public final class TrainJob {
  private TrainJob() {}

  static final String USAGE = """
      usage: gnn4j spark train --config FILE|NAME --data NAME|DIR --out DIR [options]

        --config FILE|NAME  a config file, or a config shipped in configs/ (e.g. cora-gcn)
        --data NAME|DIR     an embedded dataset or a directory in gnn4j's format (default: the config's)
        --out DIR           where model.ckpt goes
        --workers W         barrier tasks (default: every task slot of the cluster)
        --epochs N          overrides train.epochs
        --batch B           training nodes per global mini-batch, over all tasks (overrides train.batch_size)
        --fanouts F1,F2,..  neighbours sampled per layer (overrides train.fanouts; default all)
        --seed S            overrides train.seed
        --timeout SECONDS   longest wait for a peer task before failing (default 120)
        --master URL        Spark master (default: embedded local[*])
      """;

  private static final List<String> OPTIONS = List.of("config", "data", "out", "workers", "epochs", "batch",
      "fanouts", "seed", "timeout", "master");

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> opt = parse(args);
    if (opt.containsKey("help")) {
      out.print(USAGE);
      return 0;
    }
    String configName = required(opt, "config");
    Path outDir = Path.of(required(opt, "out"));
    ConfigNode cfg = loadConfig(configName);
    applyOverrides(cfg, opt);
    Experiment exp = checkedExperiment(cfg);
    if (exp.train().fanouts() == null) {
      // every neighbour: exact mini-batch training, and a config made for full-graph steps runs as it is
      List<Long> all = new ArrayList<>();
      for (int i = 0; i < exp.model().layers(); i++) all.add(-1L);
      cfg.sectionForUpdate("train").set("fanouts", all);
      err.println("gnn4j spark: train.fanouts not set; sampling every neighbour (set --fanouts 10,5 on big graphs)");
      exp = checkedExperiment(cfg);
    }
    long timeout = Math.multiplyExact(positiveLong(opt, "timeout", 120), 1000L);
    long seed = exp.train().seed();
    long requested = opt.containsKey("workers") ? positiveLong(opt, "workers", 1) : 0;
    try (Context ctx = Context.builder().seed(seed).build()) {
      // the data first: bad data fails in one line before Spark starts
      Task<GraphModel> task = exp.task(ctx, null);
      if (!(task instanceof NodeClassificationTask nodes)) {
        throw new IllegalArgumentException("spark train: trains node classification on one graph, and "
            + exp.dataset().describe() + " is a collection of graphs (use gnn4j train for it)");
      }
      SparkSession spark = SparkSessions.get(opt.get("master"), 4);
      int workers = requested > 0 ? (int) Math.min(Integer.MAX_VALUE, requested)
          : Math.max(1, DataParallelTraining.slots(spark.sparkContext()));
      DataParallelTraining.checkSlots(spark.sparkContext(), workers);
      TrainingGraph graph = TrainingGraph.of(nodes.data(), nodes.input().pe());
      err.printf("gnn4j spark: %s, %s x%d (hidden %d), %d workers x %d threads, %d epochs, batch %d, seed %d%n",
          exp.dataset().describe(), exp.model().layer(), exp.model().layers(), exp.model().hidden(), workers,
          DataParallelTraining.taskCpus(spark.sparkContext()), exp.train().epochs(), exp.train().batchSize(), seed);
      TrainPlan plan = TrainPlan.of(cfg.toJson(), workers, timeout, System.nanoTime());
      long t0 = System.nanoTime();
      TrainOutput result = DataParallelTraining.run(spark, plan, graph);
      double seconds = (System.nanoTime() - t0) / 1e9;
      GraphModel model = exp.buildModel(ctx, task, seed);
      load(model, result.stateDict());
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (String split : new String[] {"train", "val", "test"}) {
        for (var e : nodes.evaluate(model, split).entrySet()) metrics.put(split + "_" + e.getKey(), e.getValue());
      }
      createDirectories(outDir);
      Path ckpt = outDir.resolve("model.ckpt");
      TrainCheckpoints.saveModel(ckpt, model, cfg, metrics);
      err.println("gnn4j spark: wrote " + ckpt);
      JsonText line = new JsonText();
      for (var e : metrics.entrySet()) line.put(e.getKey(), e.getValue());
      line.put("final_train_loss", result.epochLoss()[result.epochLoss().length - 1]).put("workers", workers)
          .put("steps", result.steps()).put("seconds", seconds).put("allreduce_seconds", result.allReduceSeconds());
      out.println(line);
      return 0;
    }
  }

  /** The Experiment, refusing what data-parallel node training cannot run, in one line each. */
  static Experiment checkedExperiment(ConfigNode cfg) {
    Experiment exp = Experiment.of(cfg);
    if (exp.model().hetero() != null || exp.link() != null || exp.recommendation() != null
        || exp.dataset().relational() != null || !exp.train().objective().equals("supervised")) {
      throw new IllegalArgumentException("spark train: trains a homogeneous node classifier (objective"
          + " supervised, no model.hetero, link or lightgcn); " + cfg.source() + " asks for another kind of run");
    }
    if (exp.optim().schedule().equals("plateau")) {
      throw cfg.section("optim").error("schedule", "plateau watches the validation metric every epoch, which"
          + " spark train does not compute; use constant, cosine or linear");
    }
    return exp;
  }

  private static void applyOverrides(ConfigNode cfg, Map<String, String> opt) {
    ConfigNode train = cfg.sectionForUpdate("train");
    if (opt.containsKey("seed")) train.set("seed", longOf(opt, "seed"));
    if (opt.containsKey("epochs")) train.set("epochs", positiveLong(opt, "epochs", 1));
    if (opt.containsKey("batch")) train.set("batch_size", positiveLong(opt, "batch", 1));
    if (opt.containsKey("fanouts")) {
      List<Long> f = new ArrayList<>();
      for (String s : opt.get("fanouts").split(",")) {
        try {
          f.add(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("spark train: --fanouts must be integers separated by commas (got '"
              + opt.get("fanouts") + "')");
        }
      }
      train.set("fanouts", f);
    }
    String data = opt.get("data");
    if (data != null) {
      ConfigNode d = cfg.sectionForUpdate("dataset").remove("name").remove("dir").remove("sha256");
      Path dir = Path.of(data);
      if (Files.isDirectory(dir)) {
        String abs = dir.toAbsolutePath().normalize().toString();
        // the checkpoint records which files it was trained on, as gnn4j train's do
        d.set("dir", abs).set("sha256", DirectoryDigest.of(dir));
      } else if (DataSource.isEmbedded(data)) {
        d.set("name", data);
      } else {
        throw new IllegalArgumentException("spark train: --data " + data + " is neither a directory nor an"
            + " embedded dataset");
      }
    }
  }

  /** A config file, or a config shipped in the repository's configs/ (packed into this jar). */
  static ConfigNode loadConfig(String nameOrPath) {
    Path p = Path.of(nameOrPath);
    if (Files.isRegularFile(p)) return ConfigNode.load(p);
    String base = p.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    String res = "/org/gnn4j/spark/configs/" + base + ".yaml";
    try (InputStream in = TrainJob.class.getResourceAsStream(res)) {
      if (in != null) return ConfigNode.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "configs/" + base + ".yaml");
    } catch (IOException e) {
      throw new IllegalArgumentException("spark train: cannot read the shipped config " + res + ": " + e.getMessage());
    }
    throw new IllegalArgumentException("spark train: --config " + nameOrPath + " is neither a file nor a shipped"
        + " config (see configs/)");
  }

  private static void load(GraphModel model, Map<String, float[]> weights) {
    for (var e : model.namedParameters().entrySet()) {
      float[] w = weights.get(e.getKey());
      if (w == null || w.length != e.getValue().numel()) {
        throw new IllegalStateException("spark train: task 0 returned no weights of the right size for '" + e.getKey() + "'");
      }
      System.arraycopy(w, 0, e.getValue().data(), 0, w.length);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("spark train: cannot create --out " + dir + ": " + e.getMessage(), e);
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        m.put("help", "");
        continue;
      }
      String name = a.startsWith("--") ? a.substring(2) : null;
      if (name == null || !OPTIONS.contains(name)) {
        throw new IllegalArgumentException("spark train: unknown option '" + a + "' (valid: --"
            + String.join(", --", OPTIONS) + ")");
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException("spark train: --" + name + " needs a value");
      m.put(name, args[++i]);
    }
    return m;
  }

  private static String required(Map<String, String> opt, String name) {
    String v = opt.get(name);
    if (v == null) throw new IllegalArgumentException("spark train: --" + name + " is required (see gnn4j spark train --help)");
    return v;
  }

  private static long longOf(Map<String, String> opt, String name) {
    try {
      return Long.parseLong(opt.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("spark train: --" + name + " must be an integer (got '" + opt.get(name) + "')");
    }
  }

  private static long positiveLong(Map<String, String> opt, String name, long def) {
    if (!opt.containsKey(name)) return def;
    long v = longOf(opt, name);
    if (v < 1) throw new IllegalArgumentException("spark train: --" + name + " must be >= 1 (got " + v + ")");
    return v;
  }
}
