package org.gnn4j.spark;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code ./gnn4j spark <job>} and of {@code spark-submit --class
 * org.gnn4j.spark.SparkMain gnn4j-spark.jar <job>}: dispatches to one job and turns what it throws
 * into one line on stderr and a non-zero exit (the stack trace only under {@code --debug}), as the
 * rest of the command line does.
 */
public final class SparkMain {
  private SparkMain() {}

  private record Entry(SparkJob job, String summary) {}

  /** The jobs, in the order the help lists them. */
  private static final Map<String, Entry> JOBS = new LinkedHashMap<>();

  static {
    job("export", "write a dataset gnn4j reads as Parquet graph tables", org.gnn4j.spark.jobs.ExportJob::run);
    job("generate", "write a random graph of a given size as Parquet tables (and gnn4j files)",
        org.gnn4j.spark.jobs.GenerateJob::run);
    job("infer", "layer-wise inference of a trained checkpoint over a whole graph", org.gnn4j.spark.infer.InferJob::run);
    job("precompute", "degrees, SIGN hop features, RWSE, per-graph LapPE/RWSE as Parquet",
        org.gnn4j.spark.precompute.PrecomputeJob::run);
    job("train-sign", "a SIGN model trained from precomputed hop features, streamed from Parquet",
        org.gnn4j.spark.sign.TrainSignJob::run);
    job("train", "data-parallel mini-batch training across Spark tasks (ring all-reduce)", org.gnn4j.spark.train.TrainJob::run);
  }

  private static void job(String name, String summary, SparkJob job) {
    JOBS.put(name, new Entry(job, summary));
  }

  public static void main(String[] argv) {
    if (!java.util.Arrays.asList(argv).contains("--debug")) quietEmbeddedLogs();
    System.exit(run(argv, System.out, System.err));
  }

  /**
   * Spark logs every stage at INFO by default; embedded, that buries a job's own lines. Unless
   * spark-submit started us (it sets spark.master and has already set up the cluster's logging) or
   * the user chose a log4j2 file, point log4j2 at gnn4j's warnings-only file before Spark's first
   * log line initialises it ({@code --debug} keeps Spark's own logging).
   */
  static void quietEmbeddedLogs() {
    if (System.getProperty("spark.master") != null || System.getProperty("log4j2.configurationFile") != null
        || System.getProperty("log4j.configurationFile") != null) {
      return;
    }
    System.setProperty("log4j2.configurationFile", "org/gnn4j/spark/log4j2-embedded.properties");
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    boolean debug = Arrays.asList(argv).contains("--debug");
    String[] args = Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    return guarded(() -> {
      // the launcher's startup-cache run: not a user's job, so not in the help or the list
      if (args[0].equals("warm-up")) return WarmUp.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      Entry e = JOBS.get(args[0]);
      if (e == null) {
        throw new IllegalArgumentException("unknown spark job '" + args[0] + "' (valid: "
            + String.join(", ", JOBS.keySet()) + ", help)");
      }
      return e.job().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }, err, debug);
  }

  /**
   * Runs a job and turns whatever it throws into one line on {@code err} and exit code 1 (the
   * stack trace only with {@code debug}): a task that ran out of memory names the setting that
   * gives it more, any other failed Spark job is the first line of Spark's message.
   */
  static int guarded(java.util.function.IntSupplier job, PrintStream err, boolean debug) {
    try {
      return job.getAsInt();
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      return fail(err, e.getMessage(), e, debug);
    } catch (OutOfMemoryError e) {
      return fail(err, "out of memory on the driver: give it more with"
          + " GNN4J_JAVA_OPTS=-Xmx<size> (or spark-submit --driver-memory)", e, debug);
    } catch (Exception e) { // SparkException is checked in Java's eyes but thrown anyway
      String oom = SparkErrors.outOfMemory(e);
      if (oom != null) return fail(err, SparkErrors.outOfMemoryLine(oom, SparkErrors.localSession()), e, debug);
      if (e instanceof org.apache.spark.SparkException) {
        return fail(err, "Spark job failed: " + SparkErrors.firstLine(e) + " (details: --debug)", e, debug);
      }
      return fail(err, "unexpected " + e + " (a bug: please report it with the output of"
          + " --debug)", e, debug);
    }
  }

  private static int fail(PrintStream err, String message, Throwable e, boolean debug) {
    err.println("gnn4j spark: " + message);
    if (debug) e.printStackTrace(err);
    return 1;
  }

  static String usage() {
    StringBuilder b = new StringBuilder("""
        gnn4j spark: gnn4j jobs on Apache Spark (embedded local[*] unless --master URL)

        usage: gnn4j spark <job> [options] [--master URL]

        jobs:
        """);
    JOBS.forEach((name, e) -> b.append(String.format("  %-11s%s%n", name, e.summary())));
    b.append(String.format("  %-11s%s%n%n--debug      print stack traces for errors%n", "help",
        "this text"));
    return b.toString();
  }
}
