package org.gnn4j.spark.train;

import java.util.function.Supplier;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.train.Experiment;

/**
 * The training loop of one task, apart from Spark: epochs of global mini-batches, each step this
 * task's share of the gradient, the ring all-reduce that sums the shares, and the same optimizer
 * step in every task. The Spark stage runs it in each barrier task; it runs as well on threads of
 * one JVM, which is how the ring is tested without a cluster.
 */
final class Worker {
  private Worker() {}

  /**
   * Trains this task's replica to the end of the config's epochs.
   *
   * @param threads the replica's Context threads (a Spark task's {@code spark.task.cpus})
   * @param join joins the ring, called once the replica is built (so a slow start is not
   *     counted against the peers' timeout); the loop closes the ring
   * @return the final weights and the epoch losses (every task computes the same)
   */
  static TrainOutput train(TrainPlan plan, TrainingGraph graph, int rank, int world, int threads,
                           Supplier<RingAllReduce> join) {
    Experiment.TrainSpec spec = Experiment.of(ConfigNode.parse(plan.configJson(), "spark train config")).train();
    int epochs = spec.epochs();
    long seed = spec.seed();
    try (Replica r = new Replica(plan.configJson(), graph, rank, world, threads);
         RingAllReduce ring = join.get()) {
      float[] flat = new float[r.size()];
      double[] epochLoss = new double[epochs];
      float[] firstGradient = null;
      long step = 0;
      long ringNanos = 0;
      long t0 = System.nanoTime();
      for (int epoch = 1; epoch <= epochs; epoch++) {
        r.startEpoch(epoch);
        int[] order = Replica.epochOrder(graph.train(), seed, epoch);
        double sum = 0;
        for (int s = 0; s < r.stepsPerEpoch(); s++, step++) {
          if (ring.rank() == plan.failRank() && step == plan.failStep()) {
            throw new IllegalStateException("spark train: task " + ring.rank() + " failed at step " + step
                + " (injected by a test)");
          }
          r.localStep(order, epoch, s, flat);
          long a = System.nanoTime();
          ring.allReduceInPlace(flat);
          ringNanos += System.nanoTime() - a;
          if (step == 0 && plan.captureFirstGradient()) firstGradient = flat.clone();
          int batchNodes = Math.min(order.length, (s + 1) * r.batch()) - s * r.batch();
          sum += r.apply(flat) * batchNodes;
        }
        epochLoss[epoch - 1] = sum / r.numTrainNodes();
        if (!Double.isFinite(epochLoss[epoch - 1])) {
          throw new IllegalStateException("spark train: the loss became " + epochLoss[epoch - 1] + " at epoch "
              + epoch + "; lower optim.lr or set optim.clip_norm");
        }
      }
      return r.output(epochLoss, firstGradient, step, (System.nanoTime() - t0) / 1e9, ringNanos / 1e9);
    }
  }
}
