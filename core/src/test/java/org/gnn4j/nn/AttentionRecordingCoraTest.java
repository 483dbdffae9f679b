package org.gnn4j.nn;

import static org.gnn4j.testing.LoopRef.linear;
import static org.gnn4j.testing.LoopRef.p;
import static org.gnn4j.testing.LoopRef.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
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
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.Sddmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.AttentionRef;
import org.gnn4j.testing.LoopRef;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * Recorded attention on Cora's graph (2,708 nodes, 10,556 edges, hubs of degree 168) for every
 * attention layer besides GATConv (which {@link AttentionRecordingTest} runs on Cora's own
 * features) and Graphormer (600 nodes, all pairs), and GATv2 on the two-node-type toy case. Each record must equal a plain-loop
 * softmax of the layer's equation and sum to 1 per target; the dot-product layers must also
 * equal the unfused library composition SDDMM of keys and queries, then edge softmax. The
 * node features are random [N, 16] instead of Cora's 1,433 bag-of-words columns, so that the
 * double-precision references stay cheap; the graph is Cora's.
 */
class AttentionRecordingCoraTest {
  private static final double TOL = 5e-5;
  private static final long SEED = 1616;
  private static final int F = 16;

  private static Context ctx() {
    return Context.builder().threads(2).seed(SEED).build();
  }

  /** softmax(SDDMM(k, q) * scale (+ bias)) with the library's unfused ops, [E, H]. */
  private static float[] unfused(EdgeIndex e, Tensor q, Tensor k, double scale, Tensor bias) {
    Tensor s = Sddmm.dot(e, k, q).mul((float) scale);
    if (bias != null) s = s.add(bias);
    return EdgeSoftmax.apply(s, e).data();
  }

  private static Tensor heads(Context ctx, double[] rowsHc, int n, int heads, int c) {
    float[] f = new float[rowsHc.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) rowsHc[i];
    return ctx.tensor(f, n, heads, c);
  }

  @Test
  void gatV2OnCora() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int heads = 4;
      int c = 4;
      Graph g = Graph.of(cora.edges());
      GatV2Conv layer = new GatV2Conv(ctx, GatConv.Config.of(F, c, heads), r);
      LoopRef.randomize(layer, r, 0.7f);
      layer.train(false);
      Tensor x = ctx.randn(r, n, F);
      AttentionWeights w = AttentionRecords.recordOnce("Cora GATv2Conv", layer, () -> layer.forward(x, g));
      EdgeIndex e = g.selfLooped();
      assertEquals(cora.edges().numEdges() + n, w.edges().numEdges());
      double[] xd = toDouble(x.data());
      double[] xl = linear(xd, n, F, p(layer, "lin_l.weight"), p(layer, "lin_l.bias"));
      double[] xr = linear(xd, n, F, p(layer, "lin_r.weight"), p(layer, "lin_r.bias"));
      AttentionRef.assertWeights("Cora GATv2Conv", w, e,
          AttentionRef.softmaxByTarget(e, gatV2Scores(e, xl, xr, p(layer, "att").data(), heads, c), heads),
          heads, TOL);
    }
  }

  @Test
  void transformerConvOnCora() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 1);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int heads = 2;
      int c = 8;
      EdgeIndex e = cora.edges();
      Graph g = Graph.of(e);
      TransformerConv layer = new TransformerConv(ctx, TransformerConv.Config.of(F, c, heads), r);
      Tensor x = ctx.randn(r, n, F);
      AttentionWeights w = AttentionRecords.recordOnce("Cora TransformerConv", layer, () -> layer.forward(x, g, null));
      double[] xd = toDouble(x.data());
      double[] q = linear(xd, n, F, p(layer, "lin_query.weight"), p(layer, "lin_query.bias"));
      double[] k = linear(xd, n, F, p(layer, "lin_key.weight"), p(layer, "lin_key.bias"));
      double scale = 1 / Math.sqrt(c);
      double[] s = AttentionRef.dotScores(e, q, k, null, null, heads, c, scale);
      AttentionRef.assertWeights("Cora TransformerConv", w, e, AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);
      OpAssert.assertClose("Cora TransformerConv vs SDDMM -> edge softmax",
          unfused(e, heads(ctx, q, n, heads, c), heads(ctx, k, n, heads, c), scale, null),
          w.weights().data(), TOL, 1e-4);
    }
  }

  @Test
  void multiHeadAttentionOverCorasEdges() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 2);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int heads = 4;
      EdgeIndex e = cora.edges();
      MultiHeadAttention mha = new MultiHeadAttention(ctx, F, heads, r);
      LoopRef.randomize(mha, r, 0.5f);
      Tensor x = ctx.randn(r, n, F);
      Graph g = Graph.of(e);
      AttentionWeights w = AttentionRecords.recordOnce("Cora MultiHeadAttention", mha, () -> mha.forward(x, g, null));
      double[][] qk = AttentionRecords.queriesAndKeys(mha, x, n);
      int c = F / heads;
      double scale = 1 / Math.sqrt(c);
      double[] s = AttentionRef.dotScores(e, qk[0], qk[1], null, null, heads, c, scale);
      AttentionRef.assertWeights("Cora MultiHeadAttention", w, e, AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);
      OpAssert.assertClose("Cora MultiHeadAttention vs SDDMM -> edge softmax",
          unfused(e, heads(ctx, qk[0], n, heads, c), heads(ctx, qk[1], n, heads, c), scale, null),
          w.weights().data(), TOL, 1e-4);
    }
  }

  @Test
  void graphTransformerLayerOnCora() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 3);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int heads = 4;
      int d = F / heads;
      EdgeIndex e = cora.edges();
      Graph g = Graph.of(e);
      Tensor x = ctx.randn(r, n, F);
      GraphTransformerLayer layer = new GraphTransformerLayer(ctx,
          GraphTransformerLayer.Config.of(F, heads).withEdgeFeatures(false), r);
      AttentionWeights w = AttentionRecords.recordOnce("Cora GraphTransformerLayer", layer,
          () -> layer.forwardWithEdges(x, g, null).h());
      double[] xd = toDouble(x.data());
      double[] q = linear(xd, n, F, p(layer, "attention.Q.weight"), null);
      double[] k = linear(xd, n, F, p(layer, "attention.K.weight"), null);
      double scale = 1 / Math.sqrt(d);
      double[] s = AttentionRef.dotScores(e, q, k, null, null, heads, d, scale);
      AttentionRef.assertWeights("Cora GraphTransformerLayer", w, e, AttentionRef.softmaxByTarget(e, s, heads), heads, TOL);
      OpAssert.assertClose("Cora GraphTransformerLayer vs SDDMM -> edge softmax",
          unfused(e, heads(ctx, q, n, heads, d), heads(ctx, k, n, heads, d), scale, null),
          w.weights().data(), TOL, 1e-4);
    }
  }

  /** GPS's exact global attention over all 2,708^2 ordered pairs of Cora's nodes. */
  @Test
  void gpsGlobalAttentionOverAllPairsOfCora() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 4);
      NodeDataset cora = NodeDatasetReader.cora();
      int n = cora.numNodes();
      int dim = 8;
      int heads = 2;
      int c = dim / heads;
      double scale = 1 / Math.sqrt(c);
      Graph g = Graph.of(cora.edges());
      EdgeIndex pairs = EdgeSets.withinGraphs(BatchVector.fromCounts(new int[] {n}));
      Tensor x = ctx.randn(r, n, dim);

      GpsLayer gps = new GpsLayer(ctx, dim, new GinConv(ctx, new Mlp(ctx, r, dim, dim, dim), 0f, false), heads, r);
      gps.train(false);
      AttentionWeights w = AttentionRecords.recordOnce("Cora GPS global", gps, () -> gps.forward(x, g, null));
      assertEquals((long) n * n, w.edges().numEdges());
      double[][] qk = AttentionRecords.queriesAndKeys((MultiHeadAttention) gps.attention(), x, n);
      double[] s = AttentionRef.dotScores(pairs, qk[0], qk[1], null, null, heads, c, scale);
      AttentionRef.assertWeights("Cora GPS global", w, pairs, AttentionRef.softmaxByTarget(pairs, s, heads), heads, TOL);
      OpAssert.assertClose("Cora GPS global vs SDDMM -> edge softmax",
          unfused(pairs, heads(ctx, qk[0], n, heads, c), heads(ctx, qk[1], n, heads, c), scale, null),
          w.weights().data(), TOL, 1e-4);

    }
  }

  /**
   * Graphormer over all ordered pairs of Cora's first 600 nodes: its pattern ignores the graph's
   * edges (the structure enters through the bias), so all of Cora would add only size.
   */
  @Test
  void graphormerOverAllPairs() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 6);
      int n = 600;
      int dim = 8;
      int heads = 2;
      int c = dim / heads;
      double scale = 1 / Math.sqrt(c);
      EdgeIndex pairs = EdgeSets.withinGraphs(BatchVector.fromCounts(new int[] {n}));
      Tensor x = ctx.randn(r, n, dim);
      GraphormerLayer gl = new GraphormerLayer(ctx, GraphormerLayer.Config.sharedBias(dim, heads, 16), r);
      LoopRef.randomize(gl, r, 0.5f);
      Tensor bias = ctx.randn(r, pairs.numEdges(), heads);
      AttentionWeights wg = AttentionRecords.recordOnce("Graphormer", gl, () -> gl.forward(x, pairs, bias));
      double[] h = LoopRef.layerNorm(toDouble(x.data()), n, dim,
          p(gl, "self_attn_layer_norm.weight"), p(gl, "self_attn_layer_norm.bias"));
      double[] q = linear(h, n, dim, p(gl, "self_attn.q_proj.weight"), p(gl, "self_attn.q_proj.bias"));
      double[] k = linear(h, n, dim, p(gl, "self_attn.k_proj.weight"), p(gl, "self_attn.k_proj.bias"));
      double[] sg = AttentionRef.dotScores(pairs, q, k, null, toDouble(bias.data()), heads, c, scale);
      AttentionRef.assertWeights("Graphormer", wg, pairs, AttentionRef.softmaxByTarget(pairs, sg, heads), heads, TOL);
      OpAssert.assertClose("Graphormer vs SDDMM -> edge softmax",
          unfused(pairs, heads(ctx, q, n, heads, c), heads(ctx, k, n, heads, c), scale, bias),
          wg.weights().data(), TOL, 1e-4);
    }
  }

  /** Two node types: sources (3 features) attend into targets (4 features), GATv2. */
  @Test
  void gatV2TwoNodeTypeToyCase() {
    try (Context ctx = ctx()) {
      SplittableRandom r = new SplittableRandom(SEED + 5);
      int nSrc = 5;
      int nDst = 4;
      int heads = 2;
      int c = 3;
      EdgeIndex e = EdgeIndex.bipartite(new int[] {0, 1, 2, 3, 4, 0, 4, 2},
          new int[] {0, 0, 0, 1, 1, 2, 2, 1}, nSrc, nDst);
      Graph g = Graph.bipartite(e);
      Tensor xs = ctx.randn(r, nSrc, 3);
      Tensor xd = ctx.randn(r, nDst, 4);
      GatV2Conv layer = new GatV2Conv(ctx, GatConv.Config.bipartite(3, 4, c, heads), r);
      LoopRef.randomize(layer, r, 0.8f);
      layer.train(false);
      AttentionWeights w = AttentionRecords.recordOnce("bipartite GATv2Conv", layer, () -> layer.forward(xs, xd, g, null));
      double[] xl = linear(toDouble(xs.data()), nSrc, 3, p(layer, "lin_l.weight"), p(layer, "lin_l.bias"));
      double[] xr = linear(toDouble(xd.data()), nDst, 4, p(layer, "lin_r.weight"), p(layer, "lin_r.bias"));
      AttentionRef.assertWeights("bipartite GATv2Conv", w, e,
          AttentionRef.softmaxByTarget(e, gatV2Scores(e, xl, xr, p(layer, "att").data(), heads, c), heads),
          heads, TOL);
    }
  }

  /** s[e, h] = sum_c att[h, c] * leaky(xl[src, h, c] + xr[dst, h, c], 0.2). */
  private static double[] gatV2Scores(EdgeIndex e, double[] xl, double[] xr, float[] att, int heads, int c) {
    double[] s = new double[e.numEdges() * heads];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        for (int t = 0; t < c; t++) {
          int o = h * c + t;
          s[i * heads + h] += att[o] * AttentionRef.leaky(xl[e.src()[i] * heads * c + o] + xr[e.dst()[i] * heads * c + o], 0.2);
        }
      }
    }
    return s;
  }

}
