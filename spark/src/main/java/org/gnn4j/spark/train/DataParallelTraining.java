package org.gnn4j.spark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training started by Spark (the pattern of XGBoost4J-Spark and Spark's
 * TorchDistributor): one barrier stage of W tasks that Spark schedules all at once, each holding a
 * replica of the model, the tasks summing their gradients every step through a
 * {@link RingAllReduce} over their own TCP connections. Spark's own collectives cannot be called
 * every step: {@code BarrierTaskContext.allGather} polls once per second and
 * {@code treeAggregate} of a million floats takes 0.5-2 s. The driver broadcasts the graph,
 * starts the stage, and receives task 0's final weights.
 *
 * <p>A failed task fails the stage (Spark then stops the others, and each remaining task notices
 * its lost neighbour within the plan's timeout); the driver reports the first failure in one line.
 */
public final class DataParallelTraining {
  private DataParallelTraining() {}

  /** Task slots a barrier stage can use at once: cores over {@code spark.task.cpus}. */
  public static int slots(SparkContext sc) {
    return Math.max(0, sc.defaultParallelism() / taskCpus(sc));
  }

  /**
   * Refuses more barrier tasks than can run at once (Spark would keep offering the stage slots
   * it can never fill, then fail it).
   *
   * @throws IllegalArgumentException in one line with the numbers
   */
  public static void checkSlots(SparkContext sc, int workers) {
    int slots = slots(sc);
    if (workers > slots) {
      throw new IllegalArgumentException("spark train: --workers " + workers + " needs " + workers + " task slots at"
          + " once (a barrier stage starts all its tasks together), and the cluster has " + slots + " ("
          + sc.defaultParallelism() + " cores / spark.task.cpus = " + taskCpus(sc) + "); use --workers <= " + slots);
    }
  }

  static int taskCpus(SparkContext sc) {
    return Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
  }

  /**
   * Runs the training stage and returns task 0's output.
   *
   * @throws IllegalArgumentException if W exceeds the cluster's task slots
   * @throws IllegalStateException with the first task failure, in one line
   */
  public static TrainOutput run(SparkSession spark, TrainPlan plan, TrainingGraph graph) {
    SparkContext sc = spark.sparkContext();
    int w = plan.workers();
    checkSlots(sc, w);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    Broadcast<TrainingGraph> b = jsc.broadcast(graph);
    List<Integer> ranks = new ArrayList<>();
    for (int i = 0; i < w; i++) ranks.add(i);
    RDD<Integer> seeds = jsc.parallelize(ranks, w).rdd();
    ClassTag<TrainOutput> tag = ClassTag$.MODULE$.apply(TrainOutput.class);
    RDD<TrainOutput> trained = seeds.barrier().mapPartitions(new BarrierTrainTask(plan, b), false, tag);
    String interrupt = sc.getLocalProperty("spark.job.interruptOnCancel");
    // a cancelled stage interrupts its tasks, which ends any wait in the ring at once
    sc.setLocalProperty("spark.job.interruptOnCancel", "true");
    sc.setJobDescription("gnn4j spark train (" + w + " tasks)");
    try {
      List<TrainOutput> out = new JavaRDD<>(trained, tag).collect();
      if (out.size() != 1) throw new IllegalStateException("spark train: expected task 0's weights, got " + out.size() + " results");
      return out.get(0);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {   // Spark's SparkException is checked, though Scala throws it undeclared
      throw new IllegalStateException("spark train: the training stage failed: " + reason(e), e);
    } finally {
      sc.setLocalProperty("spark.job.interruptOnCancel", interrupt);
      sc.setJobDescription(null);
      b.destroy();
    }
  }

  /**
   * One line saying why a stage failed: the message of the task's own exception when Spark kept
   * it as the cause, else the line of Spark's report that names the exception.
   */
  static String reason(Throwable e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof IllegalStateException || c instanceof IllegalArgumentException
          || c instanceof java.io.UncheckedIOException) {
        return firstLine(c.getMessage());
      }
    }
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    for (String line : msg.split("\n")) {
      int at = line.indexOf("Exception: ");
      if (at >= 0) return line.substring(at + "Exception: ".length()).trim();
    }
    return firstLine(msg);
  }

  private static String firstLine(String s) {
    if (s == null) return "(no message)";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
