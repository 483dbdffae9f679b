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
    job("precompute", "degrees, SIGN hop features, RWSE, per-graph LapPE/RWSE as Parquet",
        org.gnn4j.spark.precompute.PrecomputeJob::run);
    job("train-sign", "a SIGN model trained from precomputed hop features, streamed from Parquet",
        org.gnn4j.spark.sign.TrainSignJob::run);
  }

  private static void job(String name, String summary, SparkJob job) {
    JOBS.put(name, new Entry(job, summary));
  }

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    boolean debug = Arrays.asList(argv).contains("--debug");
    String[] args = Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    try {
      Entry e = JOBS.get(args[0]);
      if (e == null) {
        throw new IllegalArgumentException("unknown spark job '" + args[0] + "' (valid: "
            + String.join(", ", JOBS.keySet()) + ", help)");
      }
      return e.job().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      return fail(err, e.getMessage(), e, debug);
    } catch (OutOfMemoryError e) {
      return fail(err, "out of memory on the driver: give it more with"
          + " GNN4J_JAVA_OPTS=-Xmx<size> (or spark-submit --driver-memory)", e, debug);
    } catch (RuntimeException e) {
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
