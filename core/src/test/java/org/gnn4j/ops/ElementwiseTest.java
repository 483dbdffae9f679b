package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElementwiseTest {
  /** Pairs of broadcast-compatible shapes, including bias rows, columns, scalars and empties. */
  private static final int[][][] PAIRS = {
      {{3, 4}, {3, 4}}, {{5, 7}, {7}}, {{5, 7}, {5, 1}}, {{2, 3, 4}, {}}, {{2, 3, 4}, {1}},
      {{2, 1, 4}, {3, 1}}, {{1}, {6, 2}}, {{4, 1, 3}, {1, 5, 1}}, {{0, 3}, {3}}, {{}, {}},
      {{7}, {3, 1}}, {{2, 3, 1, 5}, {3, 4, 1}}, {{33}, {33}}};

  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  private static Tensor op(String name, Tensor a, Tensor b) {
    return switch (name) {
      case "add" -> Elementwise.add(a, b);
      case "sub" -> Elementwise.sub(a, b);
      case "mul" -> Elementwise.mul(a, b);
      default -> Elementwise.div(a, b);
    };
  }

  private static BinaryOperator<Float> ref(String name) {
    return switch (name) {
      case "add" -> (x, y) -> x + y;
      case "sub" -> (x, y) -> x - y;
      case "mul" -> (x, y) -> x * y;
      default -> (x, y) -> x / y;
    };
  }

  /** Straightforward numpy broadcasting: per output index, the right-aligned input index. */
  static float[] naive(Tensor a, Tensor b, int[] out, BinaryOperator<Float> f) {
    int n = Shape.of(out).numel();
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int rem = i;
      int ia = 0, ib = 0, sa = 1, sb = 1;
      for (int d = out.length - 1; d >= 0; d--) {
        int idx = rem % out[d];
        rem /= out[d];
        int da = d - (out.length - a.rank());
        int db = d - (out.length - b.rank());
        if (da >= 0) {
          ia += (a.dim(da) == 1 ? 0 : idx) * sa;
          sa *= a.dim(da);
        }
        if (db >= 0) {
          ib += (b.dim(db) == 1 ? 0 : idx) * sb;
          sb *= b.dim(db);
        }
      }
      y[i] = f.apply(a.data()[ia], b.data()[ib]);
    }
    return y;
  }

  private static int[] broadcastShape(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] o = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      o[i] = da == 1 ? db : da;
    }
    return o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"add", "sub", "mul", "div"})
  void forwardMatchesNaiveBroadcasting(String name) {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(3);
      for (int[][] pair : PAIRS) {
        Tensor a = ctx.randn(r, pair[0]);
        Tensor b = ctx.uniform(r, 0.5f, 2f, pair[1]);
        Tensor y = op(name, a, b);
        int[] out = broadcastShape(pair[0], pair[1]);
        assertEquals(Shape.of(out), y.shape(), name + " shape, seed 3");
        OpAssert.assertClose(name + " " + a.shape() + " " + b.shape() + " seed 3",
            naive(a, b, out, ref(name)), y.data(), 0, 0);
        Tensor z = op(name, b, a); // operand order swapped
        assertEquals(Shape.of(out), z.shape());
        OpAssert.assertClose(name + " swapped, seed 3", naive(b, a, out, ref(name)), z.data(), 0, 0);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"add", "sub", "mul", "div"})
  void gradientMatchesFiniteDifferences(String name) {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(11);
      for (int[][] pair : PAIRS) {
        Tensor a = ctx.randn(r, pair[0]).requiresGrad(true);
        Tensor b = ctx.uniform(r, 0.5f, 2f, pair[1]).requiresGrad(true);
        GradCheck.defaults().check(name + " " + a.shape() + " " + b.shape(), 11,
            in -> op(name, in[0], in[1]), a, b);
      }
      Tensor x = ctx.uniform(r, 0.5f, 2f, 3, 5).requiresGrad(true);
      GradCheck.defaults().check(name + " x with itself", 11, in -> op(name, in[0], in[0]), x);
    }
  }

  @Test
  void squareGradientHasTheBitsOfTwoProductsSummed() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(17);
      Tensor x = ctx.randn(r, 37, 19).requiresGrad(true);
      Tensor w = ctx.randn(r, 37, 19);                       // the upstream gradient
      Reductions.sumAll(Elementwise.mul(Elementwise.mul(x, x), w)).backward();
      float[] expected = new float[x.numel()];
      for (int i = 0; i < expected.length; i++) {
        float gx = w.data()[i] * x.data()[i];
        expected[i] = gx + gx;
      }
      assertArrayEquals(expected, x.gradArray(), "seed 17");
      // x used again after the square: its gradients add up
      x.zeroGrad();
      Reductions.sumAll(Elementwise.add(Elementwise.mul(x, x), x)).backward();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(2 * x.data()[i] + 1, x.gradArray()[i], 1e-5, "seed 17, element " + i);
      }
    }
  }

  @Test
  void largeBroadcastIsThreadCountInvariantAndCorrect() {
    int[][] shapes = {{300, 257}, {257}, {300, 1}};
    float[][] results = new float[2][];
    float[][] grads = new float[2][];
    for (int t = 1; t <= 2; t++) {
      try (Context ctx = ctx(t)) {
        SplittableRandom r = new SplittableRandom(5);
        Tensor a = ctx.randn(r, shapes[0]);
        Tensor b = ctx.randn(r, shapes[1]).requiresGrad(true);
        Tensor c = ctx.uniform(r, 1f, 2f, shapes[2]).requiresGrad(true);
        Tensor y = Elementwise.div(Elementwise.add(a, b), c);
        Tensor ab = ctx.tensor(naive(a, b, shapes[0], ref("add")), shapes[0]);
        OpAssert.assertClose("(a + b) / c, seed 5", naive(ab, c, shapes[0], ref("div")),
            y.data(), 1e-6, 1e-6);
        Reductions.sumAll(y).backward();
        float[] db = new float[257];                       // d sum((a + b) / c) / db_j
        for (int i = 0; i < 300; i++) {
          for (int j = 0; j < 257; j++) db[j] += 1f / c.data()[i];
        }
        OpAssert.assertClose("bias gradient, seed 5", db, b.gradArray(), 1e-4, 1e-5);
        results[t - 1] = y.data();
        grads[t - 1] = b.gradArray();
        assertEquals(300, c.gradArray().length);
      }
    }
    assertArrayEquals(results[0], results[1], "forward differs between 1 and 2 threads");
    // per-thread partial sums (double) may round the last float bit differently
    OpAssert.assertClose("bias gradient, 1 vs 2 threads", grads[0], grads[1], 1e-5, 1e-6);
  }

  @Test
  void rejectsShapesThatDoNotBroadcast() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Elementwise.add(ctx.zeros(3, 4), ctx.zeros(5)));
      String m = e.getMessage();
      assertTrue(m.startsWith("add: shapes do not broadcast") && m.contains("[3, 4]")
          && m.contains("[5]"), m);
      e = assertThrows(IllegalArgumentException.class,
          () -> Elementwise.mul(ctx.zeros(2, 3, 4), ctx.zeros(3, 3, 4)));
      assertTrue(e.getMessage().startsWith("mul:") && e.getMessage().contains("[3, 3, 4]"),
          e.getMessage());
    }
  }

  @Test
  void scalarOpsMatchClosedForms() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.tensor(new float[] {0.25f, 1f, 4f, 9f}, 2, 2);
      assertArrayEquals(new float[] {2.25f, 3f, 6f, 11f}, Elementwise.addScalar(x, 2f).data());
      assertArrayEquals(new float[] {-0.75f, -3f, -12f, -27f}, Elementwise.mulScalar(x, -3f).data());
      assertArrayEquals(new float[] {0.5f, 1f, 2f, 3f}, Elementwise.sqrt(x).data());
      assertArrayEquals(new float[] {0.5f, 1f, 2f, 3f}, Elementwise.powScalar(x, 0.5f).data());
      assertArrayEquals(new float[] {0.0625f, 1f, 16f, 81f}, Elementwise.powScalar(x, 2f).data());
      OpAssert.assertClose("pow 3", new float[] {0.015625f, 1f, 64f, 729f},
          Elementwise.powScalar(x, 3f).data(), 0, 1e-6);
      assertArrayEquals(new float[] {-0.25f, -1f, -4f, -9f}, Elementwise.neg(x).data());
      assertEquals(Shape.of(2, 2), Elementwise.neg(x).shape());
    }
  }

  @Test
  void scalarOpGradientsMatchFiniteDifferences() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(13);
      Tensor x = ctx.uniform(r, 0.5f, 2f, 3, 7).requiresGrad(true);
      GradCheck g = GradCheck.defaults();
      g.check("addScalar", 13, in -> Elementwise.addScalar(in[0], 1.5f), x);
      g.check("mulScalar", 13, in -> Elementwise.mulScalar(in[0], -2.5f), x);
      g.check("neg", 13, in -> Elementwise.neg(in[0]), x);
      g.check("sqrt", 13, in -> Elementwise.sqrt(in[0]), x);
      for (float p : new float[] {2f, 3f, 0.5f, -1f, 1.7f, 0f, 1f}) {
        g.check("powScalar " + p, 13, in -> Elementwise.powScalar(in[0], p), x);
      }
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor a = ctx.ones(2, 3).requiresGrad(true);
      Tensor b = ctx.ones(3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        Tensor y = Elementwise.mul(a, b);
        assertTrue(y.isLeaf() && !y.requiresGrad());
        assertTrue(Elementwise.addScalar(a, 1f).isLeaf());
      }
      assertTrue(Elementwise.mul(a, b).requiresGrad());
    }
  }
}
