package org.gnn4j.spark;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What a failed Spark job means for the user, in one line. A task's failure reaches the driver as
 * a {@code SparkException} whose message holds the task's whole stack trace; when the task ran out
 * of memory, the user needs to know that and which setting gives it more, not the trace.
 */
public final class SparkErrors {
  private SparkErrors() {}

  /**
   * The {@code OutOfMemoryError} message ("Java heap space", ...) of {@code e} when it or a cause
   * is one, or names one (a task's error reaches the driver as text when its class did not
   * travel); null otherwise.
   */
  public static String outOfMemory(Throwable e) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError o) return o.getMessage() == null ? "" : o.getMessage();
      String m = t.getMessage();
      int at = m == null ? -1 : m.indexOf(OutOfMemoryError.class.getName());
      if (at >= 0) {
        String rest = m.substring(at + OutOfMemoryError.class.getName().length()).lines().findFirst().orElse("");
        return rest.startsWith(": ") ? rest.substring(2).trim() : "";
      }
    }
    return null;
  }

  /**
   * The line for a task that ran out of memory ({@code what}: the error's message). Embedded
   * ({@code local}), the tasks share this JVM's heap, which the launcher sizes; on a cluster each
   * executor has its own.
   */
  static String outOfMemoryLine(String what, boolean local) {
    String cause = what == null || what.isEmpty() ? "" : " (" + what + ")";
    if (local) {
      return "out of memory in a Spark task" + cause + ": in local mode the tasks share this JVM's heap of "
          + (Runtime.getRuntime().maxMemory() >> 20) + " MB; give it more with GNN4J_JAVA_OPTS=-Xmx<size>"
          + " (spark-submit: --driver-memory), or run on a cluster with --master URL";
    }
    return "out of memory in a Spark task on an executor" + cause + ": give the executors more with"
        + " spark.executor.memory (spark-submit: --executor-memory)";
  }

  /** The first line of {@code e}'s message (Spark's own messages run on with a stack trace). */
  static String firstLine(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.toString() : m.lines().findFirst().orElse(e.toString());
  }

  /** Whether the running session's master is local (the tasks run in this JVM); true without one. */
  static boolean localSession() {
    var s = org.apache.spark.sql.SparkSession.getDefaultSession();
    return s.isEmpty() || s.get().sparkContext().isLocal();
  }
}
