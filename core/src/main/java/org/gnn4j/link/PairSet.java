package org.gnn4j.link;

/**
 * A set of node-pair keys ({@link NodePairs#key}) in one open-addressing table of longs, for the
 * membership tests of negative sampling and split checking, which run per drawn pair and so
 * must not box. Keys are non-negative, so -1 marks an empty slot.
 */
final class PairSet {
  private long[] table;
  private int size;

  PairSet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    table = new long[cap];
    java.util.Arrays.fill(table, -1L);
  }

  /** The keys of all pairs of {@code pairs} (both orders when {@code bothOrders}). */
  static PairSet of(NodePairs pairs, int numNodes, boolean bothOrders) {
    PairSet s = new PairSet(pairs.size() * (bothOrders ? 2 : 1));
    for (int i = 0; i < pairs.size(); i++) {
      s.add(NodePairs.key(pairs.src()[i], pairs.dst()[i], numNodes));
      if (bothOrders) s.add(NodePairs.key(pairs.dst()[i], pairs.src()[i], numNodes));
    }
    return s;
  }

  int size() {
    return size;
  }

  /** Adds {@code key}; false when it was there already. */
  boolean add(long key) {
    if (2 * (size + 1) > table.length) grow();
    int mask = table.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (table[i] == key) return false;
      if (table[i] == -1L) {
        table[i] = key;
        size++;
        return true;
      }
    }
  }

  boolean contains(long key) {
    int mask = table.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (table[i] == key) return true;
      if (table[i] == -1L) return false;
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;        // Fibonacci hashing spreads consecutive keys
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    java.util.Arrays.fill(table, -1L);
    size = 0;
    for (long k : old) if (k != -1L) add(k);
  }
}
