package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class PowerSumTest {
  /** The unfused reference: x + A x + A^2 x + ..., then scaled, from Spmm and Elementwise. */
  private static Tensor reference(EdgeIndex e, Tensor w, Tensor x, int layers, float scale) {
    Tensor h = x;
    Tensor out = x;
    for (int l = 1; l <= layers; l++) {
      h = Spmm.aggregate(e, w, h);
      out = Elementwise.add(out, h);
    }
    return Elementwise.mulScalar(out, scale);
  }

  @Test
  void equalsTheUnfusedSumOnBothKernelSetsAndEdgeCases() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).seed(1).kernels(k).build()) {
        SplittableRandom rnd = new SplittableRandom(2);
        for (var c : RandomGraphs.edgeCases(3)) {
          EdgeIndex e = c.edges();
          if (e.numSrcNodes() != e.numDstNodes()) continue;
          Tensor x = ctx.randn(rnd, e.numNodes(), 17);
          Tensor w = ctx.randn(rnd, e.numEdges());
          for (int layers : new int[] {0, 1, 3}) {
            for (Tensor weights : new Tensor[] {null, w}) {
              float[] want = reference(e, weights, x, layers, 0.25f).data();
              float[] got = PowerSum.apply(e, weights, x, layers, 0.25f).data();
              for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])),
                    c.name() + " L=" + layers + " at " + i + " (" + k.name() + ")");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom rnd = new SplittableRandom(5);
      EdgeIndex e = RandomGraphs.uniform(7, 20, 9);
      Tensor w = ctx.randn(rnd, e.numEdges());
      Tensor x = ctx.randn(rnd, 7, 3).requiresGrad(true);
      GradCheck.defaults().check("powerSum L=3", 1, in -> PowerSum.apply(e, w, in[0], 3, 0.5f), x);
      GradCheck.defaults().check("powerSum L=1 unweighted", 2, in -> PowerSum.apply(e, null, in[0], 1, 1f), x);
    }
  }

  @Test
  void badArgumentsAreNamed() {
    try (Context ctx = Context.create()) {
      EdgeIndex e = EdgeIndex.of(new int[] {0, 1}, new int[] {1, 2}, 3);
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> PowerSum.apply(e, null, ctx.zeros(4, 2), 2, 1f));
      assertEquals("powerSum: x has shape [4, 2], expected [3, F]", ex.getMessage());
      assertThrows(IllegalArgumentException.class, () -> PowerSum.apply(e, ctx.zeros(3), ctx.zeros(3, 2), 2, 1f));
      assertThrows(IllegalArgumentException.class, () -> PowerSum.apply(e, null, ctx.zeros(3, 2), -1, 1f));
    }
  }
}
