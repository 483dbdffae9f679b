package org.gnn4j.spark.infer.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.spark.infer.ModelPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each attention plan, run through {@link PartitionedRun} (random node blocks, random edge
 * partitions, random merge orders), equals the real gnn4j layer's forward in eval mode on small
 * random graphs with self-loops (single and repeated), duplicate edges and isolated nodes.
 */
class AttentionPlansTest {
  private static Context ctx;

  @BeforeAll
  static void open() {
    ctx = Context.builder().threads(1).seed(11).build();
  }

  @AfterAll
  static void close() {
    ctx.close();
  }

  /** A random graph: n nodes, the last three isolated, some self-loops (one node has two), duplicates. */
  record RandomGraph(int n, int[] src, int[] dst) {
    static RandomGraph of(long seed, int n, int e) {
      SplittableRandom r = new SplittableRandom(seed);
      int loops = 6;
      int[] src = new int[e + loops + 3];
      int[] dst = new int[src.length];
      for (int i = 0; i < e; i++) {
        src[i] = r.nextInt(n - 3);
        dst[i] = r.nextInt(n - 3);
      }
      for (int i = 0; i < loops; i++) src[e + i] = dst[e + i] = r.nextInt(n - 3);
      src[e + loops] = dst[e + loops] = 0;                 // node 0: two or more loops
      src[e + loops + 1] = dst[e + loops + 1] = 0;
      src[e + loops + 2] = src[0];                        // a duplicate edge
      dst[e + loops + 2] = dst[0];
      return new RandomGraph(n, src, dst);
    }

    Graph graph() {
      return Graph.of(src, dst, n);
    }
  }

  static float[] uniform(SplittableRandom r, int count, double a) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * a);
    return v;
  }

  /** Every parameter redrawn, biases too (they start at 0), so each one is exercised. */
  static void randomise(GraphLayer layer, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
      if (p.getKey().endsWith("projection_matrix")) continue;     // a fixed random draw already
      float[] d = p.getValue().data();
      double a = 1 / Math.sqrt(Math.max(1, p.getValue().dim(p.getValue().rank() - 1)));
      System.arraycopy(uniform(r, d.length, 2 * a), 0, d, 0, d.length);
      if (p.getKey().endsWith("running_var")) for (int i = 0; i < d.length; i++) d[i] = Math.abs(d[i]) + 0.5f;
    }
  }

  /** |actual - expected| <= rtol (|expected| + 0.01 max |expected|) everywhere. */
  static void assertClose(float[] expected, float[] actual, double rtol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double max = 0;
    for (float v : expected) max = Math.max(max, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + 0.01 * max);
      assertTrue(Float.isFinite(actual[i]), what + ": non-finite at " + i);
      worst = Math.max(worst, err);
      assertTrue(err <= rtol, what + ": at " + i + " expected " + expected[i] + ", got "
          + actual[i]);
    }
  }

  private static void check(GraphLayer layer, RandomGraph g, int in, int edgeDim, String what) {
    check(layer, g, in, edgeDim, what, 1e-5);
  }

  private static void check(GraphLayer layer, RandomGraph g, int in, int edgeDim, String what,
                            double rtol) {
    layer.train(false);
    SplittableRandom r = new SplittableRandom(what.hashCode());
    float[] x = uniform(r, g.n() * in, 1);
    float[] e = edgeDim == 0 ? null : uniform(r, g.src().length * edgeDim, 1);
    Tensor expected = layer.forward(ctx.tensor(x, g.n(), in), g.graph(),
        e == null ? null : ctx.tensor(e, g.src().length, edgeDim));
    LayerPlan plan = layer instanceof GpsLayer gps
        ? AttentionPlans.gps(gps, new SumGinPlan(gps.namedParameters(), "conv."))
        : AttentionPlans.of(layer);
    assertEquals(expected.dim(1), plan.outWidth(), what + ": out width");
    for (int parts : new int[] {1, 3, 8}) {
      float[] got = PartitionedRun.run(ctx, plan, x, g.n(), g.src(), g.dst(), e, parts, parts);
      assertClose(expected.data(), got, rtol, what + ", " + parts + " partitions");
    }
  }

  @Test
  void gatEqualsGatConv() {
    RandomGraph g = RandomGraph.of(1, 40, 150);
    GatConv.Config cfg = GatConv.Config.of(7, 4, 3);
    for (GatConv.Config c : new GatConv.Config[] {cfg, cfg.withConcat(false),
        cfg.withAddSelfLoops(false),
        new GatConv.Config(7, 5, 2, true, 0.01f, 0.3f, true, false)}) {
      GatConv layer = new GatConv(ctx, c, new SplittableRandom(2));
      randomise(layer, 3);
      check(layer, g, 7, 0, "gat " + c);
    }
  }

  @Test
  void gatv2EqualsGatV2Conv() {
    RandomGraph g = RandomGraph.of(4, 40, 150);
    // 16 inputs >= 2 H C: the layer's stacked projection; 5 inputs: two products
    for (int in : new int[] {16, 5}) {
      GatConv.Config cfg = GatConv.Config.of(in, 3, 2);
      for (GatConv.Config c : new GatConv.Config[] {cfg, cfg.withConcat(false),
          cfg.withAddSelfLoops(false)}) {
        GatV2Conv layer = new GatV2Conv(ctx, c, new SplittableRandom(5));
        randomise(layer, 6);
        check(layer, g, in, 0, "gatv2 " + c);
      }
    }
  }

  @Test
  void transformerEqualsTransformerConv() {
    RandomGraph g = RandomGraph.of(7, 40, 150);
    TransformerConv.Config cfg = TransformerConv.Config.of(6, 4, 3);
    for (TransformerConv.Config c : new TransformerConv.Config[] {cfg, cfg.withConcat(false),
        cfg.withEdgeDim(5), cfg.withBeta(true).withEdgeDim(2).withConcat(false),
        new TransformerConv.Config(6, 4, 2, true, false, 0, false)}) {
      TransformerConv layer = new TransformerConv(ctx, c, new SplittableRandom(8));
      randomise(layer, 9);
      check(layer, g, 6, c.edgeDim(), "transformer " + c);
    }
  }

  @Test
  void gpsPerformerEqualsGpsLayer() {
    RandomGraph g = RandomGraph.of(10, 60, 200);
    for (int heads : new int[] {1, 2}) {
      int c = 8;
      SplittableRandom rng = new SplittableRandom(12 + heads);
      GinConv gin = new GinConv(ctx, new Mlp(ctx, rng, c, c, c), 0.3f, false);
      GpsLayer layer = new GpsLayer(ctx, c, gin, heads, GpsLayer.AttnType.PERFORMER, rng);
      randomise(layer, 13);
      layer.train(false);
      GlobalPlan plan = AttentionPlans.gps(layer, new SumGinPlan(layer.namedParameters(), "conv."));
      assertEquals("gps_gin", plan.kind());
      // 3e-5, not 1e-5: the plan and the layer shape their products differently, so a product
      // can fall on another kernel (OpenBLAS from 16^3 multiply-adds, the scalar loops below),
      // and the Performer's division by a sum over the graph carries those last bits further
      // than the other layers do (1.2e-5 seen at 1 head, 1 partition)
      check(layer, g, c, 0, "gps performer, " + heads + " heads", 3e-5);
    }
  }

  /**
   * GPS through the engine's own model plan ({@link ModelPlan#of}): its local plans for gin, gine
   * and resgated (the last two reading edge features) composed with the global part, layer 0 of
   * a model that reads the raw features, against that layer's forward.
   */
  @Test
  void gpsWithTheEnginesLocalPlans() {
    RandomGraph g = RandomGraph.of(14, 50, 180);
    int f = 8;
    for (String kind : new String[] {"gps_gin", "gps_gine", "gps_resgated"}) {
      boolean edges = !kind.equals("gps_gin");
      ModelSpec spec = ModelSpec.from(ConfigNode.parse("model: {layer: " + kind + ", attn_type:"
          + " performer, layers: 1, hidden: " + f + ", heads: 2}", "test").section("model"));
      GraphModel m = new GraphModel(ctx, spec, new GraphModel.DataShape(f, 0, edges ? 3 : 0, 0, 2,
          false), new SplittableRandom(15));
      GraphLayer layer = m.layers().get(0);
      randomise(layer, 16);
      m.train(false);
      LayerPlan plan = ModelPlan.of(m).layers().get(0);
      assertEquals(kind, plan.kind());
      SplittableRandom r = new SplittableRandom(17);
      float[] x = uniform(r, g.n() * f, 1);
      float[] e = edges ? uniform(r, g.src().length * 3, 1) : null;
      Tensor expected = layer.forward(ctx.tensor(x, g.n(), f), g.graph(),
          e == null ? null : ctx.tensor(e, g.src().length, 3));
      for (int parts : new int[] {1, 5}) {
        float[] got = PartitionedRun.run(ctx, plan, x, g.n(), g.src(), g.dst(), e, parts, parts);
        assertClose(expected.data(), got, 1e-5, kind + ", " + parts + " partitions");
      }
    }
  }

  @Test
  void gpsWithExactAttentionIsRefused() {
    SplittableRandom rng = new SplittableRandom(1);
    GinConv gin = new GinConv(ctx, new Mlp(ctx, rng, 4, 4, 4), 0f, false);
    GpsLayer layer = new GpsLayer(ctx, 4, gin, 1, rng);
    var e = assertThrows(IllegalArgumentException.class,
        () -> AttentionPlans.gps(layer, new SumGinPlan(layer.namedParameters(), "conv.")));
    assertTrue(e.getMessage().startsWith("GpsLayer: only Performer"), e.getMessage());
  }

  @Test
  void otherLayersAreNotPlannedHere() {
    assertNull(AttentionPlans.of(new GcnConv(ctx, 3, 4, new SplittableRandom(1))));
  }
}
