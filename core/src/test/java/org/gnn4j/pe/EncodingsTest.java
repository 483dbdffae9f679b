package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** SinusoidalPe (the degree encoding is nn.transformer.CentralityEncoding). */
class EncodingsTest {
  @Test
  void sinusoidalMatchesTheFormula() {
    try (Context ctx = Contexts.scalar(1)) {
      Tensor pe = SinusoidalPe.encode(ctx, 50, 7);
      assertArrayEquals(new int[] {50, 7}, pe.shape().toArray());
      for (int p : new int[] {0, 1, 13, 49}) {
        for (int c = 0; c < 7; c++) {
          double angle = p / Math.pow(10000, (c - c % 2) / 7.0);
          double expected = c % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
          assertEquals(expected, pe.get(p, c), 1e-6, "p=" + p + " c=" + c);
        }
      }
      assertEquals(0f, pe.get(0, 0));
      assertEquals(1f, pe.get(0, 1));
      Tensor some = SinusoidalPe.encode(ctx, new int[] {13, 0}, 7);
      assertArrayEquals(java.util.Arrays.copyOfRange(pe.data(), 13 * 7, 14 * 7),
          java.util.Arrays.copyOfRange(some.data(), 0, 7));
      var ex = assertThrows(IllegalArgumentException.class, () -> SinusoidalPe.encode(ctx, 3, 0));
      assertTrue(ex.getMessage().contains("d must be >= 1"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> SinusoidalPe.encode(ctx, new int[] {1, -2}, 4));
      assertTrue(ex.getMessage().contains("positions[1] = -2"), ex.getMessage());
    }
  }
}
