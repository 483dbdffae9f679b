package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.internal.kernel.Erf;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class ActivationsTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  private static Context ctx(Kernels kernels) {
    return Context.builder().threads(2).seed(1).kernels(kernels).build();
  }

  private static float[] apply(Function<Tensor, Tensor> f, Context ctx, float... x) {
    return f.apply(ctx.tensor(x, x.length)).data();
  }

  @Test
  void forwardMatchesClosedFormsOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) forwardMatchesClosedForms(k);
  }

  private void forwardMatchesClosedForms(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      // torch.nn.functional.gelu (exact): gelu(1) = 0.8413447, gelu(-1) = -0.1586553
      OpAssert.assertClose("gelu", new float[] {0.8413447f, -0.15865526f, 0f, 1.9544997f,
          -0.0040496886f, 6f}, apply(Activations::gelu, ctx, 1f, -1f, 0f, 2f, -3f, 6f), 1e-7, 1e-6);
      assertArrayEquals(new float[] {0f, 0f, 2f}, apply(Activations::relu, ctx, -1f, 0f, 2f));
      assertArrayEquals(new float[] {-0.02f, 0f, 2f},
          apply(x -> Activations.leakyRelu(x, 0.02f), ctx, -1f, 0f, 2f));
      assertArrayEquals(new float[] {-0.01f, 3f}, apply(Activations::leakyRelu, ctx, -1f, 3f));
      OpAssert.assertClose("elu", new float[] {-0.63212055f, -1.2642411f, 0f, 2f},
          new float[] {apply(Activations::elu, ctx, -1f)[0],
              apply(x -> Activations.elu(x, 2f), ctx, -1f)[0],
              apply(Activations::elu, ctx, 0f)[0], apply(Activations::elu, ctx, 2f)[0]}, 1e-7, 1e-6);
      OpAssert.assertClose("sigmoid", new float[] {0.5f, 0.7310586f, 0.26894142f, 0f, 1f},
          apply(Activations::sigmoid, ctx, 0f, 1f, -1f, -200f, 200f), 1e-7, 1e-6);
      OpAssert.assertClose("tanh", new float[] {0f, 0.46211717f, -0.9640276f, 1f},
          apply(Activations::tanh, ctx, 0f, 0.5f, -2f, 50f), 1e-7, 1e-6);
      OpAssert.assertClose("exp", new float[] {1f, 2.7182817f, 0.13533528f},
          apply(Activations::exp, ctx, 0f, 1f, -2f), 1e-7, 1e-6);
      float[] lg = apply(Activations::log, ctx, 1f, 2.7182817f, 0f, -1f);
      OpAssert.assertClose("log", new float[] {0f, 1f}, new float[] {lg[0], lg[1]}, 1e-7, 1e-6);
      assertEquals(Float.NEGATIVE_INFINITY, lg[2]);
      assertTrue(Float.isNaN(lg[3]));
    }
  }

  /** erf by its Taylor series in double: exact to ~1e-13 for |x| <= 3.5 with 80 terms. */
  private static double erfSeries(double x) {
    double term = x;
    double sum = x;
    for (int n = 1; n < 80; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  @Test
  void erfIsAccurateTo2e7Everywhere() {
    double worst = 0;
    for (int i = -3500; i <= 3500; i++) {
      double x = i / 1000.0;
      worst = Math.max(worst, Math.abs(Erf.erf(x) - erfSeries(x)));
    }
    assertTrue(worst < 2e-7, "max |erf - series| on [-3.5, 3.5] is " + worst);
    // tail: erfc keeps its relative accuracy (reference values from the series of erfc)
    double[][] tail = {{3, 2.209049699858544e-05}, {4, 1.541725790028002e-08},
        {5, 1.537459794428035e-12}, {0.5, 0.4795001221869535}};
    for (double[] t : tail) {
      double rel = Math.abs(Erf.erfc(t[0]) / t[1] - 1);
      assertTrue(rel < 2e-7, "erfc(" + t[0] + ") relative error " + rel);
      assertEquals(2 - t[1], Erf.erfc(-t[0]), 2e-7);
    }
    assertEquals(0.0, Erf.erf(0), 0);
    assertEquals(erfSeries(1e-3), Erf.erf(1e-3), 1e-15); // relative, not absolute
  }

  /** Values of magnitude in [0.2, 2], away from the kink at 0. */
  private static Tensor awayFromZero(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.uniform(r, 0.2f, 2f, dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) if (r.nextBoolean()) d[i] = -d[i];
    return t.requiresGrad(true);
  }

  @Test
  void gradientMatchesFiniteDifferencesOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) gradientMatchesFiniteDifferences(k);
  }

  private void gradientMatchesFiniteDifferences(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      SplittableRandom r = new SplittableRandom(17);
      GradCheck g = GradCheck.defaults();
      for (int[] dims : new int[][] {{1}, {7}, {3, 5}, {2, 3, 9}}) {
        Tensor x = awayFromZero(ctx, r, dims);
        String on = " " + kernels.name() + " ";
        g.check("relu" + on + x.shape(), 17, in -> Activations.relu(in[0]), x);
        g.check("leakyRelu " + x.shape(), 17, in -> Activations.leakyRelu(in[0], 0.2f), x);
        g.check("elu " + x.shape(), 17, in -> Activations.elu(in[0], 1.5f), x);
        g.check("gelu " + x.shape(), 17, in -> Activations.gelu(in[0]), x);
        g.check("sigmoid " + x.shape(), 17, in -> Activations.sigmoid(in[0]), x);
        g.check("tanh " + x.shape(), 17, in -> Activations.tanh(in[0]), x);
        g.check("exp " + x.shape(), 17, in -> Activations.exp(in[0]), x);
        Tensor pos = ctx.uniform(r, 0.3f, 3f, dims).requiresGrad(true);
        g.check("log " + pos.shape(), 17, in -> Activations.log(in[0]), pos);
      }
    }
  }

  @Test
  void gradientAtKinksFollowsTorchOnBothKernelSets() {
    for (Kernels k : Contexts.kernelSets()) gradientAtKinksFollowsTorch(k);
  }

  private void gradientAtKinksFollowsTorch(Kernels kernels) {
    try (Context ctx = ctx(kernels)) {
      Tensor x = ctx.tensor(new float[] {0f, 0f, 0f}, 3).requiresGrad(true);
      Reductions.sumAll(Activations.relu(x)).backward();
      assertArrayEquals(new float[] {0f, 0f, 0f}, x.gradArray());
      x.zeroGrad();
      Reductions.sumAll(Activations.leakyRelu(x, 0.1f)).backward();
      assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, x.gradArray());
      x.zeroGrad();
      Reductions.sumAll(Activations.elu(x, 2f)).backward();
      assertArrayEquals(new float[] {2f, 2f, 2f}, x.gradArray());
      x.zeroGrad();
      Reductions.sumAll(Activations.gelu(x)).backward();
      OpAssert.assertClose("gelu'(0) " + kernels.name(), new float[] {0.5f, 0.5f, 0.5f},
          x.gradArray(), 1e-7, 0);
    }
  }

  @Test
  void largeInputIsThreadCountInvariant() {
    float[][] out = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        Tensor x = ctx.randn(new SplittableRandom(4), 100_003);
        out[t - 1] = Activations.gelu(x).data();
      }
    }
    assertArrayEquals(out[0], out[1]);
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(4).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(Activations.gelu(x).isLeaf());
        assertTrue(!Activations.tanh(x).requiresGrad());
      }
      assertEquals("gelu", Activations.gelu(x).node().name());
    }
  }
}
