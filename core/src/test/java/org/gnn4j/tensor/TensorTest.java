package org.gnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void fluentChainComputesValueAndGradient() {
    try (Context ctx = Context.create()) {
      Tensor x = ctx.tensor(new float[] {-1f, 2f, 3f}, 3).requiresGrad(true);
      Tensor y = x.mul(2f).add(1f).relu().sum();          // relu([-1, 5, 7]) summed = 12
      assertEquals(12f, y.item());
      y.backward();
      assertArrayEquals(new float[] {0f, 2f, 2f}, x.gradArray());
    }
  }

  @Test
  void fluentLinearAlgebraMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(5);
      Tensor x = ctx.randn(r, 4, 3).requiresGrad(true);
      Tensor w = ctx.randn(r, 2, 3).requiresGrad(true);
      Tensor b = ctx.randn(r, 2).requiresGrad(true);
      GradCheck.defaults().check("x W^T + b, tanh, softmax", 5,
          in -> in[0].matmul(in[1], false, true).add(in[2]).tanh().softmax(), x, w, b);
    }
  }

  @Test
  void viewSharesValuesAndGetChecksRange() {
    try (Context ctx = Context.create()) {
      Tensor x = ctx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      Tensor v = x.view(3, -1);
      assertEquals(Shape.of(3, 2), v.shape());
      assertEquals(4f, v.get(1, 1));
      var e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(2, 0));
      assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }
  }

  @Test
  void shapeRejectsNegativeAndOverflowingDimensions() {
    assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16));
    assertEquals("[3, 16]", Shape.of(3, 16).toString());
    assertEquals(1, Shape.of().numel());
  }

  @Test
  void sameSeedGivesSameRandomTensors() {
    try (Context a = Context.builder().seed(11).build();
         Context b = Context.builder().seed(11).build()) {
      assertArrayEquals(a.randn(a.newRandom(), 5, 5).data(), b.randn(b.newRandom(), 5, 5).data());
    }
  }
}
