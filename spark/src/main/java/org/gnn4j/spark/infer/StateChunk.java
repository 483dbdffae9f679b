package org.gnn4j.spark.infer;

import java.io.Serializable;

/**
 * What one partition sends one slot in a layer of layer-wise inference: for each target node of
 * the slot that has in-edges in the partition, its aggregate state ({@link LayerPlan#merge}able),
 * already merged over those edges. Flat arrays, so the shuffle moves a few large primitive
 * arrays per (partition, slot) instead of an object per edge.
 */
final class StateChunk implements Serializable {
  final long[] targets;    // [T]
  final int[] ends;        // [T]: state t is values[ends[t-1] .. ends[t])
  final double[] values;

  private StateChunk(long[] targets, int[] ends, double[] values) {
    this.targets = targets;
    this.ends = ends;
    this.values = values;
  }

  /** The chunk of {@code states[0 .. n)} for {@code targets}. */
  static StateChunk of(long[] targets, double[][] states, int n) {
    int[] ends = new int[n];
    int total = 0;
    for (int t = 0; t < n; t++) {
      total += states[t].length;
      ends[t] = total;
    }
    double[] values = new double[total];
    for (int t = 0; t < n; t++) System.arraycopy(states[t], 0, values, ends[t] - states[t].length, states[t].length);
    return new StateChunk(targets, ends, values);
  }

  int size() {
    return targets.length;
  }

  /** State t, copied out (a merge may reuse it). */
  double[] state(int t) {
    int from = t == 0 ? 0 : ends[t - 1];
    return java.util.Arrays.copyOfRange(values, from, ends[t]);
  }
}
