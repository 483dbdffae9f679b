package org.gnn4j.nn.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/** Global pooling against plain loops, on unsorted batches with an empty graph; gradients. */
class GlobalPoolTest {
  // graph 2 has no nodes; ids are deliberately not sorted
  private static final int[] BATCH = {1, 0, 3, 1, 0, 1, 3};
  private static final int GRAPHS = 4;

  private static float[] reference(Aggregation how, float[] x, int[] batch, int g, int f) {
    float[] out = new float[g * f];
    int[] count = new int[g];
    for (int gi = 0; gi < g; gi++) {
      for (int c = 0; c < f; c++) {
        double acc = how == Aggregation.MAX ? Double.NEGATIVE_INFINITY : 0;
        int n = 0;
        for (int i = 0; i < batch.length; i++) {
          if (batch[i] != gi) continue;
          n++;
          double v = x[i * f + c];
          acc = how == Aggregation.MAX ? Math.max(acc, v) : acc + v;
        }
        count[gi] = n;
        if (n == 0) acc = 0;
        else if (how == Aggregation.MEAN) acc /= n;
        out[gi * f + c] = (float) acc;
      }
    }
    return out;
  }

  @Test
  void poolsEqualPlainLoopsAndEmptyGraphsGiveZeros() {
    for (var kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().kernels(kernels).threads(2).build()) {
        Tensor x = ctx.randn(new SplittableRandom(1), BATCH.length, 5);
        for (Aggregation how : Aggregation.values()) {
          Tensor got = GlobalPool.pool(how, x, BATCH, GRAPHS);
          assertArrayEquals(new int[] {GRAPHS, 5}, got.shape().toArray());
          OpAssert.assertClose(how + " " + kernels, reference(how, x.data(), BATCH, GRAPHS, 5),
              got.data(), 1e-6, 1e-6);
          for (int c = 0; c < 5; c++) {
            assertTrue(got.get(2, c) == 0f, how + ": empty graph 2 must pool to 0");
          }
        }
        OpAssert.assertClose("sum", GlobalPool.sum(x, BATCH, GRAPHS).data(),
            GlobalPool.pool(Aggregation.SUM, x, BATCH, GRAPHS).data(), 0, 0);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      Tensor x = ctx.randn(new SplittableRandom(2), BATCH.length, 3).requiresGrad(true);
      GradCheck.defaults().check("sum", 1, in -> GlobalPool.sum(in[0], BATCH, GRAPHS), x);
      GradCheck.defaults().check("mean", 2, in -> GlobalPool.mean(in[0], BATCH, GRAPHS), x);
      GradCheck.defaults().eps(1e-3).check("max", 3, in -> GlobalPool.max(in[0], BATCH, GRAPHS),
          x);
    }
  }

  @Test
  void batchVectorHelpersFollowThePtrConvention() {
    assertArrayEquals(new int[] {0, 0, 2, 2, 2}, BatchVector.fromCounts(2, 0, 3));
    assertArrayEquals(new int[] {0, 2, 2, 5}, BatchVector.graphPtr(2, 0, 3));
    assertArrayEquals(new int[] {2, 0, 3}, BatchVector.counts(new int[] {2, 0, 2, 0, 2}, 3));
    assertTrue(BatchVector.numGraphs(BATCH) == 4);
    assertThrows(IllegalArgumentException.class, () -> BatchVector.fromCounts(2, -1));
  }

  @Test
  void badBatchVectorsNameExpectedAndFound() {
    try (Context ctx = Context.create()) {
      Tensor x = ctx.zeros(7, 2);
      var e = assertThrows(IllegalArgumentException.class,
          () -> GlobalPool.mean(x, new int[] {0, 0, 1}, 2));
      assertTrue(e.getMessage().contains("GlobalPool.mean") && e.getMessage().contains("got 3")
          && e.getMessage().contains("7"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> GlobalPool.sum(x, BATCH, 3));
      assertTrue(e.getMessage().contains("batch[2]") && e.getMessage().contains("got 3")
          && e.getMessage().contains("numGraphs = 3"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> GlobalPool.max(ctx.zeros(7), BATCH, 4));
      assertTrue(e.getMessage().contains("[N, F]") && e.getMessage().contains("[7]"),
          e.getMessage());
    }
  }
}
