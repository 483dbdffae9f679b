package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
  @Test
  void uniformLogitsGiveLogK() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.zeros(3, 4);
      assertEquals(Math.log(4), CrossEntropy.apply(z, new int[] {0, 1, 3}, null).item(), 1e-6);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnSelectedRows() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.randn(new SplittableRandom(3), 6, 5).requiresGrad(true);
      int[] y = {0, 4, 2, 2, 1, 3};
      GradCheck.defaults().check("cross-entropy rows", 3,
          in -> CrossEntropy.apply(in[0], y, new int[] {1, 3, 3, 5}), z);
      GradCheck.defaults().check("cross-entropy all", 4, in -> CrossEntropy.apply(in[0], y, null), z);
    }
  }

  @Test
  void rejectsLabelOutOfRangeNamingIt() {
    try (Context ctx = Context.create()) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.apply(ctx.zeros(2, 3), new int[] {0, 3}, null));
      assertTrue(e.getMessage().contains("labels[1] = 3"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.apply(ctx.zeros(2, 3), new int[] {0}, null));
    }
  }

  @Test
  void labelSmoothingMatchesTorchFormula() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.tensor(new float[] {1f, 2f, 0f}, 1, 3);
      // lse(z) - 0.9 * z_y - 0.1 * mean(z), y = 1
      assertEquals(0.5076059644443801, CrossEntropy.apply(z, new int[] {1}, null, 0.1f).item(), 1e-6);
      assertEquals(CrossEntropy.apply(z, new int[] {1}, null).item(),
          CrossEntropy.apply(z, new int[] {1}, null, 0f).item(), 0f);
      assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.apply(z, new int[] {1}, null, 1.5f));
    }
  }

  @Test
  void labelSmoothingGradientMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      Tensor z = ctx.randn(new SplittableRandom(5), 4, 3).requiresGrad(true);
      int[] y = {2, 0, 1, 1};
      GradCheck.defaults().check("cross-entropy smoothing", 5,
          in -> CrossEntropy.apply(in[0], y, new int[] {0, 3, 3}, 0.2f), z);
    }
  }
}
