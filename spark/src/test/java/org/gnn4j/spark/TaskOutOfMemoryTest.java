package org.gnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A Spark task that runs out of memory: one line naming what ran out and the heap setting, exit 1. */
class TaskOutOfMemoryTest {
  /** A job whose second task throws what the JVM throws when the heap is full. */
  static int failingJob(SparkSession spark) {
    JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2), 2).map(x -> {
      if (x == 2) throw new OutOfMemoryError("Java heap space");
      return x;
    }).count();
    return 0;
  }

  @Test
  void inProcessTheJobFailsInOneLineAndTheJvmLivesOn() {
    SparkSession spark = LocalSpark.start();
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
      assertEquals(1, SparkMain.guarded(() -> failingJob(spark), err, false));
      String line = buf.toString(StandardCharsets.UTF_8);
      assertTrue(line.startsWith("gnn4j spark: out of memory in a Spark task (Java heap space): in local mode the tasks"
          + " share this JVM's heap of "), line);
      assertTrue(line.contains("GNN4J_JAVA_OPTS=-Xmx<size>") && line.contains("--master URL"), line);
      assertEquals(1, line.lines().count(), line);
      // Spark's handler did not end the JVM (killOnFatalError.depth 0), and the session still runs jobs
      assertEquals(3, spark.range(3).count());
    } finally {
      spark.stop();
    }
  }

  @Test
  void messagesOfOtherFailuresAndOfRemoteExecutors() {
    assertNull(SparkErrors.outOfMemory(new IllegalStateException("x")));
    // a remote executor's error reaches the driver as text inside Spark's message
    var remote = new RuntimeException("Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times,"
        + " most recent failure: Lost task 1.3 (TID 7) (10.0.0.5 executor 2): java.lang.OutOfMemoryError:"
        + " GC overhead limit exceeded\n\tat org.gnn4j.X.y(X.java:1)");
    assertEquals("GC overhead limit exceeded", SparkErrors.outOfMemory(new IllegalStateException("wrapped", remote)));
    assertEquals("out of memory in a Spark task on an executor (GC overhead limit exceeded): give the executors"
        + " more with spark.executor.memory (spark-submit: --executor-memory)",
        SparkErrors.outOfMemoryLine("GC overhead limit exceeded", false));
  }

  /** The command line's view: a JVM of its own with gnn4j's logging, whose stderr must hold no stack trace. */
  @Test
  void theCommandLinePrintsOneLineAndNoStackTrace() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Xmx") && !a.startsWith("-javaagent") && !a.startsWith("-agentlib")) cmd.add(a);
    }
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), err);
    assertEquals(1, p.exitValue(), err);
    List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("gnn4j spark: out of memory in a Spark task (Java heap space): in local mode"
        + " the tasks share this JVM's heap of 1024 MB; give it more with GNN4J_JAVA_OPTS=-Xmx<size>"), err);
  }

  /** The child JVM: SparkMain's logging set-up and error translation around a task out of memory. */
  public static final class Child {
    public static void main(String[] args) {
      SparkMain.quietEmbeddedLogs();
      System.exit(SparkMain.guarded(() -> failingJob(LocalSpark.start()), System.err, false));
    }
  }
}
