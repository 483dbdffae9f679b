package org.gnn4j.data;

import java.util.Arrays;

/** A growable int array. */
final class IntBuf {
  private int[] a = new int[64];
  private int size;

  void add(int v) {
    if (size == a.length) a = Arrays.copyOf(a, 2 * size);
    a[size++] = v;
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(a, size);
  }
}
