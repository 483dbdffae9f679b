package org.gnn4j.spark.train;

import java.io.Serializable;
import java.nio.channels.ServerSocketChannel;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of each barrier task: listen on the executor's host (loopback in embedded Spark), exchange addresses with the
 * other tasks once through {@link BarrierTaskContext#allGather}, join the ring, and run the
 * {@link Worker} loop with {@code spark.task.cpus} threads. Task 0 returns the final weights;
 * the others return nothing (they hold the same weights).
 */
final class BarrierTrainTask extends AbstractFunction1<Iterator<Integer>, Iterator<TrainOutput>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TrainPlan plan;
  private final Broadcast<TrainingGraph> graph;

  BarrierTrainTask(TrainPlan plan, Broadcast<TrainingGraph> graph) {
    this.plan = plan;
    this.graph = graph;
  }

  @Override
  public Iterator<TrainOutput> apply(Iterator<Integer> ignored) {
    BarrierTaskContext tc = BarrierTaskContext.get();
    int rank = tc.partitionId();
    // embedded Spark: every task is in this JVM, and loopback works even where the machine's
    // own address does not (sandboxes, machines without a routable address)
    String host = org.apache.spark.SparkEnv.get().conf().get("spark.master", "").startsWith("local")
        ? "127.0.0.1" : hostOf(tc.getTaskInfos()[rank].address());
    int world = tc.numPartitions();
    // one token per stage attempt: a retried stage never talks to the previous attempt's tasks
    long token = plan.token() * 31 + tc.stageAttemptNumber();
    TrainOutput out = Worker.train(plan, graph.value(), rank, world, tc.cpus(), () -> {
      ServerSocketChannel server = RingAllReduce.listen(host);
      String[] addresses;
      try {
        addresses = tc.allGather(RingAllReduce.addressOf(host, server));   // also a barrier: all replicas built
      } catch (RuntimeException e) {
        try {
          server.close();
        } catch (java.io.IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return RingAllReduce.connect(rank, addresses, server, plan.timeoutMillis(), token);
    });
    List<TrainOutput> result = rank == 0 ? List.of(out) : Collections.emptyList();
    return CollectionConverters.asScala(result.iterator());
  }

  /** The host of a {@code host:port} executor address (IPv6 in brackets or not). */
  static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : address;
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
