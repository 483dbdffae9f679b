package org.gnn4j.spark.infer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Primitive arrays packed into one little-endian byte array, for the block engine's records to
 * cross a shuffle as. Java serialization writes a float or long array value by value through a
 * 1 KB buffer (and reads it back the same way), which profiles of the 10M-edge benchmark showed
 * as a few percent of the job's CPU; a byte array is copied whole, and the packing here is a bulk
 * copy too. Little-endian whatever the machine, so that a cluster of mixed byte orders still
 * agrees; on the usual hosts that is their own order, and the copy is a plain memory copy.
 */
final class Wire {
  private Wire() {}

  /** A buffer of {@code bytes} bytes to put arrays into, in order. */
  static ByteBuffer writer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A buffer over {@code bytes} to take arrays from, in the order they were put. */
  static ByteBuffer reader(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static void put(ByteBuffer b, long[] a) {
    b.asLongBuffer().put(a);
    b.position(b.position() + a.length * Long.BYTES);
  }

  static void put(ByteBuffer b, float[] a) {
    b.asFloatBuffer().put(a);
    b.position(b.position() + a.length * Float.BYTES);
  }

  static long[] longs(ByteBuffer b, int n) {
    long[] a = new long[n];
    b.asLongBuffer().get(a);
    b.position(b.position() + n * Long.BYTES);
    return a;
  }

  static float[] floats(ByteBuffer b, int n) {
    float[] a = new float[n];
    b.asFloatBuffer().get(a);
    b.position(b.position() + n * Float.BYTES);
    return a;
  }
}
