package org.gnn4j.spark.infer;

import org.apache.spark.Partitioner;

/**
 * Where the block engine of layer-wise inference keeps a node: its id hashes to one of
 * {@code parts * perPart} slots, slot g lives in partition {@code g / perPart}, and a slot's nodes
 * form one block of rows (about {@link #ROWS} of them), the unit of every dense step. A node's
 * row, its out-edges and the states of its in-edges all go to its slot, so node blocks, edge
 * blocks and aggregate states meet partition by partition without a join. As a partitioner it
 * routes shuffle keys (slot, sender) packed in a long (see {@link #key}): sorting those keys
 * within a partition puts each slot's records together, in the order of the partitions that sent
 * them, so merges happen in the same order on every run.
 */
final class Slots extends Partitioner {
  /** Rows a slot aims at: enough for the matrix kernels to reach speed, few enough to stay small. */
  static final int ROWS = 4096;

  private final int parts;
  private final int perPart;

  Slots(int parts, long nodes) {
    this.parts = parts;
    this.perPart = (int) Math.max(1, Math.min(1 << 16, (nodes + (long) parts * ROWS - 1) / ((long) parts * ROWS)));
  }

  /** Number of slots. */
  int count() {
    return parts * perPart;
  }

  /** The slot of node {@code id}: a mixed hash (ids are a user's keys, often sequential). */
  int slot(long id) {
    long h = id;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Math.floorMod(h, (long) count());
  }

  /** The shuffle key of a record for slot {@code slot} sent by partition {@code sender}. */
  long key(int slot, int sender) {
    return ((long) slot << 32) | sender;
  }

  /** The slot a shuffle key names. */
  int slotOf(long key) {
    return (int) (key >>> 32);
  }

  @Override
  public int numPartitions() {
    return parts;
  }

  @Override
  public int getPartition(Object key) {
    return slotOf((Long) key) / perPart;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slots s && s.parts == parts && s.perPart == perPart;
  }

  @Override
  public int hashCode() {
    return 31 * parts + perPart;
  }
}
