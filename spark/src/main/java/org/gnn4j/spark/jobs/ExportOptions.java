package org.gnn4j.spark.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code --name value} options of the table jobs (export, generate): every option known in
 * advance, each at most once, a bad one named in one line with the valid ones; plus the output
 * guard those jobs share (an existing output is never touched).
 */
final class ExportOptions {
  private final String job;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> known;

  ExportOptions(String job, String[] args, String... known) {
    this.job = job;
    this.known = List.of(known);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        values.put("help", "");
        continue;
      }
      String key = a.startsWith("--") ? a.substring(2) : null;
      if (key == null || !this.known.contains(key)) {
        throw new IllegalArgumentException(job + ": unknown option " + a + " (valid: --"
            + String.join(", --", known) + ")");
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(job + ": " + a + " needs a value");
      if (values.put(key, args[++i]) != null) {
        throw new IllegalArgumentException(job + ": " + a + " is given twice");
      }
    }
  }

  boolean help() {
    return values.containsKey("help");
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  String required(String key) {
    String v = values.get(key);
    if (v == null) throw new IllegalArgumentException(job + ": --" + key + " is required");
    return v;
  }

  long positiveLong(String key, String fallback, long min) {
    String v = fallback == null ? required(key) : get(key, fallback);
    long n;
    try {
      n = parseCount(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(job + ": --" + key + " must be a whole number (got '" + v + "')");
    }
    if (n < min) throw new IllegalArgumentException(job + ": --" + key + " must be >= " + min + " (got " + v + ")");
    return n;
  }

  /** A count with an optional k/M/B suffix: 20k, 50M, 1B. */
  static long parseCount(String v) {
    String s = v.trim();
    long scale = 1;
    char last = s.isEmpty() ? ' ' : Character.toLowerCase(s.charAt(s.length() - 1));
    if (last == 'k') scale = 1_000L;
    else if (last == 'm') scale = 1_000_000L;
    else if (last == 'b' || last == 'g') scale = 1_000_000_000L;
    if (scale != 1) s = s.substring(0, s.length() - 1);
    return Math.multiplyExact(Long.parseLong(s), scale);
  }

  /**
   * Refuses an output that exists (file or folder, local or on a cluster file system): the jobs
   * never overwrite or merge into what a user saved. A null {@code spark} means the caller
   * already saw it exists.
   */
  static void refuseExisting(SparkSession spark, String option, String dir) {
    if (spark == null || exists(spark, dir)) {
      throw new IllegalArgumentException(option + " " + dir + " already exists (choose a new"
          + " directory; gnn4j spark never overwrites an output)");
    }
  }

  static boolean exists(SparkSession spark, String dir) {
    Path p = new Path(dir);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + dir + " (" + e.getMessage() + ")", e);
    }
  }

  /** Removes what a failed job wrote under {@code dir} (which did not exist before it began). */
  static void removeQuietly(SparkSession spark, String dir) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(p, true);
    } catch (IOException | RuntimeException e) {
      // best effort: the job's own error is the one worth reporting
    }
  }

  /** What a job throws when writing {@code dir} failed: the runtime exception itself, else one line. */
  static RuntimeException failed(String job, String dir, Exception e) {
    if (e instanceof RuntimeException r) return r;
    String m = String.valueOf(e.getMessage());
    return new IllegalStateException(job + ": cannot write " + dir + " (" + m.lines().findFirst().orElse(m)
        + ")", e);
  }
}
