package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class ReductionsTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  /** Sum of x [d0, d1, d2] over axis, in double, as [outer * inner]. */
  private static float[] naiveSum(Tensor x, int axis, boolean mean) {
    int[] d = x.shape().toArray();
    int outer = 1, inner = 1;
    for (int i = 0; i < axis; i++) outer *= d[i];
    for (int i = axis + 1; i < d.length; i++) inner *= d[i];
    float[] y = new float[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double s = 0;
        for (int k = 0; k < d[axis]; k++) s += x.data()[(o * d[axis] + k) * inner + i];
        y[o * inner + i] = (float) (mean ? s / d[axis] : s);
      }
    }
    return y;
  }

  @Test
  void sumAndMeanOverEachDimMatchNaive() {
    try (Context ctx = ctx(2)) {
      Tensor x = ctx.randn(new SplittableRandom(3), 3, 4, 5);
      for (int dim = -3; dim < 3; dim++) {
        int axis = dim < 0 ? dim + 3 : dim;
        Tensor s = Reductions.sum(x, dim, false);
        Tensor m = Reductions.mean(x, dim, true);
        int[] dropped = new int[2];
        int[] kept = x.shape().toArray();
        kept[axis] = 1;
        for (int i = 0, j = 0; i < 3; i++) if (i != axis) dropped[j++] = x.dim(i);
        assertEquals(Shape.of(dropped), s.shape(), "sum dim " + dim);
        assertEquals(Shape.of(kept), m.shape(), "mean keepDim dim " + dim);
        OpAssert.assertClose("sum dim " + dim, naiveSum(x, axis, false), s.data(), 1e-6, 1e-6);
        OpAssert.assertClose("mean dim " + dim, naiveSum(x, axis, true), m.data(), 1e-6, 1e-6);
      }
    }
  }

  @Test
  void sumAllAndMeanAllAreZeroDim() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      Tensor s = Reductions.sumAll(x);
      assertEquals(Shape.of(), s.shape());
      assertEquals(21f, s.item());
      assertEquals(3.5f, Reductions.meanAll(x).item());
      assertTrue(Float.isNaN(Reductions.meanAll(ctx.zeros(0, 3)).item()));
      assertEquals(0f, Reductions.sumAll(ctx.zeros(0)).item());
      assertEquals(Shape.of(3), Reductions.sum(ctx.zeros(0, 3), 0, false).shape());
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(19);
      GradCheck g = GradCheck.defaults();
      for (int[] dims : new int[][] {{7}, {3, 5}, {2, 3, 9}, {1, 4, 1}}) {
        Tensor x = ctx.randn(r, dims).requiresGrad(true);
        for (int dim = -dims.length; dim < dims.length; dim++) {
          int d = dim;
          g.check("sum dim " + d + " " + x.shape(), 19, in -> Reductions.sum(in[0], d, false), x);
          g.check("mean dim " + d + " " + x.shape(), 19, in -> Reductions.mean(in[0], d, true), x);
        }
        g.check("sumAll " + x.shape(), 19, in -> Reductions.sumAll(in[0]), x);
        g.check("meanAll " + x.shape(), 19, in -> Reductions.meanAll(in[0]), x);
      }
    }
  }

  @Test
  void resultsDoNotDependOnThreadCount() {
    float[][] cols = new float[2][];
    float[][] rows = new float[2][];
    float[] all = new float[2];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        Tensor x = ctx.randn(new SplittableRandom(8), 1000, 70);
        cols[t - 1] = Reductions.sum(x, 0, false).data();
        rows[t - 1] = Reductions.mean(x, -1, false).data();
        all[t - 1] = Reductions.sumAll(ctx.randn(new SplittableRandom(9), 200_001)).item();
        OpAssert.assertClose("column sums", naiveSum(x, 0, false), cols[t - 1], 1e-5, 1e-6);
      }
    }
    assertArrayEquals(cols[0], cols[1]);
    assertArrayEquals(rows[0], rows[1]);
    assertEquals(all[0], all[1]);
  }

  @Test
  void rejectsDimOutOfRange() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Reductions.sum(ctx.zeros(3, 4), 2, false));
      String m = e.getMessage();
      assertTrue(m.startsWith("sum: dim out of range") && m.contains("got 2") && m.contains("[3, 4]"), m);
      e = assertThrows(IllegalArgumentException.class,
          () -> Reductions.mean(ctx.zeros(3, 4), -3, true));
      assertTrue(e.getMessage().startsWith("mean:") && e.getMessage().contains("-3"), e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(2, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(Reductions.sum(x, 0, false).isLeaf());
        assertTrue(Reductions.meanAll(x).isLeaf());
      }
      assertTrue(Reductions.sum(x, 1, true).requiresGrad());
    }
  }
}
