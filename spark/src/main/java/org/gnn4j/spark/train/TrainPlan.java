package org.gnn4j.spark.train;

import java.io.Serializable;

/**
 * The settings every task of one data-parallel training stage shares: the run's config (as JSON,
 * with epochs, batch size, fan-outs and seed already in it), the number of tasks, the all-reduce
 * timeout and a token that ties the tasks of one attempt together.
 *
 * @param configJson the full run config, the one the checkpoint will carry
 * @param workers W, the number of barrier tasks
 * @param timeoutMillis longest wait for a peer, in connecting and in every all-reduce step
 * @param token the same in every task of a stage; a connection that does not present it is refused
 * @param captureFirstGradient task 0 also returns the summed gradient of the first step (tests)
 * @param failRank with {@code failStep}, makes that task fail at that step (tests of a dying peer; -1 = never)
 * @param failStep the 0-based global step at which {@code failRank} fails
 */
public record TrainPlan(String configJson, int workers, long timeoutMillis, long token,
                        boolean captureFirstGradient, int failRank, long failStep) implements Serializable {
  public TrainPlan {
    if (workers < 1) throw new IllegalArgumentException("spark train: --workers must be >= 1 (got " + workers + ")");
    if (timeoutMillis < 1) throw new IllegalArgumentException("spark train: the peer timeout must be >= 1 ms (got " + timeoutMillis + ")");
  }

  /** A plan without test hooks. */
  public static TrainPlan of(String configJson, int workers, long timeoutMillis, long token) {
    return new TrainPlan(configJson, workers, timeoutMillis, token, false, -1, -1);
  }
}
