package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * SageConv and GraphConv beyond the PyG fixtures: a plain-loop reference of
 * lin(aggr(x_src)) + root(x_dst) for every aggregation on both code paths (project before or
 * after aggregating), finite differences through the layer, and the input checks.
 */
class SageConvTest {
  private static final long SEED = 5;

  private static Tensor randn(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
    return t;
  }

  /** out_i = W agg_i + b + R x_dst_i in double, agg per PyG (0 without in-edges). */
  private static float[] reference(Aggr aggr, EdgeIndex e, float[] xs, float[] xd, float[] w,
                                   float[] b, float[] root, int fs, int fd, int fo) {
    int nd = e.numDstNodes();
    double[] agg = new double[nd * fs];
    int[] deg = e.inDegree();
    boolean[] seen = new boolean[nd];
    for (int k = 0; k < e.numEdges(); k++) {
      int j = e.src()[k];
      int i = e.dst()[k];
      for (int c = 0; c < fs; c++) {
        double v = xs[j * fs + c];
        if (aggr == Aggr.MAX) agg[i * fs + c] = seen[i] ? Math.max(agg[i * fs + c], v) : v;
        else agg[i * fs + c] += aggr == Aggr.MEAN ? v / deg[i] : v;
      }
      seen[i] = true;
    }
    float[] out = new float[nd * fo];
    for (int i = 0; i < nd; i++) {
      for (int o = 0; o < fo; o++) {
        double s = b[o];
        for (int c = 0; c < fs; c++) s += w[o * fs + c] * agg[i * fs + c];
        for (int c = 0; root != null && c < fd; c++) s += root[o * fd + c] * xd[i * fd + c];
        out[i * fo + o] = (float) s;
      }
    }
    return out;
  }

  @Test
  void matchesLoopReferenceForEveryAggregationAndBothProjectionOrders() {
    EdgeIndex e = EdgeIndex.bipartite(new int[] {0, 1, 1, 4, 4, 2, 0}, new int[] {0, 0, 2, 2, 2,
        3, 3}, 6, 5);                                 // target 1 and 4 without in-edges
    Graph g = Graph.bipartite(e);
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (Aggr aggr : Aggr.values()) {
          for (int[] widths : new int[][] {{7, 3, 4}, {3, 5, 9}}) {   // {F_src, F_dst, F_out}
            int fs = widths[0], fd = widths[1], fo = widths[2];
            SplittableRandom r = new SplittableRandom(SEED);
            Tensor xs = randn(ctx, r, 6, fs);
            Tensor xd = randn(ctx, r, 5, fd);
            SageConv sage = new SageConv(ctx, SageConv.Config.bipartite(fs, fd, fo)
                .withAggr(aggr), r);
            var p = sage.namedParameters();
            float[] expected = reference(aggr, e, xs.data(), xd.data(),
                p.get("lin_l.weight").data(), p.get("lin_l.bias").data(),
                p.get("lin_r.weight").data(), fs, fd, fo);
            String what = k.name() + " " + aggr + " " + fs + "->" + fo;
            OpAssert.assertClose(what, expected, sage.forward(xs, xd, g, null).data(), 1e-5,
                1e-5);
            GraphConv gc = new GraphConv(ctx, GraphConv.Config.bipartite(fs, fd, fo)
                .withAggr(aggr), r);
            var q = gc.namedParameters();
            expected = reference(aggr, e, xs.data(), xd.data(), q.get("lin_rel.weight").data(),
                q.get("lin_rel.bias").data(), q.get("lin_root.weight").data(), fs, fd, fo);
            OpAssert.assertClose("GraphConv " + what, expected,
                gc.forward(xs, xd, g, null).data(), 1e-5, 1e-5);
          }
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    EdgeIndex e = RandomGraphs.uniform(7, 20, SEED);
    Graph g = Graph.of(e);
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (SageConv.Config cfg : new SageConv.Config[] {SageConv.Config.of(6, 4),
            SageConv.Config.of(4, 6).withNormalize(true),
            SageConv.Config.of(5, 3).withAggr(Aggr.ADD).withRootWeight(false)}) {
          SplittableRandom r = new SplittableRandom(SEED);
          SageConv l = new SageConv(ctx, cfg, r);
          Tensor x = randn(ctx, r, 7, cfg.inSrc()).requiresGrad(true);
          Tensor[] in = new Tensor[1 + l.parameters().size()];
          in[0] = x;
          for (int i = 0; i < l.parameters().size(); i++) in[i + 1] = l.parameters().get(i);
          GradCheck.defaults().eps(1e-3).check(k.name() + " " + cfg, SEED,
              t -> l.forward(t[0], g), in);
        }
      }
    }
  }

  @Test
  void rejectsWrongFeatureWidth() {
    try (Context ctx = Contexts.scalar(1)) {
      SageConv l = new SageConv(ctx, SageConv.Config.of(16, 8), new SplittableRandom(1));
      Graph g = Graph.of(RandomGraphs.uniform(5, 8, SEED));
      var ex = assertThrows(IllegalArgumentException.class, () -> l.forward(ctx.zeros(5, 12), g));
      assertEquals("SageConv: x has 12 features, expected 16", ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> l.forward(ctx.zeros(4, 16), g));
      assertEquals("SageConv: x has shape [4, 16], expected [5, 16] for a graph of 5 nodes",
          ex.getMessage());
    }
  }

  @Test
  void rejectsWrongSideSizes() {
    try (Context ctx = Contexts.scalar(1)) {
      SageConv l = new SageConv(ctx, SageConv.Config.bipartite(16, 10, 8),
          new SplittableRandom(1));
      Graph g = Graph.bipartite(EdgeIndex.bipartite(new int[] {0, 3}, new int[] {1, 2}, 4, 3));
      var ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(4, 16), ctx.zeros(4, 10), g, null));
      assertEquals("SageConv: xDst has shape [4, 10], expected [3, 10] for 3 targets",
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(4, 10), ctx.zeros(3, 10), g, null));
      assertEquals("SageConv: xSrc has shape [4, 10], expected [4, 16] for 4 sources",
          ex.getMessage());
      GraphConv gc = new GraphConv(ctx, GraphConv.Config.bipartite(16, 10, 8),
          new SplittableRandom(1));
      // one tensor for both sides of a bipartite graph cannot fit both node sets
      ex = assertThrows(IllegalArgumentException.class, () -> gc.forward(ctx.zeros(4, 16), g));
      assertEquals("GraphConv: xDst has shape [4, 16], expected [3, 10] for 3 targets",
          ex.getMessage());
    }
  }

  @Test
  void rejectsBadConfig() {
    var ex = assertThrows(IllegalArgumentException.class, () -> SageConv.Config.of(0, 8));
    assertEquals("SageConv: channel counts must be >= 1 (got in_channels (0, 0), out_channels 8)",
        ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> Aggr.of("min"));
    assertEquals("Aggr: unknown aggregation (got 'min', expected add, sum, mean or max)",
        ex.getMessage());
  }
}
