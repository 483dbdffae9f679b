package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * The bipartite forms of the attention layers (GATConv, GATv2Conv, TransformerConv with PyG's
 * tuple in_channels): with both sides holding the same values on a square graph and the side
 * weights copied from the homogeneous layer they equal it; on a real bipartite graph (N_src !=
 * N_dst, F_src != F_dst, a target without in-edges) their gradients match finite differences;
 * misshapen sides and self-loops on a bipartite graph are named; LayerFactory reads the pair.
 */
class BipartiteAttentionTest {
  private static final long SEED = 13;
  private static final int N = 7;
  private static final int E = 20;
  private static final int F = 5;

  /** Sources 0..5, targets 0..3; target 2 has no in-edges; 2 -> 1 appears twice. */
  private static final Graph BI = Graph.bipartite(EdgeIndex.bipartite(
      new int[] {0, 1, 5, 2, 2, 4, 0, 3}, new int[] {0, 0, 1, 1, 1, 3, 3, 0}, 6, 4));

  private static Tensor randn(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
    return t;
  }

  /** Copies {@code from}'s parameters into {@code to}'s, names mapped by {@code rename}. */
  private static void copy(Module from, Module to, Map<String, String> rename) {
    Map<String, Tensor> dst = to.namedParameters();
    for (Map.Entry<String, Tensor> p : from.namedParameters().entrySet()) {
      float[] v = p.getValue().data();
      for (Map.Entry<String, String> r : rename.entrySet()) {
        if (!r.getKey().equals(p.getKey())) continue;
        System.arraycopy(v, 0, dst.get(r.getValue()).data(), 0, v.length);
      }
    }
  }

  private static Map<String, String> identity(Module m) {
    Map<String, String> r = new LinkedHashMap<>();
    for (String k : m.namedParameters().keySet()) r.put(k, k);
    return r;
  }

  /**
   * homo.forward(x, Graph.of(edges)) against bi.forward(x, copy of x, Graph.bipartite(edges)) on
   * the same square edge set.
   */
  private static void assertSidesEqualHomogeneous(String what, Context ctx, GraphLayer homo,
                                                  BipartiteLayer bi, Tensor ea) {
    EdgeIndex edges = RandomGraphs.uniform(N, E, SEED);
    Tensor x = randn(ctx, new SplittableRandom(SEED + 1), N, F);
    Tensor xCopy = ctx.tensor(x.data().clone(), N, F);
    Tensor expected = homo.forward(x, Graph.of(edges), ea);
    Tensor actual = bi.forward(x, xCopy, Graph.bipartite(edges), ea);
    assertEquals(expected.shape(), actual.shape(), what);
    OpAssert.assertClose(what, expected.data(), actual.data(), 1e-6, 1e-6);
  }

  @Test
  void gatWithEqualSidesEqualsHomogeneous() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (boolean concat : new boolean[] {true, false}) {
          for (boolean loops : new boolean[] {true, false}) {
            GatConv.Config one = GatConv.Config.of(F, 4, 2).withConcat(concat)
                .withAddSelfLoops(loops);
            GatConv.Config pair = GatConv.Config.bipartite(F, F, 4, 2).withConcat(concat)
                .withAddSelfLoops(loops);
            GatConv homo = new GatConv(ctx, one, new SplittableRandom(SEED));
            GatConv bi = new GatConv(ctx, pair, new SplittableRandom(SEED + 7));
            copy(homo, bi, Map.of("att_src", "att_src", "att_dst", "att_dst", "bias", "bias"));
            copy(homo, bi, Map.of("lin.weight", "lin_src.weight"));
            copy(homo, bi, Map.of("lin.weight", "lin_dst.weight"));
            String what = k.name() + " gat concat=" + concat + " loops=" + loops;
            assertSidesEqualHomogeneous(what, ctx, homo, bi, null);
            // The one-lin layer itself, called with two tensors of the same values.
            assertSidesEqualHomogeneous(what + " shared lin", ctx, homo, homo, null);
          }
        }
      }
    }
  }

  @Test
  void gatV2WithEqualSidesEqualsHomogeneous() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (boolean concat : new boolean[] {true, false}) {
          for (int c : new int[] {4, 1}) {                  // C = 1: the stacked projection
            GatConv.Config one = GatConv.Config.of(F, c, 2).withConcat(concat);
            GatConv.Config pair = GatConv.Config.bipartite(F, F, c, 2).withConcat(concat)
                .withAddSelfLoops(true);
            GatV2Conv homo = new GatV2Conv(ctx, one, new SplittableRandom(SEED));
            GatV2Conv bi = new GatV2Conv(ctx, pair, new SplittableRandom(SEED + 7));
            copy(homo, bi, identity(homo));
            assertSidesEqualHomogeneous(k.name() + " gatv2 concat=" + concat + " C=" + c, ctx,
                homo, bi, null);
          }
        }
      }
    }
  }

  @Test
  void transformerWithEqualSidesEqualsHomogeneous() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (int edgeDim : new int[] {0, 3}) {
          for (boolean beta : new boolean[] {false, true}) {
            TransformerConv.Config one = TransformerConv.Config.of(F, 4, 2).withEdgeDim(edgeDim)
                .withBeta(beta).withConcat(!beta);
            TransformerConv.Config pair = TransformerConv.Config.bipartite(F, F, 4, 2)
                .withEdgeDim(edgeDim).withBeta(beta).withConcat(!beta);
            TransformerConv homo = new TransformerConv(ctx, one, new SplittableRandom(SEED));
            TransformerConv bi = new TransformerConv(ctx, pair, new SplittableRandom(SEED + 7));
            copy(homo, bi, identity(homo));
            Tensor ea = edgeDim == 0 ? null
                : randn(ctx, new SplittableRandom(SEED + 2), E, edgeDim);
            assertSidesEqualHomogeneous(k.name() + " transformer edgeDim=" + edgeDim + " beta="
                + beta, ctx, homo, bi, ea);
          }
        }
      }
    }
  }

  /** Finite differences of f over (xSrc [6, 5], xDst [4, 3], extra inputs, parameters). */
  private static void gradCheck(String what, Context ctx, SplittableRandom r, Module layer,
                                Function<Tensor[], Tensor> f, Tensor... extra) {
    List<Tensor> in = new ArrayList<>();
    in.add(randn(ctx, r, 6, 5).requiresGrad(true));
    in.add(randn(ctx, r, 4, 3).requiresGrad(true));
    for (Tensor t : extra) in.add(t.requiresGrad(true));
    in.addAll(layer.parameters());
    GradCheck.defaults().eps(1e-3).check(what, SEED, f, in.toArray(new Tensor[0]));
  }

  @Test
  void gatBipartiteGradientsMatchFiniteDifferences() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (boolean concat : new boolean[] {true, false}) {
          SplittableRandom r = new SplittableRandom(SEED);
          GatConv l = new GatConv(ctx, GatConv.Config.bipartite(5, 3, 4, 2).withConcat(concat), r);
          gradCheck(k.name() + " gat concat=" + concat, ctx, r, l,
              t -> l.forward(t[0], t[1], BI, null));
          GatV2Conv l2 = new GatV2Conv(ctx, GatConv.Config.bipartite(5, 3, 4, 2)
              .withConcat(concat), r);
          gradCheck(k.name() + " gatv2 concat=" + concat, ctx, r, l2,
              t -> l2.forward(t[0], t[1], BI, null));
        }
      }
    }
  }

  @Test
  void transformerBipartiteGradientsMatchFiniteDifferences() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(k).build()) {
        for (int edgeDim : new int[] {0, 2}) {
          for (boolean beta : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(SEED);
            TransformerConv l = new TransformerConv(ctx, TransformerConv.Config.bipartite(5, 3, 4,
                2).withEdgeDim(edgeDim).withBeta(beta).withConcat(!beta), r);
            String what = k.name() + " transformer edgeDim=" + edgeDim + " beta=" + beta;
            if (edgeDim == 0) {
              gradCheck(what, ctx, r, l, t -> l.forward(t[0], t[1], BI, null));
            } else {
              gradCheck(what, ctx, r, l, t -> l.forward(t[0], t[1], BI, t[2]),
                  randn(ctx, r, BI.numEdges(), edgeDim));
            }
          }
        }
      }
    }
  }

  @Test
  void isolatedTargetGetsOnlyTheBias() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(SEED);
      GatConv l = new GatConv(ctx, GatConv.Config.bipartite(5, 3, 4, 2), r);
      Tensor bias = l.namedParameters().get("bias");
      for (int i = 0; i < bias.data().length; i++) bias.data()[i] = 0.5f + i;
      Tensor out = l.forward(randn(ctx, r, 6, 5), randn(ctx, r, 4, 3), BI, null);  // [4, 8]
      float[] row2 = new float[8];
      System.arraycopy(out.data(), 2 * 8, row2, 0, 8);
      assertArrayEquals(bias.data(), row2, 0f);
    }
  }

  @Test
  void unfusedBipartitePathEqualsTheFusedPath() {
    try (Context ctx = Context.builder().threads(2).build()) {
      Tensor xs = randn(ctx, new SplittableRandom(3), 6, 5);
      Tensor xd = randn(ctx, new SplittableRandom(4), 4, 3);
      GatConv.Config fused = GatConv.Config.bipartite(5, 3, 4, 2);
      GatConv.Config unfused = new GatConv.Config(5, 4, 2, true, 0.2f, 1e-9f, false, true, 3,
          true);
      for (boolean v2 : new boolean[] {false, true}) {
        BipartiteLayer a = v2 ? new GatV2Conv(ctx, fused, new SplittableRandom(7))
            : new GatConv(ctx, fused, new SplittableRandom(7));
        BipartiteLayer b = v2 ? new GatV2Conv(ctx, unfused, new SplittableRandom(7))
            : new GatConv(ctx, unfused, new SplittableRandom(7));
        b.train(true);
        Tensor yb;
        try (var s = ctx.withRandom(new SplittableRandom(1))) {
          yb = b.forward(xs, xd, BI, null);
        }
        assertArrayEquals(a.forward(xs, xd, BI, null).data(), yb.data(), 1e-5f, "v2=" + v2);
      }
    }
  }

  @Test
  void wrongSidesAreNamed() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(1);
      GatConv gat = new GatConv(ctx, GatConv.Config.bipartite(5, 3, 4, 2), r);
      GatV2Conv gat2 = new GatV2Conv(ctx, GatConv.Config.bipartite(5, 3, 4, 2), r);
      TransformerConv tr = new TransformerConv(ctx, TransformerConv.Config.bipartite(5, 3, 4, 2),
          r);
      Tensor xs = ctx.zeros(6, 5);
      Tensor xd = ctx.zeros(4, 3);
      String[][] cases = {
          {"GatConv", "xDst has shape [4, 5], expected [4, 3] for 4 targets"},
          {"GatV2Conv", "xDst has shape [4, 5], expected [4, 3] for 4 targets"},
          {"TransformerConv", "xDst has shape [4, 5], expected [4, 3] for 4 targets"}};
      BipartiteLayer[] layers = {gat, gat2, tr};
      for (int i = 0; i < layers.length; i++) {
        BipartiteLayer l = layers[i];
        var ex = assertThrows(IllegalArgumentException.class,
            () -> l.forward(xs, ctx.zeros(4, 5), BI, null));
        assertEquals(cases[i][0] + ": " + cases[i][1], ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
            () -> l.forward(ctx.zeros(5, 5), xd, BI, null));
        assertEquals(cases[i][0] + ": xSrc has shape [5, 5], expected [6, 5] for 6 sources",
            ex.getMessage());
        // One tensor on a square graph cannot be both sides of a (5, 3) layer.
        Graph square = Graph.of(RandomGraphs.uniform(4, 6, 1));
        ex = assertThrows(IllegalArgumentException.class,
            () -> l.forward(ctx.zeros(4, 5), square, null));
        assertEquals(cases[i][0] + ": " + cases[i][1], ex.getMessage());
      }
    }
  }

  @Test
  void selfLoopsOnABipartiteGraphAreRefused() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(1);
      GatConv.Config c = GatConv.Config.bipartite(5, 3, 4, 2).withAddSelfLoops(true);
      BipartiteLayer[] layers = {new GatConv(ctx, c, r), new GatV2Conv(ctx, c, r)};
      String[] names = {"GatConv", "GatV2Conv"};
      for (int i = 0; i < layers.length; i++) {
        BipartiteLayer l = layers[i];
        var ex = assertThrows(IllegalArgumentException.class,
            () -> l.forward(ctx.zeros(6, 5), ctx.zeros(4, 3), BI, null));
        assertEquals(names[i] + ": self-loops need one node set (got a bipartite graph of 6"
            + " sources and 4 targets); build the layer with addSelfLoops = false",
            ex.getMessage());
      }
    }
  }

  private static Map<String, List<Integer>> shapes(GraphLayer l) {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> p : l.namedParameters().entrySet()) {
      List<Integer> dims = new ArrayList<>();
      for (int d = 0; d < p.getValue().rank(); d++) dims.add(p.getValue().dim(d));
      m.put(p.getKey(), dims);
    }
    return m;
  }

  @Test
  void layerFactoryReadsPairedInChannels() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(1);
      Map<String, Object> pair = Map.of("in_channels", List.of(5, 3), "out_channels", 4,
          "heads", 2);
      GraphLayer gat = LayerFactory.create(ctx, "GATConv", pair, r);
      assertEquals(Map.of("att_src", List.of(1, 2, 4), "att_dst", List.of(1, 2, 4),
          "bias", List.of(8), "lin_src.weight", List.of(8, 5), "lin_dst.weight", List.of(8, 3)),
          shapes(gat));
      assertEquals(List.of("att_src", "att_dst", "bias", "lin_src.weight", "lin_dst.weight"),
          List.copyOf(gat.namedParameters().keySet()));
      GraphLayer one = LayerFactory.create(ctx, "GATConv", Map.of("in_channels", 5,
          "out_channels", 4, "heads", 2), r);
      assertEquals(List.of("att_src", "att_dst", "bias", "lin.weight"),
          List.copyOf(one.namedParameters().keySet()));
      GraphLayer v2 = LayerFactory.create(ctx, "GATv2Conv", pair, r);
      assertEquals(List.of(8, 5), shapes(v2).get("lin_l.weight"));
      assertEquals(List.of(8, 3), shapes(v2).get("lin_r.weight"));
      GraphLayer tr = LayerFactory.create(ctx, "TransformerConv", pair, r);
      Map<String, List<Integer>> ts = shapes(tr);
      assertEquals(List.of(8, 5), ts.get("lin_key.weight"));
      assertEquals(List.of(8, 5), ts.get("lin_value.weight"));
      assertEquals(List.of(8, 3), ts.get("lin_query.weight"));
      assertEquals(List.of(8, 3), ts.get("lin_skip.weight"));
      // PyG's default add_self_loops = True stays; on a bipartite graph it is refused by name.
      var ex = assertThrows(IllegalArgumentException.class,
          () -> ((BipartiteLayer) gat).forward(ctx.zeros(6, 5), ctx.zeros(4, 3), BI, null));
      assertEquals("GatConv: self-loops need one node set (got a bipartite graph of 6 sources"
          + " and 4 targets); build the layer with addSelfLoops = false", ex.getMessage());
      Map<String, Object> noLoops = new LinkedHashMap<>(pair);
      noLoops.put("add_self_loops", false);
      BipartiteLayer ok = (BipartiteLayer) LayerFactory.create(ctx, "GATConv", noLoops, r);
      Tensor y = ok.forward(ctx.zeros(6, 5), ctx.zeros(4, 3), BI, null);
      assertEquals(List.of(4, 8), List.of(y.dim(0), y.dim(1)));
    }
  }
}
