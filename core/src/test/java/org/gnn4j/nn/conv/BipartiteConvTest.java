package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * The bipartite forms of the existing layers ({@code (x_src, x_dst)} in PyG), for which no PyG
 * fixtures exist: with x_src and x_dst holding the same values on a square graph they equal the
 * homogeneous layer; on a real bipartite graph their gradients match finite differences; and
 * misshapen sides are named.
 */
class BipartiteConvTest {
  private static final long SEED = 11;

  private static Tensor randn(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
    return t;
  }

  @Test
  void resGatedBipartiteWithEqualSidesEqualsHomogeneous() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (int edgeDim : new int[] {0, 3}) {
          SplittableRandom r = new SplittableRandom(SEED);
          Graph g = Graph.of(RandomGraphs.uniform(7, 20, SEED));
          ResGatedGraphConv l = new ResGatedGraphConv(ctx, 5, 5, 4, edgeDim, true, true, r);
          Tensor x = randn(ctx, r, 7, 5);
          Tensor ea = edgeDim == 0 ? null : randn(ctx, r, 20, edgeDim);
          Tensor copy = ctx.tensor(x.data().clone(), 7, 5);
          OpAssert.assertClose(k.name() + " edgeDim=" + edgeDim, l.forward(x, g, ea).data(),
              l.forward(x, copy, g, ea).data(), 0, 0);
        }
      }
    }
  }

  @Test
  void resGatedBipartiteGradientsMatchFiniteDifferences() {
    EdgeIndex e = EdgeIndex.bipartite(new int[] {0, 1, 5, 2, 2, 4, 0}, new int[] {0, 0, 1, 1, 1,
        3, 3}, 6, 4);                                     // target 2 without in-edges, one duplicate
    Graph g = Graph.bipartite(e);
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (int edgeDim : new int[] {0, 2}) {
          SplittableRandom r = new SplittableRandom(SEED);
          ResGatedGraphConv l = new ResGatedGraphConv(ctx, 5, 3, 4, edgeDim, true, true, r);
          List<Tensor> in = new ArrayList<>();
          in.add(randn(ctx, r, 6, 5).requiresGrad(true));
          in.add(randn(ctx, r, 4, 3).requiresGrad(true));
          if (edgeDim > 0) in.add(randn(ctx, r, 7, edgeDim).requiresGrad(true));
          int fixed = in.size();
          in.addAll(l.parameters());
          GradCheck.defaults().eps(1e-3).check(k.name() + " edgeDim=" + edgeDim, SEED,
              t -> l.forward(t[0], t[1], g, fixed == 3 ? t[2] : null), in.toArray(new Tensor[0]));
        }
      }
    }
  }

  @Test
  void resGatedRejectsWrongSides() {
    try (Context ctx = Contexts.scalar(1)) {
      ResGatedGraphConv l = new ResGatedGraphConv(ctx, 5, 3, 4, 0, true, true,
          new SplittableRandom(1));
      Graph g = Graph.bipartite(EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 6, 4));
      var ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(6, 5), ctx.zeros(4, 5), g, null));
      assertEquals("ResGatedGraphConv: xDst has shape [4, 5], expected [4, 3] for 4 targets",
          ex.getMessage());
    }
  }
}
