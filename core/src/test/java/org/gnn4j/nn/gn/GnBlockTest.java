package org.gnn4j.nn.gn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.pool.Aggregation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/** The GN block against Algorithm 1 written with plain loops; gradients; composition; errors. */
class GnBlockTest {
  // graph 0: nodes 0, 1, 2; graph 1: nodes 3, 4, 5; graph 2: node 6, no edges; graph 3: no
  // nodes at all (a Graph's batch vector is sorted: the former unsorted batch {1, 0, 1, 0, 0, 1,
  // 2} relabelled to the same structure)
  private static final int[] BATCH = {0, 0, 0, 1, 1, 1, 2};
  private static final int GRAPHS = 4;
  private static final EdgeIndex G = EdgeIndex.of(new int[] {3, 4, 5, 0, 1, 2, 2, 3},
      new int[] {4, 5, 3, 1, 2, 0, 0, 3}, 7);
  private static final Graph GRAPH = Graph.batched(G, 3, 3, 1, 0);

  private static double[] mlp(GnBlock b, String phi, double[] in, int rows, int width) {
    double[] h = LoopRef.linear(in, rows, width, LoopRef.p(b, phi + ".0.weight"),
        LoopRef.p(b, phi + ".0.bias"));
    int hidden = LoopRef.p(b, phi + ".0.weight").dim(0);
    return LoopRef.linear(LoopRef.relu(h), rows, hidden, LoopRef.p(b, phi + ".2.weight"),
        LoopRef.p(b, phi + ".2.bias"));
  }

  /** rho over the rows r with key[r] == target, each of width f; zeros when there are none. */
  private static double[] rho(Aggregation how, double[] x, int f, int[] key, int targets) {
    double[] out = new double[targets * f];
    for (int t = 0; t < targets; t++) {
      int count = 0;
      for (int r = 0; r < key.length; r++) {
        if (key[r] != t) continue;
        for (int c = 0; c < f; c++) {
          double v = x[r * f + c];
          out[t * f + c] = how != Aggregation.MAX ? out[t * f + c] + v
              : count == 0 ? v : Math.max(out[t * f + c], v);
        }
        count++;
      }
      if (how == Aggregation.MEAN && count > 0) {
        for (int c = 0; c < f; c++) out[t * f + c] /= count;
      }
    }
    return out;
  }

  private static double[] concatRows(int rows, double[][] parts, int[] widths) {
    int total = 0;
    for (int w : widths) total += w;
    double[] out = new double[rows * total];
    for (int r = 0; r < rows; r++) {
      int at = 0;
      for (int p = 0; p < parts.length; p++) {
        System.arraycopy(parts[p], r * widths[p], out, r * total + at, widths[p]);
        at += widths[p];
      }
    }
    return out;
  }

  private static double[] rowsOf(double[] x, int f, int[] index) {
    double[] out = new double[index.length * f];
    for (int r = 0; r < index.length; r++) System.arraycopy(x, index[r] * f, out, r * f, f);
    return out;
  }

  @Test
  void equalsAlgorithmOneWithPlainLoopsForEveryAggregation() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(31);
      int fv = 3;
      int fe = 2;
      int fu = 2;
      Tensor v = ctx.randn(r, 7, fv);
      Tensor e = ctx.randn(r, G.numEdges(), fe);
      Tensor u = ctx.randn(r, GRAPHS, fu);
      GraphsTuple g = new GraphsTuple(v, e, u, GRAPH);
      for (Aggregation how : Aggregation.values()) {
        var cfg = new GnBlock.Config(fv, fe, fu, 4, 3, 2, how, how, how);
        GnBlock b = new GnBlock(ctx, cfg, 5, r);
        GraphsTuple out = b.forward(g);
        int m = G.numEdges();
        int[] edgeGraph = new int[m];
        for (int k = 0; k < m; k++) edgeGraph[k] = BATCH[G.src()[k]];
        double[] vd = LoopRef.toDouble(v.data());
        double[] ud = LoopRef.toDouble(u.data());
        double[] e1 = mlp(b, "phi_e", concatRows(m, new double[][] {LoopRef.toDouble(e.data()),
            rowsOf(vd, fv, G.dst()), rowsOf(vd, fv, G.src()), rowsOf(ud, fu, edgeGraph)},
            new int[] {fe, fv, fv, fu}), m, fe + 2 * fv + fu);
        double[] v1 = mlp(b, "phi_v", concatRows(7, new double[][] {rho(how, e1, 3, G.dst(), 7),
            vd, rowsOf(ud, fu, BATCH)}, new int[] {3, fv, fu}), 7, 3 + fv + fu);
        double[] u1 = mlp(b, "phi_u", concatRows(GRAPHS, new double[][] {
            rho(how, e1, 3, edgeGraph, GRAPHS), rho(how, v1, 4, BATCH, GRAPHS), ud},
            new int[] {3, 4, fu}), GRAPHS, 3 + 4 + fu);
        OpAssert.assertClose(how + " edges", LoopRef.toFloat(e1), out.edges().data(), 1e-5, 1e-4);
        OpAssert.assertClose(how + " nodes", LoopRef.toFloat(v1), out.nodes().data(), 1e-5, 1e-4);
        OpAssert.assertClose(how + " globals", LoopRef.toFloat(u1), out.globals().data(), 1e-5,
            1e-4);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(32);
      Tensor v = ctx.randn(r, 7, 2).requiresGrad(true);
      Tensor e = ctx.randn(r, G.numEdges(), 2).requiresGrad(true);
      Tensor u = ctx.randn(r, GRAPHS, 1).requiresGrad(true);
      for (Aggregation how : new Aggregation[] {Aggregation.SUM, Aggregation.MEAN}) {
        var cfg = GnBlock.Config.of(2, 2, 1).withAggregations(how, how, Aggregation.MAX);
        GnBlock b = new GnBlock(ctx, cfg, 4, r);
        // a small step: with 1e-3 a hidden ReLU unit of phi_e crosses its kink for seed 32
        GradCheck.defaults().eps(2e-4).tolerance(4e-3, 4e-2).maxElements(24).check("gn " + how,
            32, in -> {
              GraphsTuple o = b.forward(new GraphsTuple(in[0], in[1], in[2], GRAPH));
              return org.gnn4j.ops.Concat.concat(0, o.nodes().view(-1), o.edges().view(-1),
                  o.globals().view(-1));
            }, LoopRef.leaves(b, v, e, u));
      }
    }
  }

  @Test
  void blocksComposeAndAcceptCustomUpdateFunctions() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(33);
      GraphsTuple g = new GraphsTuple(ctx.randn(r, 7, 3), ctx.randn(r, 8, 2),
          ctx.randn(r, GRAPHS, 1), GRAPH);
      var encode = new GnBlock(ctx, new GnBlock.Config(3, 2, 1, 6, 5, 4, Aggregation.MEAN,
          Aggregation.SUM, Aggregation.MAX), 8, r);
      var core = new GnBlock(new GnBlock.Config(6, 5, 4, 6, 5, 4, Aggregation.SUM,
          Aggregation.SUM, Aggregation.SUM),
          UpdateFunction.of(new Mlp(ctx, r, 5 + 12 + 4, 5)),
          UpdateFunction.of(new Mlp(ctx, r, 5 + 6 + 4, 7, 6)),
          UpdateFunction.of(new Mlp(ctx, r, 5 + 6 + 4, 4)));
      GraphsTuple out = core.forward(core.forward(encode.forward(g)));
      assertArrayEquals(new int[] {7, 6}, out.nodes().shape().toArray());
      assertArrayEquals(new int[] {8, 5}, out.edges().shape().toArray());
      assertArrayEquals(new int[] {GRAPHS, 4}, out.globals().shape().toArray());
      assertTrue(out.graph() == GRAPH, "structure is kept");
      assertTrue(core.namedParameters().containsKey("phi_v.2.weight"));
    }
  }

  @Test
  void worksOnABatchWithoutEdges() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(35);
      EdgeIndex none = EdgeIndex.of(new int[0], new int[0], 3);
      GraphsTuple g = new GraphsTuple(ctx.randn(r, 3, 2), ctx.zeros(0, 2), ctx.randn(r, 2, 1),
          Graph.fromBatchVector(none, new int[] {0, 1, 1}));
      GraphsTuple out = new GnBlock(ctx, GnBlock.Config.of(2, 2, 1), 4, r).forward(g);
      assertArrayEquals(new int[] {0, 2}, out.edges().shape().toArray());
      assertArrayEquals(new int[] {3, 2}, out.nodes().shape().toArray());
      assertArrayEquals(new int[] {2, 1}, out.globals().shape().toArray());
    }
  }

  @Test
  void badInputNamesExpectedAndFound() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(34);
      // the batch checks moved to Graph
      var ex = assertThrows(IllegalArgumentException.class, () -> new GraphsTuple(
          ctx.zeros(7, 3), ctx.zeros(8, 2), ctx.zeros(GRAPHS, 1),
          Graph.fromBatchVector(G, new int[] {0, 1})));
      assertTrue(ex.getMessage().contains("got 2") && ex.getMessage().contains("7"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> new GraphsTuple(
          ctx.zeros(7, 3), ctx.zeros(6, 2), ctx.zeros(GRAPHS, 1), GRAPH));
      assertTrue(ex.getMessage().contains("[6, 2]") && ex.getMessage().contains("[8, F]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> new GraphsTuple(
          ctx.zeros(7, 3), ctx.zeros(8, 2), ctx.zeros(GRAPHS, 1), Graph.batched(G, 2, 4, 1, 0)));
      assertTrue(ex.getMessage().contains("joins graph"), ex.getMessage());
      GnBlock b = new GnBlock(ctx, GnBlock.Config.of(3, 2, 1), 4, r);
      GraphsTuple wide = new GraphsTuple(ctx.zeros(7, 4), ctx.zeros(8, 2), ctx.zeros(GRAPHS, 1),
          GRAPH);
      ex = assertThrows(IllegalArgumentException.class, () -> b.forward(wide));
      assertTrue(ex.getMessage().contains("nodes have 4") && ex.getMessage().contains("expected 3"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> new GnBlock(GnBlock.Config.of(3, 2,
          1), UpdateFunction.of(new Mlp(ctx, r, 8, 2)), UpdateFunction.of(new Mlp(ctx, r, 6, 3)),
          UpdateFunction.of(new Mlp(ctx, r, 6, 1))));
      assertTrue(ex.getMessage().contains("phi_e maps 8 -> 2")
          && ex.getMessage().contains("expected 9"), ex.getMessage());
    }
  }
}
