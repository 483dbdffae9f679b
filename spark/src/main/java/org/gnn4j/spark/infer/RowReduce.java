package org.gnn4j.spark.infer;

import java.io.Serializable;

/**
 * A layer's aggregation when every edge's state is a fixed-width row of doubles built from the
 * source's send row alone: a {@link Reduce} of the first {@code width} values of that row, each
 * scaled, when {@code scaled}, by the row's value at {@code width} (GCN's deg^-1/2 of the
 * source). The block engine of layer-wise inference then accumulates a target slot's states in
 * one flat array {@code [T, stateWidth]} and merges shuffled chunks in place, where per-target
 * states cost an array per (partition, target) on each side of the shuffle: at 10M edges, most
 * of what the garbage collector copied. Each method repeats, operation for operation, what the
 * layer's {@code accumulate}, {@code merge} and {@code finish} do, so both give the same bits.
 */
public final class RowReduce implements Serializable {
  private final Reduce reduce;
  private final int width;        // F: the values a state sums (or takes the maximum of)
  private final boolean scaled;   // the send row is [F + 1]: values, then the scale

  RowReduce(Reduce reduce, int width, boolean scaled) {
    if (scaled && reduce != Reduce.SUM) throw new IllegalArgumentException("RowReduce: a scaled row is summed (got " + reduce + ")");
    this.reduce = reduce;
    this.width = width;
    this.scaled = scaled;
  }

  /** F: the width of the finished aggregate. */
  int width() {
    return width;
  }

  /** Width of a state: F values, and the count for MEAN and MAX. */
  int stateWidth() {
    return reduce == Reduce.SUM ? width : width + 1;
  }

  /**
   * The message of the send row at {@code send[from ..]} merged into the state at
   * {@code states[at ..]}; {@code first}: the state holds nothing yet (its values are overwritten).
   */
  void accumulate(double[] states, int at, boolean first, float[] send, int from) {
    if (scaled) {
      double d = send[from + width];
      if (first) {
        for (int c = 0; c < width; c++) states[at + c] = send[from + c] * d;
      } else {
        for (int c = 0; c < width; c++) states[at + c] += send[from + c] * d;
      }
      return;
    }
    if (first) {
      for (int c = 0; c < width; c++) states[at + c] = send[from + c];
      if (reduce != Reduce.SUM) states[at + width] = 1;
      return;
    }
    if (reduce == Reduce.MAX) {
      for (int c = 0; c < width; c++) states[at + c] = Math.max(states[at + c], send[from + c]);
    } else {
      for (int c = 0; c < width; c++) states[at + c] += send[from + c];
    }
    if (reduce != Reduce.SUM) states[at + width] += 1;
  }

  /**
   * A shuffled state (values {@code from .. from + stateWidth} of the chunk, as sent) merged into
   * {@code merged[at ..]}; {@code first}: nothing merged there yet.
   */
  void merge(double[] merged, int at, boolean first, StateChunk values, int from) {
    int n = stateWidth();
    if (first) {
      for (int c = 0; c < n; c++) merged[at + c] = values.value(from + c);
      return;
    }
    if (reduce == Reduce.MAX) {
      for (int c = 0; c < width; c++) merged[at + c] = Math.max(merged[at + c], values.value(from + c));
    } else {
      for (int c = 0; c < width; c++) merged[at + c] += values.value(from + c);
    }
    if (reduce != Reduce.SUM) merged[at + width] += values.value(from + width);
  }

  /**
   * The aggregate row of the merged state at {@code merged[at ..]} into {@code out[outAt ..
   * outAt + F)}; {@code any} false (no in-edges): left as it is, zeros.
   */
  void finish(double[] merged, int at, boolean any, float[] out, int outAt) {
    if (!any) return;
    if (reduce == Reduce.MEAN) {
      double count = merged[at + width];
      for (int c = 0; c < width; c++) out[outAt + c] = (float) (merged[at + c] / count);
    } else {
      for (int c = 0; c < width; c++) out[outAt + c] = (float) merged[at + c];
    }
  }
}
