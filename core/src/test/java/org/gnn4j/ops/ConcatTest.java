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
import org.junit.jupiter.api.Test;

class ConcatTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  @Test
  void concatMatchesHandLayout() {
    try (Context ctx = ctx(1)) {
      Tensor a = ctx.tensor(new float[] {1, 2, 3, 4}, 2, 2);
      Tensor b = ctx.tensor(new float[] {5, 6}, 2, 1);
      Tensor c = Concat.concat(-1, a, b);
      assertEquals(Shape.of(2, 3), c.shape());
      assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, c.data());
      Tensor d = Concat.concat(0, a, ctx.tensor(new float[] {7, 8}, 1, 2));
      assertEquals(Shape.of(3, 2), d.shape());
      assertArrayEquals(new float[] {1, 2, 3, 4, 7, 8}, d.data());
      assertArrayEquals(new float[] {1, 2, 3, 4}, Concat.concat(1, a, ctx.zeros(2, 0)).data());
    }
  }

  /**
   * A served model's weights-side tensors (an atom embedding) live on the model's context while
   * a request's inputs (its RWSE projection) live on a derived one: concat must join them, as
   * every element-wise op does, and still refuse an unrelated context.
   */
  @Test
  void joinsTensorsOfADerivedContextButNotOfAnUnrelatedOne() {
    try (Context model = ctx(1); Context request = model.derive(1); Context other = ctx(1)) {
      Tensor a = model.tensor(new float[] {1, 2}, 2, 1);
      Tensor b = request.tensor(new float[] {3, 4}, 2, 1);
      assertArrayEquals(new float[] {1, 3, 2, 4}, Concat.concat(1, a, b).data());
      assertArrayEquals(new float[] {3, 1, 4, 2}, Concat.concat(1, b, a).data());
      var e = assertThrows(IllegalArgumentException.class,
          () -> Concat.concat(1, a, other.tensor(new float[] {5, 6}, 2, 1)));
      assertTrue(e.getMessage().contains("shares tensors"), e.getMessage());
    }
  }

  @Test
  void splitInvertsConcat() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.randn(new SplittableRandom(4), 3, 7, 2);
      Tensor[] parts = Concat.split(x, 1, 2, 0, 5);
      assertEquals(3, parts.length);
      assertEquals(Shape.of(3, 2, 2), parts[0].shape());
      assertEquals(Shape.of(3, 0, 2), parts[1].shape());
      assertEquals(Shape.of(3, 5, 2), parts[2].shape());
      assertEquals(x.get(2, 3, 1), parts[2].get(2, 1, 1));
      assertArrayEquals(x.data(), Concat.concat(1, parts).data());
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(37);
      Tensor a = ctx.randn(r, 3, 2, 5).requiresGrad(true);
      Tensor b = ctx.randn(r, 3, 4, 5).requiresGrad(true);
      Tensor c = ctx.randn(r, 3, 1, 5);                     // no gradient wanted
      GradCheck g = GradCheck.defaults();
      g.check("concat dim 1", 37, in -> Concat.concat(1, in[0], in[1], in[2]), a, b, c);
      g.check("concat dim 0", 37, in -> Concat.concat(0, in[0], in[0]), a);
      // pieces 0 and 2 reused in another order, piece 1 dropped: its slice gets no gradient
      g.check("split", 37, in -> {
        Tensor[] p = Concat.split(in[0], -1, 2, 1, 2);
        return Concat.concat(-1, p[2], p[0], p[2]);
      }, a);
    }
  }

  @Test
  void rejectsMismatchedShapesAndSizes() {
    try (Context ctx = ctx(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Concat.concat(1, ctx.zeros(2, 3), ctx.zeros(4, 3)));
      String m = e.getMessage();
      assertTrue(m.startsWith("concat: tensor 1") && m.contains("[4, 3]") && m.contains("[2, 3]"), m);
      e = assertThrows(IllegalArgumentException.class,
          () -> Concat.concat(0, ctx.zeros(2, 3), ctx.zeros(3)));
      assertTrue(e.getMessage().contains("tensor 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Concat.concat(2, ctx.zeros(2, 3)));
      assertTrue(e.getMessage().startsWith("concat: dim out of range"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Concat.concat(0));
      e = assertThrows(IllegalArgumentException.class,
          () -> Concat.split(ctx.zeros(2, 5), 1, 2, 2));
      assertTrue(e.getMessage().startsWith("split: sizes do not add up")
          && e.getMessage().contains("[2, 2]") && e.getMessage().contains("expected 5"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> Concat.split(ctx.zeros(2, 5), 1, 7, -2));
      assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(2, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(Concat.concat(0, x, x).isLeaf());
        assertTrue(Concat.split(x, 1, 1, 2)[1].isLeaf());
      }
      assertTrue(Concat.split(x, 1, 1, 2)[0].requiresGrad());
    }
  }
}
