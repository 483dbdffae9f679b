package org.gnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradClipTest {
  @Test
  void globalNormScalesAllGradientsTogether() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.zeros(2).requiresGrad(true);
      Tensor b = ctx.zeros(2).requiresGrad(true);
      Tensor noGrad = ctx.zeros(3).requiresGrad(true);
      a.accumulateGrad(new float[] {3f, 4f});
      b.accumulateGrad(new float[] {0f, 12f});
      // norm = sqrt(9 + 16 + 144) = 13; coef = 6.5 / (13 + 1e-6)
      double norm = GradClip.clipByGlobalNorm(List.of(a, b, noGrad), 6.5);
      assertEquals(13.0, norm, 1e-12);
      float c = (float) (6.5 / (13 + 1e-6));
      assertArrayEquals(new float[] {3 * c, 4 * c}, a.gradArray());
      assertArrayEquals(new float[] {0f, 12 * c}, b.gradArray());
      assertNull(noGrad.gradArray());
    }
  }

  @Test
  void normBelowTheLimitLeavesGradientsUnchanged() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.zeros(2).requiresGrad(true);
      a.accumulateGrad(new float[] {3f, 4f});
      assertEquals(5.0, GradClip.clipByGlobalNorm(List.of(a), 5.1), 1e-12);
      assertArrayEquals(new float[] {3f, 4f}, a.gradArray());
    }
  }

  @Test
  void nonFiniteNormIsReturnedAndGradientsKept() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.zeros(2).requiresGrad(true);
      a.accumulateGrad(new float[] {Float.POSITIVE_INFINITY, 1f});
      assertTrue(Double.isInfinite(GradClip.clipByGlobalNorm(List.of(a), 1)));
      assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 1f}, a.gradArray());
    }
  }

  @Test
  void clipByValueClampsEachElement() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.zeros(4).requiresGrad(true);
      a.accumulateGrad(new float[] {-3f, 0.5f, 2f, -1f});
      GradClip.clipByValue(List.of(a), 1f);
      assertArrayEquals(new float[] {-1f, 0.5f, 1f, -1f}, a.gradArray());
    }
  }

  @Test
  void rejectsNonPositiveLimits() {
    assertThrows(IllegalArgumentException.class, () -> GradClip.clipByGlobalNorm(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> GradClip.clipByValue(List.of(), Float.NaN));
  }
}
