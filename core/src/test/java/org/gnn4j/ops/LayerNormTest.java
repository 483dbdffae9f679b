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

class LayerNormTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  private static Context ctx(Kernels kernels) {
    return Context.builder().threads(2).seed(1).kernels(kernels).build();
  }

  private static float[] naive(float[] x, float[] w, float[] b, int rows, int f, float eps) {
    float[] y = new float[x.length];
    for (int r = 0; r < rows; r++) {
      double m = 0, v = 0;
      for (int j = 0; j < f; j++) m += x[r * f + j];
      m /= f;
      for (int j = 0; j < f; j++) v += (x[r * f + j] - m) * (x[r * f + j] - m);
      v /= f;
      for (int j = 0; j < f; j++) {
        double h = (x[r * f + j] - m) / Math.sqrt(v + eps);
        y[r * f + j] = (float) (h * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]));
      }
    }
    return y;
  }

  @Test
  void rowsHaveMeanZeroAndUnitBiasedVarianceOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) rowsHaveMeanZeroAndUnitBiasedVariance(k);
  }

  private void rowsHaveMeanZeroAndUnitBiasedVariance(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      Tensor x = ctx.randn(new SplittableRandom(41), 4, 3, 16);
      Tensor y = LayerNorm.apply(x, null, null, 0f);
      assertEquals(x.shape(), y.shape());
      for (int r = 0; r < 12; r++) {
        double m = 0, v = 0;
        for (int j = 0; j < 16; j++) m += y.data()[r * 16 + j];
        m /= 16;
        for (int j = 0; j < 16; j++) v += Math.pow(y.data()[r * 16 + j] - m, 2);
        assertEquals(0, m, 1e-6, "row " + r + " mean, seed 41");
        assertEquals(1, v / 16, 1e-5, "row " + r + " biased variance, seed 41");
      }
    }
  }

  @Test
  void forwardMatchesNaiveWithAffineOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) forwardMatchesNaiveWithAffine(k);
  }

  private void forwardMatchesNaiveWithAffine(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      SplittableRandom r = new SplittableRandom(43);
      for (int f : new int[] {1, 3, 7, 33}) {
        Tensor x = ctx.randn(r, 5, f);
        Tensor w = ctx.randn(r, f);
        Tensor b = ctx.randn(r, f);
        OpAssert.assertClose("layerNorm " + kernels.name() + " F=" + f, naive(x.data(), w.data(), b.data(), 5, f, 1e-5f),
            LayerNorm.apply(x, w, b, LayerNorm.DEFAULT_EPS).data(), 1e-5, 1e-5);
        OpAssert.assertClose("layerNorm bias only F=" + f, naive(x.data(), null, b.data(), 5, f, 1e-3f),
            LayerNorm.apply(x, null, b, 1e-3f).data(), 1e-5, 1e-5);
      }
      // a constant row normalises to 0 (then bias), not NaN
      Tensor c = ctx.full(3f, 2, 4);
      assertArrayEquals(new float[8], LayerNorm.apply(c, null, null, 1e-5f).data());
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) gradientMatchesFiniteDifferences(k);
  }

  private void gradientMatchesFiniteDifferences(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      SplittableRandom r = new SplittableRandom(47);
      // a small step: with F = 2, xhat = +-1 bends sharply where the two features are close
      GradCheck g = GradCheck.defaults().eps(1e-3);
      for (int[] dims : new int[][] {{3, 5}, {2, 3, 7}, {4, 2}, {1, 9}}) {
        int f = dims[dims.length - 1];
        Tensor x = ctx.randn(r, dims).requiresGrad(true);
        Tensor w = ctx.uniform(r, 0.5f, 1.5f, f).requiresGrad(true);
        Tensor b = ctx.randn(r, f).requiresGrad(true);
        g.check("layerNorm affine " + kernels.name() + " " + x.shape(), 47, in -> LayerNorm.apply(in[0], in[1], in[2], 1e-5f), x, w, b);
        g.check("layerNorm plain " + x.shape(), 47, in -> LayerNorm.apply(in[0], null, null, 1e-5f), x);
        g.check("layerNorm weight only " + x.shape(), 47, in -> LayerNorm.apply(in[0], in[1], null, 1e-5f), x, w);
        g.check("layerNorm bias only " + x.shape(), 47, in -> LayerNorm.apply(in[0], null, in[1], 1e-5f), x, b);
      }
    }
  }

  @Test
  void parameterGradientsDoNotDependOnThreadCount() {
    float[][] dw = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = ctx.randn(r, 3000, 24);
        Tensor w = ctx.randn(r, 24).requiresGrad(true);
        Reductions.sumAll(Elementwise.mul(LayerNorm.apply(x, w, null, 1e-5f), x)).backward();
        dw[t - 1] = w.gradArray();
        // loss = sum(LN(x) * x): dLoss/dw_j = sum_r x_rj * xhat_rj
        float[] xhat = naive(x.data(), null, null, 3000, 24, 1e-5f);
        float[] want = new float[24];
        for (int j = 0; j < 24; j++) {
          double s = 0;
          for (int i = 0; i < 3000; i++) s += (double) x.data()[i * 24 + j] * xhat[i * 24 + j];
          want[j] = (float) s;
        }
        OpAssert.assertClose("dw over 3000 rows, " + t + " threads, seed 5", want, dw[t - 1], 1e-3,
            1e-5);
      }
    }
    OpAssert.assertClose("dw 1 vs 2 threads", dw[0], dw[1], 1e-4, 1e-5);
  }

  @Test
  void rejectsWrongParameterShapes() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> LayerNorm.apply(ctx.zeros(3, 4), ctx.zeros(5), null, 1e-5f));
      String m = e.getMessage();
      assertTrue(m.startsWith("layerNorm: weight") && m.contains("[5]") && m.contains("[4]"), m);
      e = assertThrows(IllegalArgumentException.class,
          () -> LayerNorm.apply(ctx.zeros(3, 4), null, ctx.zeros(1, 4), 1e-5f));
      assertTrue(e.getMessage().startsWith("layerNorm: bias"), e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.randn(new SplittableRandom(1), 2, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(LayerNorm.apply(x, null, null, 1e-5f).isLeaf());
      }
      assertTrue(LayerNorm.apply(x, null, null, 1e-5f).requiresGrad());
    }
  }
}
