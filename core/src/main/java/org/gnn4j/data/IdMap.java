package org.gnn4j.data;

import java.util.Arrays;

/** Global id -> local row (insertion order), open addressing; keys in insertion order. */
final class IdMap {
  private int[] slots; // local id + 1, 0 = empty
  private int[] keys = new int[16];
  private int size;

  IdMap(int expected) {
    slots = new int[Integer.highestOneBit(Math.max(16, expected) * 2) * 2];
  }

  int size() {
    return size;
  }

  int key(int localId) {
    return keys[localId];
  }

  int getOrAdd(int key) {
    int mask = slots.length - 1;
    int h = (key * 0x9E3779B9) >>> 7 & mask;
    while (slots[h] != 0) {
      if (keys[slots[h] - 1] == key) return slots[h] - 1;
      h = (h + 1) & mask;
    }
    if (size == keys.length) keys = Arrays.copyOf(keys, 2 * size);
    keys[size] = key;
    slots[h] = ++size;
    if (2 * size > slots.length) rehash();
    return size - 1;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int i = 0; i < size; i++) {
      int h = (keys[i] * 0x9E3779B9) >>> 7 & mask;
      while (slots[h] != 0) h = (h + 1) & mask;
      slots[h] = i + 1;
    }
  }
}
