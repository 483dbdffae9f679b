package org.gnn4j.spark.infer;

import java.io.Serializable;

/**
 * What one partition sends one slot in a layer of layer-wise inference: for each target node of
 * the slot that has in-edges in the partition, its aggregate state ({@link LayerPlan#merge}able),
 * already merged over those edges. Flat arrays, so the shuffle moves a few large primitive
 * arrays per (partition, slot) instead of an object per edge.
 *
 * <p>States are summed in double within the partition and travel as float: the shuffle is the
 * engine's largest cost and float halves it, while a partial sum rounded once to float is still
 * as precise as gnn4j's own float kernels (the receiver merges the few partials in double again,
 * in a fixed order, so a run gives the same bits each time). Counts stay exact below 2^24 in-edges
 * of one target within one partition.
 */
final class StateChunk implements Serializable {
  final long[] targets;    // [T]
  final int[] ends;        // [T]: state t is values[ends[t-1] .. ends[t])
  final float[] values;

  private StateChunk(long[] targets, int[] ends, float[] values) {
    this.targets = targets;
    this.ends = ends;
    this.values = values;
  }

  /** What Java serialization sends instead: the three arrays packed into one ({@link Wire}). */
  private Object writeReplace() {
    java.nio.ByteBuffer b = Wire.writer(targets.length * (Long.BYTES + Integer.BYTES) + values.length * Float.BYTES);
    Wire.put(b, targets);
    Wire.put(b, ends);
    Wire.put(b, values);
    return new Packed(targets.length, values.length, b.array());
  }

  private record Packed(int t, int v, byte[] bytes) implements Serializable {
    private Object readResolve() {
      java.nio.ByteBuffer b = Wire.reader(bytes);
      return new StateChunk(Wire.longs(b, t), Wire.ints(b, t), Wire.floats(b, v));
    }
  }

  /** The chunk of {@code states[0 .. n)} for {@code targets}. */
  static StateChunk of(long[] targets, double[][] states, int n) {
    int[] ends = new int[n];
    int total = 0;
    for (int t = 0; t < n; t++) {
      total += states[t].length;
      ends[t] = total;
    }
    float[] values = new float[total];
    for (int t = 0; t < n; t++) {
      double[] s = states[t];
      int at = ends[t] - s.length;
      for (int c = 0; c < s.length; c++) values[at + c] = (float) s[c];
    }
    return new StateChunk(targets, ends, values);
  }

  /** The chunk of the states {@code states[0 .. n * width)}, each {@code width} wide, for {@code targets}. */
  static StateChunk ofRows(long[] targets, double[] states, int n, int width) {
    int[] ends = new int[n];
    for (int t = 0; t < n; t++) ends[t] = (t + 1) * width;
    float[] values = new float[n * width];
    for (int k = 0; k < values.length; k++) values[k] = (float) states[k];
    return new StateChunk(targets, ends, values);
  }

  /** Where state t starts in {@link #values}. */
  int from(int t) {
    return t == 0 ? 0 : ends[t - 1];
  }

  int size() {
    return targets.length;
  }

  /** State t, copied out in double (a merge may reuse it). */
  double[] state(int t) {
    int from = t == 0 ? 0 : ends[t - 1];
    double[] s = new double[ends[t] - from];
    for (int c = 0; c < s.length; c++) s[c] = values[from + c];
    return s;
  }
}
