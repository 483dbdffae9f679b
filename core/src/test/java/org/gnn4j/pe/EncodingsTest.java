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

/** DegreeEncoding and SinusoidalPe. */
class EncodingsTest {
  @Test
  void degreeIdsAreCappedAndCountEveryEdge() {
    // 0->1, 0->2, 0->3, 1->0, 2->0 twice (duplicate), 3->3 (self-loop)
    EdgeIndex e = EdgeIndex.of(new int[] {0, 0, 0, 1, 2, 2, 3}, new int[] {1, 2, 3, 0, 0, 0, 3}, 5);
    assertArrayEquals(new int[] {3, 1, 1, 2, 0}, DegreeEncoding.inDegreeIds(e, 10));
    assertArrayEquals(new int[] {2, 1, 1, 2, 0}, DegreeEncoding.inDegreeIds(e, 2));
    assertArrayEquals(new int[] {3, 1, 2, 1, 0}, DegreeEncoding.outDegreeIds(e, 10));
    var ex = assertThrows(IllegalArgumentException.class, () -> DegreeEncoding.inDegreeIds(e, -1));
    assertTrue(ex.getMessage().contains("maxDegree must be >= 0"), ex.getMessage());
  }

  @Test
  void degreeEncodingAddsTheTwoTableRows() {
    EdgeIndex e = EdgeIndex.of(new int[] {0, 0, 1}, new int[] {1, 2, 2}, 3);
    try (Context ctx = Contexts.scalar(1)) {
      DegreeEncoding enc = new DegreeEncoding(ctx, 1, 4, new SplittableRandom(1));
      Tensor out = enc.forward(e);
      Tensor zin = enc.namedParameters().get("z_in");
      Tensor zout = enc.namedParameters().get("z_out");
      // node 2: in-degree 2 capped to 1, out-degree 0
      for (int c = 0; c < 4; c++) assertEquals(zin.get(1, c) + zout.get(0, c), out.get(2, c), 1e-6);
      GradCheck.defaults().check("degree", 3, in -> enc.forward(e), zin, zout);
    }
  }

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
