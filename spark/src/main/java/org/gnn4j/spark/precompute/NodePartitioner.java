package org.gnn4j.spark.precompute;

import org.apache.spark.Partitioner;

/**
 * Places a node id, or a {@link HopFeatures.Contribution} key by its target, in a partition by a
 * mixed hash of the id, so sequential ids spread evenly. Tables keyed by node under the same
 * partitioner join without a shuffle, and the sum of a hop lands where the next hop's join reads
 * it: only the messages along the edges move.
 */
final class NodePartitioner extends Partitioner {
  private final int partitions;

  NodePartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions: must be >= 1 (got " + partitions + ")");
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    long id = key instanceof HopFeatures.Contribution c ? c.dst() : (Long) key;
    return (int) Long.remainderUnsigned(Mix.mix64(id), partitions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodePartitioner p && p.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
