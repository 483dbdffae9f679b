package org.gnn4j.spark.infer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.gnn4j.tensor.Context;
import scala.Tuple2;

/**
 * Runs a dense step of layer-wise inference over a partition in blocks of rows: the rows of a
 * block become one tensor, so gnn4j's matrix kernels see a matrix rather than a vector per row.
 * Lazy (one block in memory at a time); the single-threaded {@link Context} the step computes
 * in lives as long as the partition's iterator and is closed when it runs out.
 */
final class Blocks {
  private Blocks() {}

  /** Rows per block: big enough for the kernels to reach speed, small enough to stay in cache-ish memory. */
  static final int ROWS = 2048;

  @FunctionalInterface
  interface Step<V, R> {
    /** One output per input row, in order. */
    List<R> apply(Context ctx, List<Tuple2<Long, V>> block);
  }

  static <V, R> Iterator<Tuple2<Long, R>> map(Iterator<Tuple2<Long, V>> in, Step<V, R> step) {
    return new Iterator<>() {
      private Context ctx;
      private List<Tuple2<Long, V>> keys = List.of();
      private List<R> out = List.of();
      private int next;

      @Override
      public boolean hasNext() {
        while (next == out.size()) {
          if (!in.hasNext()) {
            if (ctx != null) {
              ctx.close();
              ctx = null;
            }
            return false;
          }
          List<Tuple2<Long, V>> block = new ArrayList<>(ROWS);
          while (in.hasNext() && block.size() < ROWS) block.add(in.next());
          if (ctx == null) ctx = Context.builder().threads(1).build();
          try (var g = ctx.noGrad()) {
            out = step.apply(ctx, block);
          }
          keys = block;
          next = 0;
        }
        return true;
      }

      @Override
      public Tuple2<Long, R> next() {
        if (!hasNext()) throw new NoSuchElementException();
        R r = out.get(next);
        return new Tuple2<>(keys.get(next++)._1(), r);
      }
    };
  }

  /** Rows [B, width] of a row-major array, each copied out. */
  static float[] row(float[] data, int r, int width) {
    return java.util.Arrays.copyOfRange(data, r * width, (r + 1) * width);
  }

  /** Rows stacked into one row-major array [B, width]. */
  static float[] stack(List<float[]> rows, int width) {
    float[] out = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, out, r * width, width);
    return out;
  }
}
