package org.gnn4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every gnn4j Spark job and test uses: embedded {@code local[*]} unless a
 * master URL is given, the web UI off, and the driver bound to the loopback address when it runs
 * embedded (a sandboxed or offline machine may have no routable address for Spark to pick), where
 * a task's out-of-memory error fails the job rather than the JVM. A session already running in
 * this JVM (spark-submit's) is reused as it is.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** The default master: every core of this machine, in this JVM. */
  public static final String LOCAL = "local[*]";

  /** Whether a session for {@code master} (as {@link #get} takes it) runs its tasks in this JVM. */
  public static boolean embedded(String master) {
    return effective(master).startsWith("local");
  }

  /** The master a session for {@code master} runs on: it, else spark-submit's, else {@link #LOCAL}. */
  private static String effective(String master) {
    String submitted = System.getProperty("spark.master");
    return master != null ? master : submitted != null ? submitted : LOCAL;
  }

  /**
   * A session for {@code master} ({@code null} means {@link #LOCAL}, or spark-submit's master when
   * the job was submitted), with {@code shufflePartitions} partitions after a shuffle.
   */
  public static SparkSession get(String master, int shufflePartitions) {
    SparkSession.Builder b = SparkSession.builder().appName("gnn4j")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions));
    if (master != null) b.master(master);
    else if (System.getProperty("spark.master") == null) b.master(LOCAL);
    String effective = effective(master);
    if (embedded(master)) {
      b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
      // a task that runs out of memory fails its job instead of ending the JVM: embedded, the
      // executor is this JVM, and Spark's handler would exit at once with its stack trace, before
      // the job could say in one line what ran out (SparkMain)
      b.config("spark.executor.killOnFatalError.depth", "0");
    }
    MasterCheck.reachable(effective);
    SparkSession spark;
    try {
      spark = b.getOrCreate();
    } catch (Exception e) { // SparkException is checked in Java's eyes but thrown anyway
      if (e instanceof RuntimeException r) throw r;
      throw new IllegalArgumentException("--master " + effective + ": Spark cannot start a session on it ("
          + SparkErrors.firstLine(e) + ")", e);
    }
    MasterCheck.registered(effective, spark);
    return spark;
  }
}
