package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/** Dwivedi-Bresson layer against a plain-loop reference of the paper's equations; gradients. */
class GraphTransformerLayerTest {
  // node 4 has no in-edges; a duplicate edge and a self-loop
  private static final EdgeIndex G = EdgeIndex.of(new int[] {0, 1, 2, 3, 1, 1, 2, 4, 0},
      new int[] {1, 0, 1, 2, 3, 3, 2, 0, 3}, 5);
  private static final Graph GRAPH = Graph.of(G);

  /** The layer's equations in plain loops (layer norm, residuals): {h'', e''}. */
  private static double[][] reference(GraphTransformerLayer l, float[] x, float[] e, int n,
                                      int c, int heads, boolean withEdges) {
    int d = c / heads;
    int m = G.numEdges();
    double[] h = LoopRef.toDouble(x);
    double[] q = LoopRef.linear(h, n, c, LoopRef.p(l, "attention.Q.weight"), null);
    double[] k = LoopRef.linear(h, n, c, LoopRef.p(l, "attention.K.weight"), null);
    double[] v = LoopRef.linear(h, n, c, LoopRef.p(l, "attention.V.weight"), null);
    double[] pe = withEdges ? LoopRef.linear(LoopRef.toDouble(e), m, c,
        LoopRef.p(l, "attention.proj_e.weight"), null) : null;
    double[] wHat = new double[m * c];
    double[] agg = new double[n * c];
    for (int hd = 0; hd < heads; hd++) {
      for (int i = 0; i < n; i++) {
        int cnt = 0;
        for (int idx = 0; idx < m; idx++) if (G.dst()[idx] == i) cnt++;
        if (cnt == 0) continue;
        double[] s = new double[cnt];
        int[] ids = new int[cnt];
        cnt = 0;
        for (int idx = 0; idx < m; idx++) {
          if (G.dst()[idx] != i) continue;
          int j = G.src()[idx];
          double sum = 0;
          for (int ch = hd * d; ch < hd * d + d; ch++) {
            double w = q[i * c + ch] * k[j * c + ch] / Math.sqrt(d);
            if (withEdges) w *= pe[idx * c + ch];
            wHat[idx * c + ch] = w;
            sum += w;
          }
          ids[cnt] = idx;
          s[cnt++] = sum;
        }
        LoopRef.softmax(s);
        for (int t = 0; t < cnt; t++) {
          int j = G.src()[ids[t]];
          for (int ch = hd * d; ch < hd * d + d; ch++) agg[i * c + ch] += s[t] * v[j * c + ch];
        }
      }
    }
    double[] hOut = stream(l, "h", h, agg, n, c);
    double[] eOut = withEdges ? stream(l, "e", LoopRef.toDouble(e), wHat, m, c) : null;
    return new double[][] {hOut, eOut};
  }

  private static double[] stream(GraphTransformerLayer l, String s, double[] in, double[] att,
                                 int rows, int c) {
    double[] y = LoopRef.add(in, LoopRef.linear(att, rows, c, LoopRef.p(l, "O_" + s + ".weight"),
        LoopRef.p(l, "O_" + s + ".bias")));
    y = LoopRef.layerNorm(y, rows, c, LoopRef.p(l, "norm1_" + s + ".weight"),
        LoopRef.p(l, "norm1_" + s + ".bias"));
    double[] f = LoopRef.relu(LoopRef.linear(y, rows, c, LoopRef.p(l, "FFN_" + s + "_layer1.weight"),
        LoopRef.p(l, "FFN_" + s + "_layer1.bias")));
    f = LoopRef.linear(f, rows, 2 * c, LoopRef.p(l, "FFN_" + s + "_layer2.weight"),
        LoopRef.p(l, "FFN_" + s + "_layer2.bias"));
    return LoopRef.layerNorm(LoopRef.add(y, f), rows, c, LoopRef.p(l, "norm2_" + s + ".weight"),
        LoopRef.p(l, "norm2_" + s + ".bias"));
  }

  @Test
  void equalsPlainLoopReferenceWithAndWithoutEdgeFeatures() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(11);
      int n = 5;
      int c = 6;
      for (boolean withEdges : new boolean[] {true, false}) {
        var l = new GraphTransformerLayer(ctx,
            GraphTransformerLayer.Config.of(c, 2).withEdgeFeatures(withEdges), r);
        LoopRef.randomize(l, r, 0.5f);
        Tensor x = ctx.randn(r, n, c);
        Tensor e = ctx.randn(r, G.numEdges(), c);
        double[][] want = reference(l, x.data(), e.data(), n, c, 2, withEdges);
        if (withEdges) {
          var out = l.forwardWithEdges(x, GRAPH, e);
          OpAssert.assertClose("h", LoopRef.toFloat(want[0]), out.h().data(), 2e-5, 2e-4);
          OpAssert.assertClose("e", LoopRef.toFloat(want[1]), out.e().data(), 2e-5, 2e-4);
          assertArrayEquals(new int[] {G.numEdges(), c}, out.e().shape().toArray());
        } else {
          OpAssert.assertClose("h no edges", LoopRef.toFloat(want[0]), l.forward(x, GRAPH).data(), 2e-5,
              2e-4);
          assertNull(l.forwardWithEdges(x, GRAPH, null).e());
          assertTrue(!l.namedParameters().containsKey("attention.proj_e.weight"));
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(12);
      Graph g = Graph.of(RandomGraphs.uniform(5, 11, 12));
      for (Norm.Kind norm : Norm.Kind.values()) {
        var l = new GraphTransformerLayer(ctx,
            GraphTransformerLayer.Config.of(4, 2).withNorm(norm), r);
        Tensor x = ctx.randn(r, 5, 4).requiresGrad(true);
        Tensor e = ctx.randn(r, 11, 4).requiresGrad(true);
        GradCheck.defaults().eps(1e-3).tolerance(4e-3, 4e-2).maxElements(24).check("gt h+e " + norm, 12,
            in -> {
              var o = l.forwardWithEdges(in[0], g, in[1]);
              return org.gnn4j.ops.Concat.concat(0, o.h(), o.e());
            }, LoopRef.leaves(l, x, e));
      }
      var plain = new GraphTransformerLayer(ctx,
          GraphTransformerLayer.Config.of(4, 2).withEdgeFeatures(false).withResidual(false), r);
      Tensor x = ctx.randn(r, 5, 4).requiresGrad(true);
      GradCheck.defaults().eps(1e-3).tolerance(4e-3, 4e-2).maxElements(24).check("gt no edges", 13,
          in -> plain.forward(in[0], g), LoopRef.leaves(plain, x));
    }
  }

  @Test
  void badInputNamesExpectedAndFound() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(13);
      var l = new GraphTransformerLayer(ctx, GraphTransformerLayer.Config.of(6, 2), r);
      Tensor x = ctx.randn(r, 5, 6);
      var ex = assertThrows(IllegalArgumentException.class, () -> l.forward(x, GRAPH));
      assertTrue(ex.getMessage().contains("edge features are required"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> l.forwardWithEdges(x, GRAPH, null));
      assertTrue(ex.getMessage().contains("[9, 6]"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> l.forwardWithEdges(x, GRAPH, ctx.zeros(9, 4)));
      assertTrue(ex.getMessage().contains("[9, 4]") && ex.getMessage().contains("[9, 6]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> l.forwardWithEdges(ctx.zeros(5, 7), GRAPH, ctx.zeros(9, 6)));
      assertTrue(ex.getMessage().contains("[5, 7]") && ex.getMessage().contains("[5, 6]"),
          ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> new GraphTransformerLayer.Config(6, 4, true, Norm.Kind.LAYER, true));
      assertTrue(ex.getMessage().contains("heads = 4"), ex.getMessage());
    }
  }
}
