package org.gnn4j.spark.infer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The two halves of a {@link BlockInference} pass around the shuffle. The map pass walks a
 * partition's edge block slot by slot of the target and sends each slot its merged states as one
 * {@link StateChunk}; the reduce pass walks a partition's node blocks alongside the chunks they
 * received, sorted by slot and then sender, and merges them in that order into a sink: one state
 * array per row, or for plans with a {@link RowReduce} one flat array per block.
 */
final class StatePasses {
  private StatePasses() {}

  /** What a map pass merges per edge: {@code state} (null at first) with edge {@code e}'s message. */
  @FunctionalInterface
  interface Accumulate {
    double[] apply(double[] state, int e);
  }

  /**
   * A layer's map pass for a plan with a {@link RowReduce}: the partition's send rows read where
   * its blocks hold them, and each target slot's states in one reused flat array.
   */
  static Iterator<Tuple2<Long, StateChunk>> rowMapPass(EdgeBlock eb, Iterator<NodeBlock.Side> sides,
                                                               LayerPlan lp, Slots slots) {
    List<NodeBlock.Side> parts = new ArrayList<>();
    int n = 0;
    int sw = 0;
    while (sides.hasNext()) {
      NodeBlock.Side s = sides.next();
      parts.add(s);
      n += s.in.size();
      sw = s.sendWidth;
    }
    // the edges name their source by its row in the partition: each row's block and the block's
    // first row, rather than a copy of every send row in one array (a partition's worth of
    // fresh memory, in every layer)
    float[][] sendOf = new float[parts.size()][];
    int[] firstRow = new int[parts.size()];
    int[] blockOf = new int[n];
    long[] ids = new long[n];
    int at = 0;
    for (int p = 0; p < parts.size(); p++) {
      NodeBlock.Side s = parts.get(p);
      sendOf[p] = s.send;
      firstRow[p] = at;
      java.util.Arrays.fill(blockOf, at, at + s.in.size(), p);
      System.arraycopy(s.in.ids, 0, ids, at, s.in.size());
      at += s.in.size();
    }
    RowReduce rr = lp.rowReduce();
    int w = rr.stateWidth();
    int width = sw;
    EdgeFilter skip = lp.replacesSelfLoops() ? e -> ids[eb.src[e]] == eb.dst[e] : null;
    LongIndex targets = new LongIndex(Slots.ROWS * 2);
    // [T, w] and [T], grown when a slot has more targets; the ids kept in row order here, since
    // the index's own list of them scans its whole table, slot after slot
    double[][] states = {new double[Slots.ROWS * 2 * w]};
    long[][] order = {new long[Slots.ROWS * 2]};
    return slotChunks(slots, g -> {
      targets.clear();
      for (int e = eb.start[g]; e < eb.start[g + 1]; e++) {
        if (skip != null && skip.skip(e)) continue;
        int before = targets.size();
        int t = targets.add(eb.dst[e]);
        if (t == before) {
          if (t == order[0].length) order[0] = java.util.Arrays.copyOf(order[0], 2 * t);
          order[0][t] = eb.dst[e];
          if ((t + 1) * w > states[0].length) states[0] = java.util.Arrays.copyOf(states[0], 2 * (t + 1) * w);
        }
        int r = eb.src[e];
        int p = blockOf[r];
        rr.accumulate(states[0], t * w, t == before, sendOf[p], (r - firstRow[p]) * width);
      }
      int found = targets.size();
      return found == 0 ? null : StateChunk.ofRows(order[0], states[0], found, w);
    });
  }

  @FunctionalInterface
  interface EdgeFilter {
    boolean skip(int e);
  }

  /**
   * Per target slot, the edges' messages merged into one state per target, sent as one chunk
   * keyed by (slot, this partition); lazy, one slot's states in memory at a time.
   */
  static Iterator<Tuple2<Long, StateChunk>> mapPass(EdgeBlock eb, Slots slots, Accumulate acc,
                                                     EdgeFilter skip) {
    return slotChunks(slots, g -> {
      int from = eb.start[g];
      int to = eb.start[g + 1];
      if (from == to) return null;
      LongIndex targets = new LongIndex(Math.min(to - from, Slots.ROWS * 2));
      double[][] states = new double[Math.min(to - from, 16)][];
      for (int e = from; e < to; e++) {
        if (skip != null && skip.skip(e)) continue;
        int t = targets.add(eb.dst[e]);
        if (t == states.length) states = java.util.Arrays.copyOf(states, states.length * 2);
        states[t] = acc.apply(states[t], e);
      }
      return targets.size() == 0 ? null : StateChunk.of(targets.ids(), states, targets.size());
    });
  }

  @FunctionalInterface
  interface SlotStates {
    /** The states slot {@code g} receives from this partition, or null: none. */
    StateChunk of(int g);
  }

  /**
   * The chunks of {@code f} over every target slot, each keyed by (slot, this partition); lazy,
   * one slot's states in memory at a time.
   */
  static Iterator<Tuple2<Long, StateChunk>> slotChunks(Slots slots, SlotStates f) {
    int q = TaskContext.getPartitionId();
    return new Iterator<>() {
      private int g = -1;
      private Tuple2<Long, StateChunk> next = advance();

      private Tuple2<Long, StateChunk> advance() {
        while (++g < slots.count()) {
          StateChunk c = f.of(g);
          if (c != null) return new Tuple2<>(slots.key(g, q), c);
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Tuple2<Long, StateChunk> next() {
        if (next == null) throw new NoSuchElementException();
        Tuple2<Long, StateChunk> out = next;
        next = advance();
        return out;
      }
    };
  }

  static JavaPairRDD<Long, StateChunk> shuffleStates(JavaRDD<Tuple2<Long, StateChunk>> chunks, Slots slots) {
    return chunks.mapToPair(t -> t).repartitionAndSortWithinPartitions(slots);
  }

  @FunctionalInterface
  interface Merge {
    double[] apply(double[] a, double[] b);
  }

  @FunctionalInterface
  interface Finish<B, R> {
    void apply(B block, R result);
  }

  /** Where {@link #reducePass} merges one block's incoming states. */
  interface Sink<B> {
    /** A new block of {@code rows} rows. */
    void start(int rows);

    /** State t of chunk {@code c} merged into row r. */
    void merge(int r, StateChunk c, int t);

    /** The block's states are all merged. */
    void end(B block);
  }

  /** One state array per row (null: no in-edges), merged by {@code merge}, handed to {@code finish}. */
  static <B> Sink<B> perTargetSink(Merge merge, Finish<B, double[][]> finish) {
    return new Sink<>() {
      private double[][] merged;

      @Override
      public void start(int rows) {
        merged = new double[rows][];
      }

      @Override
      public void merge(int r, StateChunk c, int t) {
        merged[r] = merged[r] == null ? c.state(t) : merge.apply(merged[r], c.state(t));
      }

      @Override
      public void end(B block) {
        finish.apply(block, merged);
      }
    };
  }

  /** States merged in place into one flat array by {@code rr}; {@code finish} gets the aggregates [B, F]. */
  static <B> Sink<B> rowSink(RowReduce rr, Finish<B, float[]> finish) {
    int w = rr.stateWidth();
    return new Sink<>() {
      private double[] merged = new double[0];   // [B, w], reused from block to block
      private boolean[] seen = new boolean[0];
      private int rows;

      @Override
      public void start(int rows) {
        this.rows = rows;
        if (merged.length < rows * w) merged = new double[rows * w];
        if (seen.length < rows) seen = new boolean[rows];
        java.util.Arrays.fill(seen, 0, rows, false);
      }

      @Override
      public void merge(int r, StateChunk c, int t) {
        rr.merge(merged, r * w, !seen[r], c, c.from(t));
        seen[r] = true;
      }

      @Override
      public void end(B block) {
        float[] agg = new float[rows * rr.width()];
        for (int r = 0; r < rows; r++) rr.finish(merged, r * w, seen[r], agg, r * rr.width());
        finish.apply(block, agg);
      }
    };
  }

  /**
   * Walks a partition's blocks (in slot order) alongside its incoming chunks (sorted by slot,
   * then sender) and merges each block's chunks into {@code sink}, in that order. States for nodes
   * the partition does not have count in {@code problems}.
   */
  static <B> void reducePass(Iterator<Tuple2<Long, StateChunk>> chunks, Iterator<B> blocks,
                                     java.util.function.Function<B, long[]> ids, Slots slots,
                                     LongAccumulator problems, Sink<B> sink) {
    Tuple2<Long, StateChunk> c = chunks.hasNext() ? chunks.next() : null;
    while (blocks.hasNext()) {
      B b = blocks.next();
      long[] rowIds = ids.apply(b);
      int g = slots.slot(rowIds[0]);
      while (c != null && slots.slotOf(c._1()) < g) {
        problems.add(c._2().size());
        c = chunks.hasNext() ? chunks.next() : null;
      }
      LongIndex rows = new LongIndex(rowIds.length);
      for (long id : rowIds) rows.add(id);
      sink.start(rowIds.length);
      while (c != null && slots.slotOf(c._1()) == g) {
        StateChunk s = c._2();
        for (int t = 0; t < s.size(); t++) {
          int r = rows.get(s.target(t));
          if (r < 0) {
            problems.add(1);
            continue;
          }
          sink.merge(r, s, t);
        }
        c = chunks.hasNext() ? chunks.next() : null;
      }
      sink.end(b);
    }
    while (c != null) {
      problems.add(c._2().size());
      c = chunks.hasNext() ? chunks.next() : null;
    }
  }
}
