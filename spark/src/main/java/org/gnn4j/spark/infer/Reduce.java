package org.gnn4j.spark.infer;

import java.io.Serializable;

/**
 * The simple aggregations of message passing as mergeable states in double (so that the order
 * in which a shuffle delivers partial states changes the result less than gnn4j's float kernels
 * round): SUM keeps [F] sums, MEAN [F] sums and a count, MAX [F] maxima and a count. A target
 * without in-edges aggregates 0 under all three, as gnn4j's ops give.
 */
enum Reduce implements Serializable {
  SUM, MEAN, MAX;

  /** The state of one message row. */
  double[] of(float[] m) {
    int f = m.length;
    double[] s = new double[this == SUM ? f : f + 1];
    for (int c = 0; c < f; c++) s[c] = m[c];
    if (this != SUM) s[f] = 1;
    return s;
  }

  /** The state of one message already in double. */
  double[] ofDouble(double[] m) {
    if (this == SUM) return m;
    double[] s = java.util.Arrays.copyOf(m, m.length + 1);
    s[m.length] = 1;
    return s;
  }

  /** {@code state} (null: none yet) with message {@code m} merged in, in place. */
  double[] accumulate(double[] state, float[] m) {
    if (state == null) return of(m);
    int f = m.length;
    if (this == MAX) {
      for (int c = 0; c < f; c++) state[c] = Math.max(state[c], m[c]);
    } else {
      for (int c = 0; c < f; c++) state[c] += m[c];
    }
    if (this != SUM) state[f] += 1;
    return state;
  }

  double[] merge(double[] a, double[] b) {
    int f = this == SUM ? a.length : a.length - 1;
    if (this == MAX) {
      for (int c = 0; c < f; c++) a[c] = Math.max(a[c], b[c]);
    } else {
      for (int c = 0; c < f; c++) a[c] += b[c];
    }
    if (this != SUM) a[f] += b[f];
    return a;
  }

  /** The aggregate row of width {@code width}; {@code state} null: no in-edges. */
  float[] finish(double[] state, int width) {
    float[] out = new float[width];
    if (state == null) return out;
    double count = this == SUM ? 1 : state[width];
    for (int c = 0; c < width; c++) out[c] = (float) (this == MEAN ? state[c] / count : state[c]);
    return out;
  }
}
