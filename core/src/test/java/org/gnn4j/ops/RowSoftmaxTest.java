package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class RowSoftmaxTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  private static Context ctx(Kernels kernels) {
    return Context.builder().threads(2).seed(1).kernels(kernels).build();
  }

  private static float[] naiveSoftmax(float[] x, int rows, int cols, boolean log) {
    float[] y = new float[x.length];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j]);
      for (int j = 0; j < cols; j++) {
        double v = Math.exp(x[r * cols + j]) / sum;
        y[r * cols + j] = (float) (log ? Math.log(v) : v);
      }
    }
    return y;
  }

  @Test
  void rowsSumToOneAndMatchNaiveOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) rowsSumToOneAndMatchNaive(k);
  }

  private void rowsSumToOneAndMatchNaive(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      SplittableRandom r = new SplittableRandom(23);
      for (int[] dims : new int[][] {{1, 1}, {3, 7}, {2, 4, 9}, {17}, {40, 33}}) {
        Tensor x = ctx.randn(r, dims);
        Tensor y = RowSoftmax.softmax(x);
        int rows = x.rows(), cols = x.cols();
        for (int i = 0; i < rows; i++) {
          double s = 0;
          for (int j = 0; j < cols; j++) s += y.data()[i * cols + j];
          assertEquals(1.0, s, 1e-5, "row " + i + " of " + x.shape() + ", seed 23");
        }
        String on = kernels.name() + " " + x.shape();
        OpAssert.assertClose("softmax " + on, naiveSoftmax(x.data(), rows, cols, false),
            y.data(), 1e-7, 1e-5);
        OpAssert.assertClose("logSoftmax " + on, naiveSoftmax(x.data(), rows, cols, true),
            RowSoftmax.logSoftmax(x).data(), 1e-6, 1e-5);
        assertEquals(x.shape(), y.shape());
      }
    }
  }

  @Test
  void isStableForLargeLogitsOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) isStableForLargeLogits(k);
  }

  private void isStableForLargeLogits(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      Tensor x = ctx.tensor(new float[] {1000f, 1001f, -1000f, 0f}, 2, 2);
      float[] y = RowSoftmax.softmax(x).data();
      OpAssert.assertClose("softmax", new float[] {0.26894142f, 0.7310586f, 0f, 1f}, y, 1e-7, 1e-6);
      float[] ly = RowSoftmax.logSoftmax(x).data();
      OpAssert.assertClose("logSoftmax", new float[] {-1.3132616f, -0.31326166f, -1000f, 0f}, ly,
          1e-6, 1e-6);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) gradientMatchesFiniteDifferences(k);
  }

  private void gradientMatchesFiniteDifferences(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      SplittableRandom r = new SplittableRandom(29);
      for (int[] dims : new int[][] {{1, 1}, {3, 7}, {2, 3, 5}, {9}}) {
        Tensor x = ctx.randn(r, dims).requiresGrad(true);
        String on = kernels.name() + " " + x.shape();
        GradCheck.defaults().check("softmax " + on, 29, in -> RowSoftmax.softmax(in[0]), x);
        GradCheck.defaults().check("logSoftmax " + on, 29,
            in -> RowSoftmax.logSoftmax(in[0]), x);
      }
    }
  }

  @Test
  void resultsDoNotDependOnThreadCount() {
    float[][] out = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        out[t - 1] = RowSoftmax.softmax(ctx.randn(new SplittableRandom(2), 5000, 31)).data();
      }
    }
    assertArrayEquals(out[0], out[1]);
  }

  @Test
  void rejectsZeroDimInput() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> RowSoftmax.softmax(ctx.tensor(new float[] {1f})));
      assertTrue(e.getMessage().startsWith("softmax:") && e.getMessage().contains("[]"),
          e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(2, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(RowSoftmax.softmax(x).isLeaf());
        assertTrue(RowSoftmax.logSoftmax(x).isLeaf());
      }
      assertTrue(RowSoftmax.softmax(x).requiresGrad());
    }
  }
}
