package org.gnn4j.spark.infer;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What one partition sends one slot in a layer of layer-wise inference: for each target node of
 * the slot that has in-edges in the partition, its aggregate state ({@link LayerPlan#merge}able),
 * already merged over those edges.
 *
 * <p>A chunk is its wire form, one little-endian byte array (targets as longs, then, for states
 * of varying width, where each ends, then the values as floats), read in place by the receiver.
 * The shuffle is the engine's largest cost: separate arrays were packed into a byte array to be
 * sent and unpacked from one on arrival, so each state was written four times and held twice on
 * each side, in arrays of about a megabyte that the collector allocates and frees one by one.
 * Little-endian whatever the machine, so that a cluster of mixed byte orders still agrees.
 *
 * <p>States are summed in double within the partition and travel as float, which halves the
 * shuffle, while a partial sum rounded once to float is still as precise as gnn4j's own float
 * kernels (the receiver merges the few partials in double again, in a fixed order, so a run
 * gives the same bits each time). Counts stay exact below 2^24 in-edges of one target within one
 * partition.
 */
final class StateChunk implements Serializable {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private final int size;        // T
  private final int width;       // > 0: every state this wide, no ends stored; 0: ends stored
  private final byte[] bytes;    // [T] longs, [T] int ends (width 0 only), the values as floats
  private final int valuesAt;    // where the values start in bytes

  private StateChunk(int size, int width, byte[] bytes) {
    this.size = size;
    this.width = width;
    this.bytes = bytes;
    this.valuesAt = size * (width > 0 ? Long.BYTES : Long.BYTES + Integer.BYTES);
  }

  /** The chunk of {@code states[0 .. n)} for {@code targets[0 .. n)}. */
  static StateChunk of(long[] targets, double[][] states, int n) {
    int total = 0;
    for (int t = 0; t < n; t++) total += states[t].length;
    int values = n * (Long.BYTES + Integer.BYTES);
    byte[] b = new byte[values + total * Float.BYTES];
    int end = 0;
    for (int t = 0; t < n; t++) {
      LONG.set(b, t * Long.BYTES, targets[t]);
      double[] s = states[t];
      for (int c = 0; c < s.length; c++) FLOAT.set(b, values + (end + c) * Float.BYTES, (float) s[c]);
      end += s.length;
      INT.set(b, n * Long.BYTES + t * Integer.BYTES, end);
    }
    return new StateChunk(n, 0, b);
  }

  /**
   * The chunk of the states {@code states[0 .. n * width)}, each {@code width} wide, for
   * {@code targets[0 .. n)}.
   */
  static StateChunk ofRows(long[] targets, double[] states, int n, int width) {
    if (width <= 0) throw new IllegalArgumentException("StateChunk: row width " + width);
    int values = n * Long.BYTES;
    byte[] b = new byte[values + n * width * Float.BYTES];
    for (int t = 0; t < n; t++) LONG.set(b, t * Long.BYTES, targets[t]);
    for (int k = 0, len = n * width; k < len; k++) FLOAT.set(b, values + k * Float.BYTES, (float) states[k]);
    return new StateChunk(n, width, b);
  }

  int size() {
    return size;
  }

  /** The target of state t. */
  long target(int t) {
    return (long) LONG.get(bytes, t * Long.BYTES);
  }

  /** Where state t starts among the values. */
  int from(int t) {
    if (width > 0) return t * width;
    return t == 0 ? 0 : end(t - 1);
  }

  private int end(int t) {
    return (int) INT.get(bytes, size * Long.BYTES + t * Integer.BYTES);
  }

  /** Value i, as sent. */
  float value(int i) {
    return (float) FLOAT.get(bytes, valuesAt + i * Float.BYTES);
  }

  /** State t, copied out in double (a merge may reuse it). */
  double[] state(int t) {
    int from = from(t);
    int to = width > 0 ? from + width : end(t);
    double[] s = new double[to - from];
    for (int c = 0; c < s.length; c++) s[c] = value(from + c);
    return s;
  }
}
