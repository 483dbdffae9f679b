package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flat row states the block engine keeps for plans with a {@link RowReduce} give the same bits
 * as the plans' own per-target {@code accumulate}, {@code merge} and {@code finish}: messages
 * accumulated per sending partition, rounded to float as the shuffle sends them, merged in
 * partition order, finished. Targets without in-edges, with one edge, and with many are all met.
 */
class RowReduceTest {
  private static final int IN = 9;    // not a multiple of any vector width
  private static final int OUT = 5;

  static Stream<LayerPlan> plans() {
    SplittableRandom rng = new SplittableRandom(3);
    return Stream.of(
        new NeighbourPlan("sage", Reduce.MEAN, dense(rng, IN, IN), dense(rng, IN, IN)),
        new NeighbourPlan("sage", Reduce.MEAN, dense(rng, OUT, IN), dense(rng, OUT, IN)),
        new NeighbourPlan("graphconv", Reduce.SUM, dense(rng, OUT, IN), dense(rng, OUT, IN)),
        new NeighbourPlan("sage", Reduce.MAX, dense(rng, OUT, IN), null),
        new GinPlan(List.of(dense(rng, OUT, IN)), 0.25f, false, null, 0),
        new GcnPlan(dense(rng, OUT, IN), new float[OUT]));
  }

  private static Dense dense(SplittableRandom rng, int out, int in) {
    float[] w = new float[out * in];
    for (int k = 0; k < w.length; k++) w[k] = (float) rng.nextGaussian();
    float[] b = new float[out];
    for (int k = 0; k < b.length; k++) b[k] = (float) rng.nextGaussian();
    return new Dense(w, out, in, b);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void flatStatesEqualPerTargetStates(LayerPlan plan) {
    RowReduce rr = plan.rowReduce();
    assertNotNull(rr, plan.kind());
    long seed = 11;
    SplittableRandom rng = new SplittableRandom(seed);
    int sources = 40;
    int targets = 30;                 // targets 25..29 get no edges
    int parts = 3;
    // send rows: what nodeSide gives (GCN's last column is the source's deg^-1/2, > 0)
    int sw = rr.width() + (plan instanceof GcnPlan ? 1 : 0);
    float[] send = new float[sources * sw];
    for (int k = 0; k < send.length; k++) send[k] = (float) rng.nextGaussian();
    if (plan instanceof GcnPlan) for (int j = 0; j < sources; j++) send[j * sw + sw - 1] = 0.1f + (float) rng.nextDouble();
    int edges = 400;
    int[] src = new int[edges];
    int[] dst = new int[edges];
    int[] part = new int[edges];
    for (int e = 0; e < edges; e++) {
      src[e] = rng.nextInt(sources);
      dst[e] = e % 5 == 0 ? 3 : rng.nextInt(25);    // target 3: a hub
      part[e] = rng.nextInt(parts);
    }
    int w = rr.stateWidth();
    // per-target path: double[] states per (partition, target), sent as float, merged in order
    double[][] merged = new double[targets][];
    double[] flat = new double[targets * w];
    boolean[] seen = new boolean[targets];
    for (int q = 0; q < parts; q++) {
      double[][] states = new double[targets][];
      double[] rows = new double[targets * w];
      boolean[] any = new boolean[targets];
      for (int e = 0; e < edges; e++) {
        if (part[e] != q) continue;
        float[] row = java.util.Arrays.copyOfRange(send, src[e] * sw, (src[e] + 1) * sw);
        states[dst[e]] = plan.accumulate(states[dst[e]], row, null, null);
        rr.accumulate(rows, dst[e] * w, !any[dst[e]], send, src[e] * sw);
        any[dst[e]] = true;
      }
      long[] ids = new long[targets];
      for (int t = 0; t < targets; t++) ids[t] = t;
      StateChunk sent = StateChunk.ofRows(ids, rows, targets, w);
      for (int t = 0; t < targets; t++) {
        if (states[t] == null) continue;
        double[] s = StateChunk.of(new long[] {t}, new double[][] {states[t]}, 1).state(0);
        merged[t] = merged[t] == null ? s : plan.merge(merged[t], s);
        rr.merge(flat, t * w, !seen[t], sent, sent.from(t));
        seen[t] = true;
      }
    }
    for (int t = 0; t < targets; t++) {
      float[] want = plan.finish(merged[t]);
      float[] got = new float[rr.width()];
      rr.finish(flat, t * w, seen[t], got, 0);
      assertArrayEquals(want, got, plan.kind() + " target " + t + " (seed " + seed + ")");
    }
  }

  @ParameterizedTest
  @MethodSource("plans")
  void onlyGcnReadsInDegrees(LayerPlan plan) {
    org.junit.jupiter.api.Assertions.assertEquals(plan instanceof GcnPlan, plan.readsInDegree(), plan.kind());
  }

  @org.junit.jupiter.api.Test
  void planWithEdgeMessagesHasNoRowReduce() {
    SplittableRandom rng = new SplittableRandom(5);
    assertNull(new GinPlan(List.of(dense(rng, OUT, IN)), 0f, true, null, IN).rowReduce());
  }
}
