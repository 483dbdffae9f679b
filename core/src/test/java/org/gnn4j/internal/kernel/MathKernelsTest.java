package org.gnn4j.internal.kernel;

import static org.gnn4j.internal.kernel.ElementwiseKernels.ELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.EXP;
import static org.gnn4j.internal.kernel.ElementwiseKernels.GELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LEAKY_RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LOG;
import static org.gnn4j.internal.kernel.ElementwiseKernels.SIGMOID;
import static org.gnn4j.internal.kernel.ElementwiseKernels.TANH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/** The Vector API math kernels against the scalar reference, on tail sizes and odd offsets. */
class MathKernelsTest {
  private static final int[] SIZES = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
  private static final MathKernels SCALAR = MathKernels.scalar();
  private static final MathKernels VECTOR = Kernels.vector().math();

  private static float[] values(SplittableRandom r, int n, float lo, float hi) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float) r.nextDouble();
    return x;
  }

  @Test
  void vectorVersionIsLoaded() {
    assertTrue(VECTOR.name().startsWith("vector"), VECTOR.name());
  }

  @Test
  void transcendentalsMatchScalarOnTailSizes() {
    int[] ops = {EXP, LOG, TANH, SIGMOID, ELU, GELU, RELU, LEAKY_RELU};
    String[] names = {"exp", "log", "tanh", "sigmoid", "elu", "gelu", "relu", "leakyRelu"};
    SplittableRandom r = new SplittableRandom(71);
    for (int k = 0; k < ops.length; k++) {
      for (int n : SIZES) {
        int from = n % 5;                                  // ranges that start off alignment
        float lo = ops[k] == LOG ? 1e-3f : ops[k] == EXP ? -80f : -12f;
        float hi = ops[k] == LOG ? 50f : ops[k] == EXP ? 80f : 12f;
        float[] x = values(r, from + n, lo, hi);
        float[] want = new float[x.length];
        float[] got = new float[x.length];
        SCALAR.activation(ops[k], want, x, 1.3f, from, from + n);
        VECTOR.activation(ops[k], got, x, 1.3f, from, from + n);
        OpAssert.assertClose(names[k] + " n=" + n + " from=" + from + " seed 71", want, got,
            1e-7, 2e-6);
      }
    }
  }

  @Test
  void geluKeepsRelativeAccuracyInTheTail() {
    float[] x = {-5f, -8f, -10f, -12f}; // gelu(-12) = -2e-32; below ~-13 Phi is subnormal
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    SCALAR.activation(GELU, want, x, 0f, 0, x.length);
    VECTOR.activation(GELU, got, x, 0f, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      assertTrue(want[i] < 0f, "gelu(" + x[i] + ") = " + want[i]);
      assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-5, "gelu(" + x[i] + ")");
    }
  }

  @Test
  void backwardsMatchScalarOnTailSizes() {
    int[] ops = {GELU, RELU, LEAKY_RELU, ELU};
    SplittableRandom r = new SplittableRandom(73);
    for (int op : ops) {
      for (int n : SIZES) {
        float[] x = values(r, n + 2, -9f, 9f);
        x[2] = 0f;                                         // the kink itself
        float[] g = values(r, n + 2, -1f, 1f);
        float[] y = new float[n + 2];
        SCALAR.activation(op, y, x, 0.7f, 0, n + 2);
        float[] want = new float[n + 2];
        float[] got = new float[n + 2];
        SCALAR.activationBackward(op, want, g, x, y, 0.7f, 2, n + 2);
        VECTOR.activationBackward(op, got, g, x, y, 0.7f, 2, n + 2);
        OpAssert.assertClose("backward of op " + op + " n=" + n + " seed 73", want, got, 1e-7,
            2e-6);
      }
    }
  }

  @Test
  void reluFamilyBackwardsEqualTheScalarRuleBitForBitAtSpecialValues() {
    // the vector side tests "x > 0" on the bits of x: zeros, subnormals, infinities and NaNs of
    // either sign are where such a test goes wrong
    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.intBitsToFloat(0x7F800001)};
    int n = special.length * 3;
    float[] x = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = special[i % special.length];
      g[i] = i < special.length ? 1.5f : i < 2 * special.length ? Float.NaN : -0f;
    }
    for (int op : new int[] {RELU, LEAKY_RELU, ELU}) {
      float[] y = new float[n];
      SCALAR.activation(op, y, x, 0.2f, 0, n);
      float[] want = new float[n];
      float[] got = new float[n];
      SCALAR.activationBackward(op, want, g, x, y, 0.2f, 0, n);
      VECTOR.activationBackward(op, got, g, x, y, 0.2f, 0, n);
      for (int i = 0; i < n; i++) {
        // which NaN a product of two NaNs gives depends on the operand order the JIT picks, and
        // Java leaves it open; anything else must match bit for bit (zeros' signs included)
        if (Float.isNaN(want[i]) && Float.isNaN(got[i])) continue;
        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
            "op " + op + " at x = " + x[i] + ", g = " + g[i] + ": " + want[i] + " vs " + got[i]);
      }
    }
  }

  @Test
  void rowStatisticsAndNormalizeMatchScalar() {
    SplittableRandom r = new SplittableRandom(83);
    for (int n : SIZES) {
      float[] x = values(r, n + 5, 3f, 9f);                // mean far from 0: tests the 2 passes
      float[] w = values(r, n, 0.5f, 2f);
      float[] b = values(r, n, -1f, 1f);
      double s = SCALAR.sum(x, 5, n);
      assertEquals(s, VECTOR.sum(x, 5, n), 1e-6 * Math.abs(s), "sum n=" + n + " seed 83");
      float mean = (float) (s / n);
      double v = SCALAR.sumSquaredDeviations(x, 5, n, mean);
      assertEquals(v, VECTOR.sumSquaredDeviations(x, 5, n, mean), 1e-5 * v + 1e-6,
          "squared deviations n=" + n + " seed 83");
      for (boolean affine : new boolean[] {false, true}) {
        float[] want = new float[n + 5];
        float[] got = new float[n + 5];
        SCALAR.normalizeRow(want, x, 5, n, mean, 0.7f, affine ? w : null, affine ? b : null);
        VECTOR.normalizeRow(got, x, 5, n, mean, 0.7f, affine ? w : null, affine ? b : null);
        OpAssert.assertClose("normalizeRow n=" + n + " affine=" + affine, want, got, 1e-6, 1e-6);
      }
    }
  }

  @Test
  void layerNormRowBackwardMatchesScalar() {
    SplittableRandom r = new SplittableRandom(89);
    for (int n : SIZES) {
      float[] x = values(r, n + 4, -2f, 3f);
      float[] g = values(r, n + 4, -1f, 1f);
      float[] w = values(r, n, 0.5f, 2f);
      for (boolean affine : new boolean[] {false, true}) {
        float[] dxWant = new float[n + 4];
        float[] dxGot = new float[n + 4];
        float[] fwWant = values(new SplittableRandom(n), n, 0f, 1f);
        float[] fwGot = fwWant.clone();
        float[] fbWant = values(new SplittableRandom(n + 1), n, 0f, 1f);
        float[] fbGot = fbWant.clone();
        float[] wt = affine ? w : null;
        SCALAR.layerNormRowBackward(dxWant, fwWant, fbWant, g, x, 4, n, 0.3f, 1.7f, wt);
        VECTOR.layerNormRowBackward(dxGot, fwGot, fbGot, g, x, 4, n, 0.3f, 1.7f, wt);
        String what = " n=" + n + " affine=" + affine + " seed 89";
        OpAssert.assertClose("dx" + what, dxWant, dxGot, 1e-5, 1e-5);
        OpAssert.assertClose("fw" + what, fwWant, fwGot, 1e-6, 1e-6);
        OpAssert.assertClose("fb" + what, fbWant, fbGot, 1e-6, 1e-6);
        SCALAR.layerNormRowBackward(null, null, fbWant, g, x, 4, n, 0.3f, 1.7f, wt);
        VECTOR.layerNormRowBackward(null, null, fbGot, g, x, 4, n, 0.3f, 1.7f, wt);
        OpAssert.assertClose("fb only" + what, fbWant, fbGot, 1e-6, 1e-6);
      }
    }
  }

  @Test
  void reluFamilyHandlesInfinityAndNaNLikeTorch() {
    float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -0f};
    for (MathKernels m : new MathKernels[] {SCALAR, VECTOR}) {
      float[] y = new float[4];
      m.activation(RELU, y, x, 0f, 0, 4);
      assertEquals(0f, y[0], m.name());
      assertEquals(Float.POSITIVE_INFINITY, y[1], m.name());
      assertTrue(Float.isNaN(y[2]), m.name());
      m.activation(LEAKY_RELU, y, x, 0.1f, 0, 4);
      assertEquals(Float.NEGATIVE_INFINITY, y[0], m.name());
      assertTrue(Float.isNaN(y[2]), m.name());
    }
  }

  @Test
  void maxAndExpSumMatchScalar() {
    SplittableRandom r = new SplittableRandom(79);
    for (int n : SIZES) {
      float[] x = values(r, n + 3, -30f, 30f);
      assertEquals(SCALAR.max(x, 3, n), VECTOR.max(x, 3, n), 0f, "max n=" + n);
      float shift = SCALAR.max(x, 3, n);
      float[] want = new float[n + 3];
      float[] got = new float[n + 3];
      double sw = SCALAR.expSum(want, x, 3, n, shift, true);
      double sv = VECTOR.expSum(got, x, 3, n, shift, true);
      assertEquals(sw, sv, 1e-6 * n, "expSum n=" + n + " seed 79");
      OpAssert.assertClose("exp terms n=" + n, want, got, 1e-8, 2e-6);
      assertEquals(sw, VECTOR.expSum(null, x, 3, n, shift, false), 1e-6 * n, "no store n=" + n);
    }
    float[] withNaN = {1f, Float.NaN, 2f};
    assertTrue(Float.isNaN(VECTOR.max(withNaN, 0, 3)) && Float.isNaN(SCALAR.max(withNaN, 0, 3)));
  }
}
