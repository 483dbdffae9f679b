package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * PyG's parameter names and sizes, an orthonormal projection, gradients by finite differences
 * for the input and every parameter, graphs of one batch kept apart, and the redraw schedule.
 */
class PerformerAttentionTest {
  @Test
  void hasPygNamesAndShapes() {
    try (Context ctx = Context.create()) {
      PerformerAttention a = new PerformerAttention(ctx, 64, 4, new SplittableRandom(1));
      Map<String, Tensor> p = a.namedParameters();
      assertEquals(List.of("fast_attn.projection_matrix", "q.weight", "k.weight", "v.weight",
          "attn_out.weight", "attn_out.bias"), List.copyOf(p.keySet()));
      assertEquals("[266, 64]", p.get("fast_attn.projection_matrix").shape().toString());
      assertEquals("[256, 64]", p.get("q.weight").shape().toString());
      assertEquals("[64, 256]", p.get("attn_out.weight").shape().toString());
      assertFalse(p.get("fast_attn.projection_matrix").requiresGrad());
      assertEquals(3 * 256 * 64 + 256 * 64 + 64, a.numParameters());
    }
  }

  @Test
  void projectionBlocksAreOrthonormalAndRedrawChangesThem() {
    try (Context ctx = Context.create()) {
      SplittableRandom rng = new SplittableRandom(2);
      PerformerAttention a = new PerformerAttention(ctx, 8, 2, 8, false, true, rng);
      Tensor w = a.namedParameters().get("fast_attn.projection_matrix");
      assertEquals(16, a.numFeatures());                       // floor(8 ln 8) = 16
      float[] p = w.data();
      for (int blk = 0; blk < 2; blk++) {
        for (int i = 0; i < 8; i++) {
          for (int j = 0; j < 8; j++) {
            double dot = 0;
            for (int d = 0; d < 8; d++) dot += p[(blk * 8 + i) * 8 + d] * p[(blk * 8 + j) * 8 + d];
            assertEquals(i == j ? 1.0 : 0.0, dot, 1e-5, "block " + blk + " rows " + i + ", " + j);
          }
        }
      }
      float[] before = p.clone();
      a.redrawProjectionMatrix(rng);
      assertFalse(java.util.Arrays.equals(before, w.data()));
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom rng = new SplittableRandom(3);
      PerformerAttention a = new PerformerAttention(ctx, 4, 2, 3, true, true, rng);
      Tensor x = ctx.randn(rng, 7, 4).requiresGrad(true);
      int[] ptr = {0, 2, 7};
      Tensor[] ins = new Tensor[1 + a.parameters().size()];
      ins[0] = x;
      for (int i = 0; i < a.parameters().size(); i++) ins[i + 1] = a.parameters().get(i);
      GradCheck.defaults().eps(1e-3).tolerance(3e-3, 3e-2).check("performer attention", 3,
          in -> a.forwardWithinGraphs(in[0], ptr), ins);
    }
  }

  @Test
  void graphsOfOneSizeDoNotSeeEachOther() {
    try (Context ctx = Context.create()) {
      SplittableRandom rng = new SplittableRandom(4);
      PerformerAttention a = new PerformerAttention(ctx, 8, 2, 4, false, true, rng);
      Tensor x = ctx.randn(rng, 10, 8);
      Tensor both = a.forwardWithinGraphs(x, new int[] {0, 5, 10});
      Tensor first = a.forwardWithinGraphs(ctx.tensor(java.util.Arrays.copyOf(x.data(), 40), 5, 8),
          new int[] {0, 5});
      OpAssert.assertClose("graph 0 alone vs in the batch", first.data(),
          java.util.Arrays.copyOf(both.data(), 40), 1e-6, 1e-5);
    }
  }

  @Test
  void redrawsEveryIntervalPlusOneTrainingSteps() {
    try (Context ctx = Context.create()) {
      SplittableRandom rng = new SplittableRandom(5);
      PerformerAttention a = new PerformerAttention(ctx, 8, 2, 4, false, true, rng);
      ProjectionRedraw r = new ProjectionRedraw(2, List.of(a));
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 7; i++) s.append(r.step(true, rng) ? 'R' : '.');
      assertEquals("..R..R.", s.toString());
      assertFalse(r.step(false, rng));
      assertThrows(IllegalArgumentException.class, () -> new ProjectionRedraw(-1, List.of(a)));
    }
  }

  @Test
  void rejectsBadSizes() {
    try (Context ctx = Context.create()) {
      SplittableRandom rng = new SplittableRandom(6);
      var e = assertThrows(IllegalArgumentException.class,
          () -> new PerformerAttention(ctx, 10, 4, rng));
      assertTrue(e.getMessage().contains("heads"), e.getMessage());
      PerformerAttention a = new PerformerAttention(ctx, 8, 2, 4, false, true, rng);
      var e2 = assertThrows(IllegalArgumentException.class,
          () -> a.forwardWithinGraphs(ctx.zeros(3, 7), new int[] {0, 3}));
      assertTrue(e2.getMessage().contains("[N, 8]"), e2.getMessage());
    }
  }
}
