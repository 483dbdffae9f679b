package org.gnn4j.nn;

import static org.gnn4j.testing.LoopRef.linear;
import static org.gnn4j.testing.LoopRef.p;
import static org.gnn4j.testing.LoopRef.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.graph.AttentionPatterns;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.nn.transformer.GraphTransformerLayer;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.MultiHeadAttention;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.AttentionRef;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * Recorded attention of every attention layer: the weights equal a plain-loop computation of
 * the layer's equation from its parameters, sum to 1 over each target's in-edges, run over the
 * pattern the layer attends on, and recording leaves the (fused) output bit for bit unchanged.
 */
class AttentionRecordingTest {
  private static final double TOL = 2e-5;
  private static final long SEED = 16;

  private static Context ctx() {
    return Context.builder().threads(2).seed(SEED).build();
  }

  @Test
  void gatWeightsAreTheSoftmaxOfItsScoresAndReproduceItsOutput() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED);
      int n = 30;
      int f = 6;
      int heads = 3;
      int c = 4;
      Graph g = Graph.of(RandomGraphs.uniform(n, 90, SEED));
      GatConv layer = new GatConv(ctx, GatConv.Config.of(f, c, heads), r);
      LoopRef.randomize(layer, r, 0.7f);
      layer.train(false);
      Tensor x = ctx.randn(r, n, f);
      AttentionWeights w = AttentionRecords.recordOnce("GATConv", layer, () -> layer.forward(x, g));
      EdgeIndex e = g.selfLooped();
      double[] expected = gatReference(e, toDouble(x.data()), f, heads, c, p(layer, "lin.weight"),
          p(layer, "lin.weight"), p(layer, "att_src"), p(layer, "att_dst"));
      AttentionRef.assertWeights("GATConv", w, e, expected, heads, TOL);
      // the recorded weights are the ones applied: aggregating with them gives the output
      Tensor hs = x.matmul(p(layer, "lin.weight"), false, true).view(n, heads, c);
      Tensor out = Spmm.aggregate(e, w.weights(), hs).view(n, heads * c).add(p(layer, "bias"));
      org.gnn4j.testing.OpAssert.assertClose("GATConv output from recorded weights",
          layer.forward(x, g).data(), out.data(), 1e-5, 1e-4);
    }
  }

  @Test
  void gatV2WeightsAreTheSoftmaxOfItsScores() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 1);
      int n = 25;
      int f = 5;
      int heads = 2;
      int c = 3;
      Graph g = Graph.of(RandomGraphs.uniform(n, 70, SEED + 1));
      GatV2Conv layer = new GatV2Conv(ctx, GatConv.Config.of(f, c, heads), r);
      LoopRef.randomize(layer, r, 0.7f);
      layer.train(false);
      Tensor x = ctx.randn(r, n, f);
      AttentionWeights w = AttentionRecords.recordOnce("GATv2Conv", layer, () -> layer.forward(x, g));
      EdgeIndex e = g.selfLooped();
      double[] xd = toDouble(x.data());
      double[] xl = linear(xd, n, f, p(layer, "lin_l.weight"), p(layer, "lin_l.bias"));
      double[] xr = linear(xd, n, f, p(layer, "lin_r.weight"), p(layer, "lin_r.bias"));
      float[] att = p(layer, "att").data();
      double[] s = new double[e.numEdges() * heads];
      for (int i = 0; i < e.numEdges(); i++) {
        for (int h = 0; h < heads; h++) {
          for (int t = 0; t < c; t++) {
            int o = h * c + t;
            s[i * heads + h] += att[o] * AttentionRef.leaky(
                xl[e.src()[i] * heads * c + o] + xr[e.dst()[i] * heads * c + o], 0.2);
          }
        }
      }
      AttentionRef.assertWeights("GATv2Conv", w, e, AttentionRef.softmaxByTarget(e, s, heads),
          heads, TOL);
    }
  }

  @Test
  void transformerConvWeightsIncludeTheEdgeFeatures() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 2);
      int n = 20;
      int f = 5;
      int heads = 2;
      int c = 4;
      int d = 3;
      EdgeIndex e = RandomGraphs.uniform(n, 60, SEED + 2);
      Graph g = Graph.of(e);
      TransformerConv layer = new TransformerConv(ctx,
          TransformerConv.Config.of(f, c, heads).withEdgeDim(d), r);
      Tensor x = ctx.randn(r, n, f);
      Tensor ea = ctx.randn(r, e.numEdges(), d);
      AttentionWeights w = AttentionRecords.recordOnce("TransformerConv", layer, () -> layer.forward(x, g, ea));
      double[] xd = toDouble(x.data());
      double[] q = linear(xd, n, f, p(layer, "lin_query.weight"), p(layer, "lin_query.bias"));
      double[] k = linear(xd, n, f, p(layer, "lin_key.weight"), p(layer, "lin_key.bias"));
      double[] ekv = linear(toDouble(ea.data()), e.numEdges(), d, p(layer, "lin_edge.weight"),
          null);
      double[] s = AttentionRef.dotScores(e, q, k, ekv, null, heads, c, 1 / Math.sqrt(c));
      AttentionRef.assertWeights("TransformerConv", w, e,
          AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);
    }
  }

  /** Two node types: sources (3 features) attend into targets (4 features) of another set. */
  @Test
  void bipartiteTwoNodeTypeToyCase() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 3);
      int nSrc = 5;
      int nDst = 4;
      int heads = 2;
      int c = 3;
      // target 3 has no in-edges: it gets no weights, and nothing to sum to 1
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0, 1, 2, 3, 4, 0, 4, 2},
          new int[] {0, 0, 0, 1, 1, 2, 2, 1}, nSrc, nDst);
      Graph g = Graph.bipartite(e);
      Tensor xs = ctx.randn(r, nSrc, 3);
      Tensor xd = ctx.randn(r, nDst, 4);
      GatConv gat = new GatConv(ctx, GatConv.Config.bipartite(3, 4, c, heads), r);
      LoopRef.randomize(gat, r, 0.8f);
      gat.train(false);
      AttentionWeights wg = AttentionRecords.recordOnce("bipartite GATConv", gat, () -> gat.forward(xs, xd, g, null));
      double[] expected = gatReferenceBipartite(e, toDouble(xs.data()), 3, toDouble(xd.data()),
          4, heads, c, p(gat, "lin_src.weight"), p(gat, "lin_dst.weight"), p(gat, "att_src"),
          p(gat, "att_dst"));
      AttentionRef.assertWeights("bipartite GATConv", wg, e, expected, heads, TOL);

      TransformerConv tc = new TransformerConv(ctx, TransformerConv.Config.bipartite(3, 4, c, heads), r);
      AttentionWeights wt = AttentionRecords.recordOnce("bipartite TransformerConv", tc,
          () -> tc.forward(xs, xd, g, null));
      double[] q = linear(toDouble(xd.data()), nDst, 4, p(tc, "lin_query.weight"),
          p(tc, "lin_query.bias"));
      double[] k = linear(toDouble(xs.data()), nSrc, 3, p(tc, "lin_key.weight"),
          p(tc, "lin_key.bias"));
      double[] s = AttentionRef.dotScores(e, q, k, null, null, heads, c, 1 / Math.sqrt(c));
      AttentionRef.assertWeights("bipartite TransformerConv", wt, e,
          AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);
    }
  }

  @Test
  void multiHeadAttentionOverASparsePattern() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 4);
      int n = 24;
      int dim = 8;
      int heads = 2;
      EdgeIndex pattern = AttentionPatterns.longformer(n, 3, 1, false, new int[] {0});
      MultiHeadAttention mha = new MultiHeadAttention(ctx, dim, heads, r);
      LoopRef.randomize(mha, r, 0.5f);
      Tensor x = ctx.randn(r, n, dim);
      Graph g = Graph.of(pattern);
      AttentionWeights w = AttentionRecords.recordOnce("MultiHeadAttention", mha, () -> mha.forward(x, g, null));
      double[][] qk = AttentionRecords.queriesAndKeys(mha, x, n);
      double[] s = AttentionRef.dotScores(pattern, qk[0], qk[1], null, null, heads, dim / heads,
          1 / Math.sqrt(dim / heads));
      AttentionRef.assertWeights("MultiHeadAttention", w, pattern,
          AttentionRef.softmaxByTarget(pattern, s, heads), heads, TOL);
    }
  }

  @Test
  void gpsGlobalAttentionIsRecordedOverAllPairsOfEachGraph() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 5);
      int dim = 8;
      int heads = 2;
      int[] counts = {5, 7};
      int n = 12;
      EdgeIndex local = EdgeIndex.of(new int[] {0, 1, 2, 5, 6, 8}, new int[] {1, 2, 3, 6, 7, 9}, n);
      Graph g = Graph.batched(local, counts);
      GpsLayer gps = new GpsLayer(ctx, dim, new GinConv(ctx, new Mlp(ctx, r, dim, dim, dim), 0f,
          false), heads, r);
      gps.train(false);
      Tensor x = ctx.randn(r, n, dim);
      AttentionWeights w = AttentionRecords.recordOnce("GPS", gps, () -> gps.forward(x, g, null));
      EdgeIndex pairs = EdgeSets.withinGraphs(BatchVector.fromCounts(counts));
      assertEquals(25 + 49, w.edges().numEdges());
      MultiHeadAttention mha = (MultiHeadAttention) gps.attention();
      double[][] qk = AttentionRecords.queriesAndKeys(mha, x, n);
      double[] s = AttentionRef.dotScores(pairs, qk[0], qk[1], null, null, heads, dim / heads,
          1 / Math.sqrt(dim / heads));
      AttentionRef.assertWeights("GPS global", w, pairs,
          AttentionRef.softmaxByTarget(pairs, s, heads), heads, TOL);

      gps.recordAttention(new AttentionRecorder(0, 100));
      IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
          () -> gps.forward(x, g, null));
      assertTrue(tooMany.getMessage().contains("74 edges x 2 heads = 148 weights, more than the"
          + " 100 allowed"), tooMany.getMessage());
    }
  }

  @Test
  void graphTransformerLayerWithAndWithoutEdgeFeatures() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 6);
      int n = 15;
      int dim = 8;
      int heads = 2;
      int d = dim / heads;
      EdgeIndex e = RandomGraphs.uniform(n, 45, SEED + 6);
      Graph g = Graph.of(e);
      Tensor x = ctx.randn(r, n, dim);
      Tensor ea = ctx.randn(r, e.numEdges(), dim);
      GraphTransformerLayer withE = new GraphTransformerLayer(ctx, GraphTransformerLayer.Config.of(dim, heads), r);
      AttentionWeights w = AttentionRecords.recordOnce("GraphTransformerLayer (edges)", withE,
          () -> withE.forwardWithEdges(x, g, ea).h());
      double[] xd = toDouble(x.data());
      double[] q = linear(xd, n, dim, p(withE, "attention.Q.weight"), null);
      double[] k = linear(xd, n, dim, p(withE, "attention.K.weight"), null);
      double[] pe = linear(toDouble(ea.data()), e.numEdges(), dim,
          p(withE, "attention.proj_e.weight"), null);
      double[] s = new double[e.numEdges() * heads];
      for (int i = 0; i < e.numEdges(); i++) {
        for (int h = 0; h < heads; h++) {
          for (int t = 0; t < d; t++) {
            int o = h * d + t;
            s[i * heads + h] += q[e.dst()[i] * dim + o] * k[e.src()[i] * dim + o] / Math.sqrt(d)
                * pe[i * dim + o];
          }
        }
      }
      AttentionRef.assertWeights("GraphTransformerLayer (edges)", w, e,
          AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);

      GraphTransformerLayer noE = new GraphTransformerLayer(ctx,
          GraphTransformerLayer.Config.of(dim, heads).withEdgeFeatures(false), r);
      AttentionWeights w2 = AttentionRecords.recordOnce("GraphTransformerLayer", noE,
          () -> noE.forwardWithEdges(x, g, null).h());
      double[] q2 = linear(xd, n, dim, p(noE, "attention.Q.weight"), null);
      double[] k2 = linear(xd, n, dim, p(noE, "attention.K.weight"), null);
      double[] s2 = AttentionRef.dotScores(e, q2, k2, null, null, heads, d, 1 / Math.sqrt(d));
      AttentionRef.assertWeights("GraphTransformerLayer", w2, e,
          AttentionRef.softmaxByTarget(e, s2, heads), heads, TOL);
    }
  }

  @Test
  void graphormerWeightsIncludeTheStructuralBias() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 7);
      int dim = 8;
      int heads = 2;
      int d = dim / heads;
      int[] counts = {4, 6};
      int n = 10;
      EdgeIndex pairs = EdgeSets.withinGraphs(BatchVector.fromCounts(counts));
      GraphormerLayer layer = new GraphormerLayer(ctx,
          GraphormerLayer.Config.sharedBias(dim, heads, 16), r);
      LoopRef.randomize(layer, r, 0.5f);
      Tensor x = ctx.randn(r, n, dim);
      Tensor bias = ctx.randn(r, pairs.numEdges(), heads);
      AttentionWeights w = AttentionRecords.recordOnce("GraphormerLayer", layer,
          () -> layer.forward(x, pairs, bias));
      double[] h = LoopRef.layerNorm(toDouble(x.data()), n, dim,
          p(layer, "self_attn_layer_norm.weight"), p(layer, "self_attn_layer_norm.bias"));
      double[] q = linear(h, n, dim, p(layer, "self_attn.q_proj.weight"),
          p(layer, "self_attn.q_proj.bias"));
      double[] k = linear(h, n, dim, p(layer, "self_attn.k_proj.weight"),
          p(layer, "self_attn.k_proj.bias"));
      double[] s = AttentionRef.dotScores(pairs, q, k, null, toDouble(bias.data()), heads, d,
          1 / Math.sqrt(d));
      AttentionRef.assertWeights("GraphormerLayer", w, pairs,
          AttentionRef.softmaxByTarget(pairs, s, heads), heads, TOL);
    }
  }

  /** Cora (2,708 nodes, 1,433 features), GATConv with 8 heads, as in cora-gat's first layer. */
  @Test
  void gatOnCora() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 8);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int f = cora.numFeatures();
      int heads = 8;
      int c = 8;
      Graph g = Graph.of(cora.edges());
      GatConv layer = new GatConv(ctx, GatConv.Config.of(f, c, heads), r);
      LoopRef.randomize(layer, r, 0.3f);
      layer.train(false);
      Tensor x = ctx.tensor(cora.x(), n, f);
      AttentionWeights w = AttentionRecords.recordOnce("Cora GATConv", layer, () -> layer.forward(x, g));
      EdgeIndex e = g.selfLooped();
      assertEquals(cora.edges().numEdges() + n, w.edges().numEdges());
      double[] expected = gatReference(e, toDouble(cora.x()), f, heads, c,
          p(layer, "lin.weight"), p(layer, "lin.weight"), p(layer, "att_src"),
          p(layer, "att_dst"));
      AttentionRef.assertWeights("Cora GATConv", w, e, expected, heads, 1e-4);
    }
  }

  @Test
  void recorderRefusesANonPositiveCap() {
    assertThrows(IllegalArgumentException.class, () -> new AttentionRecorder(0, 0));
  }

  private static double[] gatReference(EdgeIndex e, double[] x, int f, int heads, int c,
                                       Tensor wSrc, Tensor wDst, Tensor attSrc, Tensor attDst) {
    return gatReferenceBipartite(e, x, f, x, f, heads, c, wSrc, wDst, attSrc, attDst);
  }

  /** alpha = softmax_j(leaky(a_src . W_src x_j + a_dst . W_dst x_i)), slope 0.2. */
  private static double[] gatReferenceBipartite(EdgeIndex e, double[] xs, int fs, double[] xd,
                                                int fd, int heads, int c, Tensor wSrc,
                                                Tensor wDst, Tensor attSrc, Tensor attDst) {
    double[] ss = headScores(xs, e.numSrcNodes(), fs, heads, c, wSrc, attSrc);
    double[] sd = headScores(xd, e.numDstNodes(), fd, heads, c, wDst, attDst);
    double[] s = new double[e.numEdges() * heads];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        s[i * heads + h] = AttentionRef.leaky(ss[e.src()[i] * heads + h]
            + sd[e.dst()[i] * heads + h], 0.2);
      }
    }
    return AttentionRef.softmaxByTarget(e, s, heads);
  }

  /**
   * s[n, h] = a_h . (W x_n)_h, as x_n . u_h with u_h = sum_c a[h, c] W[h*C + c, :]: the same
   * number, without the [N, H*C] projection (Cora's 1,433 features make that the slow part).
   */
  private static double[] headScores(double[] x, int rows, int f, int heads, int c, Tensor w,
                                     Tensor att) {
    double[] u = new double[heads * f];
    for (int h = 0; h < heads; h++) {
      for (int t = 0; t < c; t++) {
        double a = att.data()[h * c + t];
        for (int k = 0; k < f; k++) u[h * f + k] += a * w.data()[(h * c + t) * f + k];
      }
    }
    double[] s = new double[rows * heads];
    for (int n = 0; n < rows; n++) {
      for (int k = 0; k < f; k++) {
        double v = x[n * f + k];
        if (v == 0) continue;
        for (int h = 0; h < heads; h++) s[n * heads + h] += v * u[h * f + k];
      }
    }
    return s;
  }

}
