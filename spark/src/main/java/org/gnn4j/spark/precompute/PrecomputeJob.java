package org.gnn4j.spark.precompute;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.pe.RandomWalkPe;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.spark.tables.GraphTables;

/**
 * {@code ./gnn4j spark precompute}: one distributed precomputation over a graph (or a dataset of
 * many graphs) written as one Parquet table under {@code --out}, which must not exist yet:
 *
 * <pre>
 * --what degrees     id, in_degree, out_degree                      ({@link Degrees})
 * --what sign        id, hop0 .. hopK [, label]   --hops K --norm gcn|mean|sum
 *                    [--normalize-features true] (rows of X summing to 1 first)  ({@link HopFeatures})
 * --what rwse        id, rwse (sampled)           --hops K --walks R --seed S ({@link SampledRwse})
 * --what lappe       id, graph, lap, lap_values, lap_valid  --hops K   ({@link GraphEncodings})
 * --what graph-rwse  id, graph, rwse (gnn4j's per-graph RWSE)  --hops K
 * </pre>
 *
 * <p>Every job also takes {@code --data NAME|DIR|PARQUET_DIR}, {@code --master URL},
 * {@code --partitions P} (node-keyed partitions and shuffle width) and, for the per-graph
 * encodings, {@code --threads T} (threads of gnn4j's context in each task; the result equals the
 * single-machine one computed with T threads).
 */
public final class PrecomputeJob {
  private PrecomputeJob() {}

  private static final Set<String> OPTIONS = Set.of("--data", "--out", "--what", "--hops", "--k",
      "--walks", "--seed", "--norm", "--normalize-features", "--master", "--partitions", "--threads");

  /** Fails if {@code dir} exists (on whatever file system its URI names). */
  static void refuseExisting(SparkSession spark, String dir, String option) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p)) {
        throw new IllegalArgumentException(option + ": " + dir + " already exists (refusing to"
            + " overwrite it; choose a new directory)");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(option + ": cannot check " + dir + ": " + e.getMessage(), e);
    }
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String job = "precompute";
    Map<String, String> o = JobOptions.parse(args, OPTIONS, job);
    String data = JobOptions.required(o, "--data", job);
    String dir = JobOptions.required(o, "--out", job);
    String what = JobOptions.required(o, "--what", job);
    if (!Set.of("degrees", "sign", "rwse", "lappe", "graph-rwse").contains(what)) {
      throw new IllegalArgumentException("--what: unknown precomputation '" + what
          + "' (valid: degrees, sign, rwse, lappe, graph-rwse)");
    }
    int k = JobOptions.integer(o, "--hops", JobOptions.integer(o, "--k", defaultK(what)));
    int walks = JobOptions.integer(o, "--walks", what.equals("rwse") ? 256 : RandomWalkPe.Options.defaults().walks());
    long seed = JobOptions.longInt(o, "--seed", 0);
    int threads = JobOptions.integer(o, "--threads", 1);
    SparkSession spark = SparkSessions.get(o.get("--master"), JobOptions.integer(o, "--partitions", 8));
    int partitions = JobOptions.integer(o, "--partitions", spark.sparkContext().defaultParallelism() * 2);
    refuseExisting(spark, dir, "--out");
    long start = System.nanoTime();
    GraphTables.Frames t = Inputs.load(spark, data);
    Dataset<Row> result = switch (what) {
      case "degrees" -> {
        Inputs.check(t, false, false);
        yield Degrees.of(t);
      }
      case "sign" -> {
        Inputs.check(t, true, false);
        String nf = o.getOrDefault("--normalize-features", "false");
        if (!nf.equals("true") && !nf.equals("false")) {
          throw new IllegalArgumentException("--normalize-features: expected true or false (got '" + nf + "')");
        }
        if (nf.equals("true")) t = new GraphTables.Frames(HopFeatures.rowNormalized(t.nodes()), t.edges(), t.graphs());
        yield HopFeatures.compute(spark, t, k, HopFeatures.Norm.parse(o.getOrDefault("--norm", "gcn")), partitions);
      }
      case "rwse" -> {
        Inputs.check(t, false, false);
        yield SampledRwse.compute(spark, t, k, walks, seed, partitions);
      }
      case "lappe", "graph-rwse" -> {
        GraphTables.Frames g = withGraph(t);
        Inputs.check(g, false, true);
        RandomWalkPe.Options d = RandomWalkPe.Options.defaults();
        RandomWalkPe.Options ro = new RandomWalkPe.Options(d.method(), d.exactLimit(), walks, d.exactHops(), seed);
        yield GraphEncodings.compute(spark, g, what.equals("lappe") ? GraphEncodings.Kind.LAPPE
            : GraphEncodings.Kind.RWSE, k, ro, threads);
      }
      default -> throw new IllegalArgumentException("--what: unknown precomputation '" + what
          + "' (valid: degrees, sign, rwse, lappe, graph-rwse)");
    };
    try {
      result.write().parquet(dir);
    } catch (Exception e) {
      throw clearCause(e);
    }
    err.printf("precompute %s: wrote %s in %.1f s%n", what, dir, (System.nanoTime() - start) / 1e9);
    out.println("{\"what\":\"" + what + "\",\"out\":\"" + dir.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"rows\":" + spark.read().parquet(dir).count() + "}");
    return 0;
  }

  /**
   * The bad-input line a task threw, out of the SparkException that wraps it on the driver; any
   * other failure unchanged.
   */
  static RuntimeException clearCause(Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException bad) return new IllegalArgumentException(bad.getMessage(), e);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }

  private static int defaultK(String what) {
    return switch (what) {
      case "sign" -> 3;
      case "lappe" -> 8;
      default -> 16;
    };
  }

  /** A single graph without a graph column is graph 0 of a one-graph dataset. */
  private static GraphTables.Frames withGraph(GraphTables.Frames t) {
    if (java.util.Arrays.asList(t.nodes().columns()).contains(GraphTables.GRAPH)) return t;
    var zero = org.apache.spark.sql.functions.lit(0L);
    return new GraphTables.Frames(t.nodes().withColumn(GraphTables.GRAPH, zero),
        t.edges().withColumn(GraphTables.GRAPH, zero), null);
  }
}
