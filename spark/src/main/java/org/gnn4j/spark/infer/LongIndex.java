package org.gnn4j.spark.infer;

import java.util.Arrays;

/**
 * An open-addressing map from node ids (arbitrary longs) to dense row numbers 0, 1, 2, ... in
 * the order ids were first added: what the block engine of layer-wise inference uses to find a
 * node's row in its partition or block without boxing a {@code Long} per edge.
 */
final class LongIndex {
  private static final int EMPTY = -1;
  private long[] keys;
  private int[] rows;        // EMPTY where the slot is free
  private int size;

  LongIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    keys = new long[cap];
    rows = new int[cap];
    Arrays.fill(rows, EMPTY);
  }

  int size() {
    return size;
  }

  private static int mix(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The row of {@code id}, or -1 when it was never added. */
  int get(long id) {
    int mask = keys.length - 1;
    for (int s = mix(id, mask); ; s = (s + 1) & mask) {
      if (rows[s] == EMPTY) return -1;
      if (keys[s] == id) return rows[s];
    }
  }

  /** The row of {@code id}, adding it as the next row when it is new. */
  int add(long id) {
    if (2 * (size + 1) > keys.length) grow();
    int mask = keys.length - 1;
    for (int s = mix(id, mask); ; s = (s + 1) & mask) {
      if (rows[s] == EMPTY) {
        keys[s] = id;
        rows[s] = size;
        return size++;
      }
      if (keys[s] == id) return rows[s];
    }
  }

  /** Empties the index, keeping its capacity (one index serves a pass over many slots). */
  void clear() {
    if (size == 0) return;
    Arrays.fill(rows, EMPTY);
    size = 0;
  }

  private void grow() {
    long[] k = keys;
    int[] r = rows;
    keys = new long[k.length * 2];
    rows = new int[k.length * 2];
    Arrays.fill(rows, EMPTY);
    int mask = keys.length - 1;
    for (int i = 0; i < k.length; i++) {
      if (r[i] == EMPTY) continue;
      int s = mix(k[i], mask);
      while (rows[s] != EMPTY) s = (s + 1) & mask;
      keys[s] = k[i];
      rows[s] = r[i];
    }
  }

  /** The ids in row order. */
  long[] ids() {
    long[] out = new long[size];
    for (int i = 0; i < keys.length; i++) if (rows[i] != EMPTY) out[rows[i]] = keys[i];
    return out;
  }
}
