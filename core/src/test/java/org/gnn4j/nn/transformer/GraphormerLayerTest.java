package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/** Graphormer layer and encodings against plain loops over the paper's equations; gradients. */
class GraphormerLayerTest {
  // two graphs: a 4-node undirected path with a pendant (0-1-2-3, 1-4) and a directed 3-cycle
  private static final int[] SRC = {0, 1, 1, 2, 2, 3, 1, 4, 5, 6, 7};
  private static final int[] DST = {1, 0, 2, 1, 3, 2, 4, 1, 6, 7, 5};
  private static final int[] BATCH = BatchVector.fromCounts(5, 3);
  private static final EdgeIndex G = EdgeIndex.of(SRC, DST, 8);

  /** erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): enough for a float comparison. */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
        + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }

  private static double[] reference(GraphormerLayer l, ShortestPaths sp, float[] x, float[] ea,
                                    int n, int c, int heads, int edgeDim, int ffn) {
    int d = c / heads;
    int maxDist = sp.maxDist();
    double[] x0 = LoopRef.toDouble(x);
    double[] h = LoopRef.layerNorm(x0, n, c, LoopRef.p(l, "self_attn_layer_norm.weight"),
        LoopRef.p(l, "self_attn_layer_norm.bias"));
    double[] q = LoopRef.linear(h, n, c, LoopRef.p(l, "self_attn.q_proj.weight"),
        LoopRef.p(l, "self_attn.q_proj.bias"));
    double[] k = LoopRef.linear(h, n, c, LoopRef.p(l, "self_attn.k_proj.weight"),
        LoopRef.p(l, "self_attn.k_proj.bias"));
    double[] v = LoopRef.linear(h, n, c, LoopRef.p(l, "self_attn.v_proj.weight"),
        LoopRef.p(l, "self_attn.v_proj.bias"));
    float[] spd = LoopRef.p(l, "spatial_pos_encoder.weight").data();
    float[] we = edgeDim > 0 ? LoopRef.p(l, "edge_encoder.weight").data() : null;
    double[] att = new double[n * c];
    for (int i = 0; i < n; i++) {
      for (int hd = 0; hd < heads; hd++) {
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
          if (BATCH[j] != BATCH[i]) {
            s[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double dot = 0;
          for (int ch = hd * d; ch < hd * d + d; ch++) dot += q[i * c + ch] * k[j * c + ch];
          s[j] = dot / Math.sqrt(d) + spd[sp.distance(j, i) * heads + hd];
          int p = sp.pairIndex(j, i);
          int len = sp.pathLength(p);
          for (int hop = 0; hop < len && we != null; hop++) {
            int e = sp.pathEdge(p, hop);
            double dotE = 0;
            for (int f = 0; f < edgeDim; f++) {
              dotE += ea[e * edgeDim + f] * we[(hop * heads + hd) * edgeDim + f];
            }
            s[j] += dotE / len;
          }
        }
        LoopRef.softmax(s);
        for (int j = 0; j < n; j++) {
          for (int ch = hd * d; ch < hd * d + d; ch++) att[i * c + ch] += s[j] * v[j * c + ch];
        }
      }
    }
    double[] x1 = LoopRef.add(x0, LoopRef.linear(att, n, c,
        LoopRef.p(l, "self_attn.out_proj.weight"), LoopRef.p(l, "self_attn.out_proj.bias")));
    double[] ln2 = LoopRef.layerNorm(x1, n, c, LoopRef.p(l, "final_layer_norm.weight"),
        LoopRef.p(l, "final_layer_norm.bias"));
    double[] f = LoopRef.linear(ln2, n, c, LoopRef.p(l, "fc1.weight"), LoopRef.p(l, "fc1.bias"));
    for (int i = 0; i < f.length; i++) f[i] = f[i] * 0.5 * (1 + erf(f[i] / Math.sqrt(2)));
    return LoopRef.add(x1, LoopRef.linear(f, n, ffn, LoopRef.p(l, "fc2.weight"),
        LoopRef.p(l, "fc2.bias")));
  }

  @Test
  void equalsPlainLoopReferenceWithAndWithoutEdgeEncoding() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(21);
      ShortestPaths sp = ShortestPaths.compute(G, BATCH, 2);   // distance 3 in graph 0 is capped
      for (int edgeDim : new int[] {3, 0}) {
        var l = new GraphormerLayer(ctx, new GraphormerLayer.Config(6, 2, 10, 2, edgeDim), r);
        LoopRef.randomize(l, r, 0.5f);
        Tensor x = ctx.randn(r, 8, 6);
        Tensor ea = edgeDim > 0 ? ctx.randn(r, SRC.length, edgeDim) : null;
        double[] want = reference(l, sp, x.data(), ea == null ? null : ea.data(), 8, 6, 2,
            edgeDim, 10);
        OpAssert.assertClose("graphormer edgeDim " + edgeDim, LoopRef.toFloat(want),
            l.forward(x, sp, ea).data(), 2e-5, 2e-4);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(22);
      ShortestPaths sp = ShortestPaths.compute(G, BATCH, 3);
      var l = new GraphormerLayer(ctx, new GraphormerLayer.Config(4, 2, 6, 3, 2), r);
      LoopRef.randomize(l, r, 0.5f);
      Tensor x = ctx.randn(r, 8, 4).requiresGrad(true);
      Tensor ea = ctx.randn(r, SRC.length, 2).requiresGrad(true);
      GradCheck.defaults().eps(1e-3).tolerance(4e-3, 4e-2).maxElements(24).check("graphormer", 22,
          in -> l.forward(in[0], sp, in[1]), LoopRef.leaves(l, x, ea));
      var ce = new CentralityEncoding(ctx, 2, 4, r);
      GradCheck.defaults().check("centrality", 23, in -> ce.forward(in[0], Graph.of(G)),
          LoopRef.leaves(ce, x));
    }
  }

  @Test
  void centralityEncodingAddsClippedDegreeEmbeddings() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(23);
      var ce = new CentralityEncoding(ctx, 2, 3, r);
      Tensor x = ctx.randn(r, 8, 3);
      float[] zIn = LoopRef.p(ce, "z_in").data();
      float[] zOut = LoopRef.p(ce, "z_out").data();
      int[] in = new int[8];
      int[] out = new int[8];
      for (int e = 0; e < SRC.length; e++) {
        out[SRC[e]]++;
        in[DST[e]]++;
      }
      float[] want = new float[24];
      for (int i = 0; i < 8; i++) {
        for (int f = 0; f < 3; f++) {
          want[i * 3 + f] = x.data()[i * 3 + f] + zIn[Math.min(2, in[i]) * 3 + f]
              + zOut[Math.min(2, out[i]) * 3 + f];
        }
      }
      assertTrue(in[1] == 3, "node 1 has degree 3, above maxDegree 2");
      OpAssert.assertClose("centrality", want, ce.forward(x, Graph.of(G)).data(), 1e-6, 1e-6);
    }
  }

  @Test
  void aBiasSharedAcrossLayersGetsGradientFromEach() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(26);
      ShortestPaths sp = ShortestPaths.compute(G, BATCH, 2);
      var bias = new GraphormerBias(ctx, 2, 2, 3, r);
      LoopRef.randomize(bias, r, 0.5f);
      var l1 = new GraphormerLayer(ctx, GraphormerLayer.Config.sharedBias(4, 2, 6), r);
      var l2 = new GraphormerLayer(ctx, GraphormerLayer.Config.sharedBias(4, 2, 6), r);
      assertTrue(!l1.namedParameters().containsKey("spatial_pos_encoder.weight"),
          "a shared-bias layer owns no bias");
      Tensor x = ctx.randn(r, 8, 4).requiresGrad(true);
      Tensor ea = ctx.randn(r, SRC.length, 3);
      Tensor[] leaves = LoopRef.leaves(bias, x);
      GradCheck.defaults().eps(1e-3).tolerance(4e-3, 4e-2).maxElements(24).check("shared bias",
          26, in -> {
            Tensor b = bias.forward(sp, ea);
            return l2.forward(l1.forward(in[0], sp.pairs(), b), sp.pairs(), b);
          }, leaves);
      // a layer that owns its bias gives the same numbers as that bias passed in
      var own = new GraphormerLayer(ctx, new GraphormerLayer.Config(4, 2, 6, 2, 3), r);
      var sameBias = new GraphormerBias(ctx, 2, 2, 3, r);
      for (var e : sameBias.namedParameters().entrySet()) {
        System.arraycopy(LoopRef.p(own, e.getKey()).data(), 0,
            e.getValue().data(), 0, e.getValue().numel());
      }
      OpAssert.assertClose("own = passed in", own.forward(x, sp, ea).data(),
          own.forward(x, sp.pairs(), sameBias.forward(sp, ea)).data(), 0, 0);
      var e = assertThrows(IllegalArgumentException.class, () -> l1.forward(x, sp, ea));
      assertTrue(e.getMessage().contains("no own bias"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> l1.forward(x, sp.pairs(), ctx.zeros(5, 2)));
      assertTrue(e.getMessage().contains("[5, 2]") && e.getMessage().contains("[34, 2]"),
          e.getMessage());
    }
  }

  @Test
  void graphsWithoutEdgesAttendByDistanceBiasAlone() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(25);
      EdgeIndex none = EdgeIndex.of(new int[0], new int[0], 4);
      int[] batch = BatchVector.fromCounts(3, 1);
      ShortestPaths sp = ShortestPaths.compute(none, batch, 2);
      for (int p = 0; p < sp.numPairs(); p++) {
        int want = sp.pairs().src()[p] == sp.pairs().dst()[p] ? 0 : sp.unreachable();
        assertTrue(sp.distances()[p] == want, "pair " + p);
      }
      var l = new GraphormerLayer(ctx, new GraphormerLayer.Config(4, 2, 6, 2, 2), r);
      Tensor x = ctx.randn(r, 4, 4).requiresGrad(true);
      Tensor out = l.forward(x, sp, ctx.zeros(0, 2));
      assertTrue(out.dim(0) == 4 && out.dim(1) == 4, out.shape().toString());
      for (float f : out.data()) assertTrue(Float.isFinite(f), "finite output");
      out.sum().backward();
      for (float g : x.gradArray()) assertTrue(Float.isFinite(g), "finite gradient");
    }
  }

  @Test
  void badInputNamesExpectedAndFound() {
    try (Context ctx = Context.create()) {
      SplittableRandom r = new SplittableRandom(24);
      ShortestPaths sp = ShortestPaths.compute(G, BATCH, 2);
      var l = new GraphormerLayer(ctx, new GraphormerLayer.Config(4, 2, 6, 2, 3), r);
      Tensor x = ctx.randn(r, 8, 4);
      var e = assertThrows(IllegalArgumentException.class, () -> l.forward(x, sp, null));
      assertTrue(e.getMessage().contains("edge features are required")
          && e.getMessage().contains("[11, 3]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> l.forward(x, sp, ctx.zeros(11, 5)));
      assertTrue(e.getMessage().contains("[11, 5]") && e.getMessage().contains("[11, 3]"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(8, 5), sp, ctx.zeros(11, 3)));
      assertTrue(e.getMessage().contains("[8, 5]") && e.getMessage().contains("[8, 4]"),
          e.getMessage());
      ShortestPaths sp3 = ShortestPaths.compute(G, BATCH, 3);
      e = assertThrows(IllegalArgumentException.class,
          () -> l.forward(x, sp3, ctx.zeros(11, 3)));
      assertTrue(e.getMessage().contains("maxDist = 3") && e.getMessage().contains("2"),
          e.getMessage());
      var noEdges = new GraphormerLayer(ctx, new GraphormerLayer.Config(4, 2, 6, 2, 0), r);
      e = assertThrows(IllegalArgumentException.class,
          () -> noEdges.forward(x, sp, ctx.zeros(11, 3)));
      assertTrue(e.getMessage().contains("edgeDim = 0"), e.getMessage());
      var ce = new CentralityEncoding(ctx, 2, 4, r);
      e = assertThrows(IllegalArgumentException.class, () -> ce.forward(ctx.zeros(7, 4), Graph.of(G)));
      assertTrue(e.getMessage().contains("[7, 4]") && e.getMessage().contains("[8, 4]"),
          e.getMessage());
    }
  }
}
