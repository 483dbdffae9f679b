package org.gnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutogradTest {
  @Test
  void tensorUsedTwiceAccumulatesBothPaths() {
    try (Context ctx = Context.create()) {
      // c = a a with a = [[1,2],[3,4]]; dL/da for dL/dc = ones is ones a^T + a^T ones
      Tensor a = ctx.tensor(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
      Tensor c = MatMul.matmul(a, a);
      Autograd.backward(c, new float[] {1, 1, 1, 1});
      // ones a^T = [[3,7],[3,7]], a^T ones = [[4,4],[6,6]]
      assertArrayEquals(new float[] {7, 11, 9, 13}, a.gradArray());
    }
  }

  @Test
  void diamondGraphVisitsSharedNodeOnce() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.tensor(new float[] {2}, 1, 1).requiresGrad(true);
      Tensor b = MatMul.matmul(a, a);           // a^2
      Tensor c = MatMul.matmul(b, a);           // a^3
      Tensor d = MatMul.matmul(c, b);           // a^5
      d.backward();
      assertArrayEquals(new float[] {5 * 16}, a.gradArray());
    }
  }

  @Test
  void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.tensor(new float[] {3}, 1, 1).requiresGrad(true);
      Tensor w = ctx.tensor(new float[] {2}, 1, 1);
      MatMul.matmul(a, w).backward();
      MatMul.matmul(a, w).backward();
      assertArrayEquals(new float[] {4}, a.gradArray());
      a.zeroGrad();
      assertNull(a.gradArray());
    }
  }

  @Test
  void intermediatesAreReleasedAfterBackward() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.ones(2, 2).requiresGrad(true);
      Tensor b = MatMul.matmul(a, a);
      Tensor c = MatMul.matmul(b, a);
      Autograd.backward(c, new float[4]);
      assertTrue(b.isLeaf() && b.gradArray() == null, "intermediate kept its node or gradient");
    }
  }

  @Test
  void rejectsNonScalarLossAndUntrackedOutput() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.ones(2, 2).requiresGrad(true);
      Tensor c = MatMul.matmul(a, a);
      var e = assertThrows(IllegalArgumentException.class, c::backward);
      assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
      Tensor plain = MatMul.matmul(ctx.ones(1, 1), ctx.ones(1, 1));
      assertThrows(IllegalStateException.class, plain::backward);
      assertThrows(IllegalArgumentException.class, () -> Autograd.backward(c, new float[3]));
    }
  }

  @Test
  void noGradScopeNestsAndRestores() {
    try (Context ctx = Context.create()) {
      assertTrue(ctx.gradEnabled());
      try (var outer = ctx.noGrad()) {
        try (var inner = ctx.enableGrad()) {
          assertTrue(ctx.gradEnabled());
        }
        assertTrue(!ctx.gradEnabled());
      }
      assertTrue(ctx.gradEnabled());
    }
  }

  @Test
  void inPlaceChangeOfTrackedTensorIsRefused() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.ones(2).requiresGrad(true);
      var e = assertThrows(IllegalStateException.class, () -> a.fillInPlace(0f));
      assertTrue(e.getMessage().contains("fillInPlace"), e.getMessage());
      try (var s = ctx.noGrad()) {
        a.fillInPlace(0f);
      }
      assertArrayEquals(new float[] {0, 0}, a.data());
    }
  }

  @Test
  void deepChainDoesNotOverflowTheStack() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.tensor(new float[] {1}, 1, 1).requiresGrad(true);
      Tensor one = ctx.tensor(new float[] {1}, 1, 1);
      Tensor x = a;
      for (int i = 0; i < 20_000; i++) x = MatMul.matmul(x, one);
      x.backward();
      assertArrayEquals(new float[] {1}, a.gradArray());
    }
  }

  @Test
  void handedOverGradientsStayCorrectWhenATensorFeedsTheSameAdditionTwice() {
    // Additions and reshapes pass their output gradient on without a copy; when one tensor is
    // both inputs, or a handed-over array later receives more gradient, nothing may be lost.
    try (Context ctx = Context.create()) {
      Tensor x = ctx.tensor(new float[] {1, -2, 3, 4, 5, -6}, 2, 3).requiresGrad(true);
      Tensor t = x.mul(x);                      // x^2
      Tensor u = t.add(t).view(3, 2);        // 2 x^2, viewed
      Tensor v = u.add(x.view(3, 2));        // 2 x^2 + x
      Tensor w = v.add(v);                      // 4 x^2 + 2 x
      Tensor loss = w.mul(w).sum();             // d/dx = 2 w (8 x + 2)
      loss.backward();
      float[] xs = {1, -2, 3, 4, 5, -6};
      float[] want = new float[6];
      for (int i = 0; i < 6; i++) {
        float wi = 4 * xs[i] * xs[i] + 2 * xs[i];
        want[i] = 2 * wi * (8 * xs[i] + 2);
      }
      assertArrayEquals(want, x.gradArray(), 1e-3f);
    }
  }

  @Test
  void subtractionHandsOverOnlyAPositiveGradient() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.tensor(new float[] {1, 2}, 2).requiresGrad(true);
      Tensor b = ctx.tensor(new float[] {3, 5}, 2).requiresGrad(true);
      Tensor loss = b.sub(a.mul(a)).sum();      // d/db = 1, d/da = -2 a
      loss.backward();
      assertArrayEquals(new float[] {1, 1}, b.gradArray());
      assertArrayEquals(new float[] {-2, -4}, a.gradArray());
    }
  }
}
