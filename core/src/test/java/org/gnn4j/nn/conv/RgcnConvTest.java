package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RgcnConv against PyG's RGCNConv (bases and blocks), and its three forms against each other. */
class RgcnConvTest {
  private static RgcnConv.Config configOf(String stem) {
    RgcnConv.Config c = RgcnConv.Config.of(16, 8, 3);
    return stem.startsWith("rgcn_bases") ? c.withBases(2) : c.withBlocks(4);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rgcn_bases_g1", "rgcn_bases_g2", "rgcn_blocks_g1", "rgcn_blocks_g2"})
  void matchesPygOutputAndEveryGradient(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        // the basis form has two orders of work (RgcnConv.basesFirst); each must be PyG's
        for (int form = 0; form < (stem.startsWith("rgcn_bases") ? 3 : 1); form++) {
          RgcnConv l = new RgcnConv(ctx, configOf(stem), new SplittableRandom(0));
          f.loadInto(l);
          Tensor x = f.tensor(ctx, "x").requiresGrad(true);
          Graph g = Graph.of(f.edges(x.dim(0)));
          int[] types = f.ints("edge_type");
          Tensor out = switch (form) {
            case 0 -> l.forward(x, g, types);
            case 1 -> l.forwardAggregatesFirst(x, g, types);
            default -> l.forwardBasesFirst(x, g, types);
          };
          f.assertMatches("out", out.data());
          Autograd.backward(out, f.floats("r"));
          f.assertMatches("grad.x", x.gradArray());
          assertEveryParameterGradient(f, l);
        }
      }
    }
  }

  static void assertEveryParameterGradient(PygFixture f, Module m) {
    int checked = 0;
    for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
      float[] g = p.getValue().gradArray();
      f.assertMatches("grad.param." + p.getKey(), g == null ? new float[p.getValue().numel()] : g);
      checked++;
    }
    assertEquals(m.parameters().size(), checked, f.name() + ": parameters checked");
  }

  /**
   * The basis form's two orders agree on a graph of the bench's proportions (ten edges per node,
   * repeated edges and self-loops), with and without a root weight, output and gradients.
   */
  @ParameterizedTest(name = "root={0}")
  @ValueSource(booleans = {true, false})
  void basisFormsAgree(boolean rootWeight) {
    int n = 300;
    int e = 3000;
    SplittableRandom rng = new SplittableRandom(11);
    int[] src = new int[e];
    int[] dst = new int[e];
    int[] types = new int[e];
    for (int k = 0; k < e; k++) {
      src[k] = rng.nextInt(n);
      dst[k] = rng.nextInt(n);
      types[k] = rng.nextInt(8);
    }
    Graph g = Graph.of(EdgeIndex.of(src, dst, n));
    RgcnConv.Config c = RgcnConv.Config.of(12, 10, 8).withBases(3).withRootWeight(rootWeight);
    float[][] results = new float[2][];
    List<float[]> grads = new java.util.ArrayList<>();
    for (int form = 0; form < 2; form++) {
      try (Context ctx = Contexts.vector(2)) {
        RgcnConv l = new RgcnConv(ctx, c, new SplittableRandom(4));
        Tensor x = ctx.randn(new SplittableRandom(5), n, 12).requiresGrad(true);
        Tensor out = form == 0 ? l.forwardAggregatesFirst(x, g, types)
            : l.forwardBasesFirst(x, g, types);
        results[form] = out.data().clone();
        Autograd.backward(out, ctx.randn(new SplittableRandom(6), n, 10).data());
        grads.add(x.gradArray().clone());
        for (Tensor p : l.parameters()) grads.add(p.gradArray().clone());
      }
    }
    OpAssert.assertClose("out", results[0], results[1], 1e-5, 1e-4);
    int half = grads.size() / 2;
    for (int i = 0; i < half; i++) {
      OpAssert.assertClose("grad " + i, grads.get(i), grads.get(half + i), 1e-4, 1e-4);
    }
  }

  /**
   * Bases first for wide inputs (cora's 1,433 features, where the product dominates), aggregates
   * first for the bench's 64 features and ten edges per node, or when there are as many bases as
   * relations.
   */
  @Test
  void picksTheOrderWithLessWork() {
    try (Context ctx = Contexts.scalar(1)) {
      RgcnConv wide = new RgcnConv(ctx, RgcnConv.Config.of(1433, 64, 8).withBases(4),
          new SplittableRandom(0));
      assertTrue(wide.basesFirst(2708, 10556));
      RgcnConv narrow = new RgcnConv(ctx, RgcnConv.Config.of(64, 64, 8).withBases(4),
          new SplittableRandom(0));
      assertFalse(narrow.basesFirst(10_000, 100_000));
      RgcnConv many = new RgcnConv(ctx, RgcnConv.Config.of(64, 64, 8).withBases(8),
          new SplittableRandom(0));
      assertFalse(many.basesFirst(10_000, 100_000));
    }
  }

  @Test
  void graphLayerFormReadsEdgeTypesFromEdgeAttr() {
    PygFixture f = PygFixture.load("rgcn_bases_g2");
    try (Context ctx = Contexts.scalar(1)) {
      RgcnConv l = new RgcnConv(ctx, configOf("rgcn_bases"), new SplittableRandom(0));
      f.loadInto(l);
      Tensor x = f.tensor(ctx, "x");
      Graph g = Graph.of(f.edges(x.dim(0)));
      int[] types = f.ints("edge_type");
      float[] asFloat = new float[types.length];
      for (int i = 0; i < types.length; i++) asFloat[i] = types[i];
      Tensor viaAttr = l.forward(x, g, ctx.tensor(asFloat, types.length));
      OpAssert.assertClose("edgeAttr form", l.forward(x, g, types).data(), viaAttr.data(), 0, 0);
      Tensor attr = ctx.tensor(asFloat, types.length);
      float[] first = l.forward(x, g, attr).data();
      OpAssert.assertClose("edgeAttr reused", first, l.forward(x, g, attr).data(), 0, 0);
      asFloat[3] = 0.5f;
      var ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(x, g, ctx.tensor(asFloat, types.length)));
      assertTrue(ex.getMessage().contains("edgeAttr[3]"), ex.getMessage());
    }
  }


  /** The hetero form on typed node sets equals the homogeneous form on the homogeneous view. */
  @ParameterizedTest(name = "blocks={0}")
  @ValueSource(booleans = {false, true})
  void heteroFormEqualsHomogeneousForm(boolean blocks) {
    HeteroGraph hg = smallHetero();
    try (Context ctx = Contexts.vector(2)) {
      RgcnConv.Config c = RgcnConv.Config.of(4, 6, 3);
      c = blocks ? c.withBlocks(2) : c.withBases(2);
      RgcnConv l = new RgcnConv(ctx, c, hg.relations(), new SplittableRandom(3));
      SplittableRandom rng = new SplittableRandom(5);
      Tensor xa = ctx.randn(rng, 5, 4);
      Tensor xb = ctx.randn(rng, 3, 4);
      Map<String, Tensor> out = l.forward(Map.of("a", xa, "b", xb), hg);
      var h = hg.homogeneous();
      Tensor xAll = org.gnn4j.ops.Concat.concat(0, xa, xb);
      Tensor all = l.forward(xAll, h.graph(), h.edgeType());
      float[] expA = java.util.Arrays.copyOfRange(all.data(), 0, 5 * 6);
      float[] expB = java.util.Arrays.copyOfRange(all.data(), 5 * 6, 8 * 6);
      OpAssert.assertClose("a", expA, out.get("a").data(), 1e-6, 1e-5);
      OpAssert.assertClose("b", expB, out.get("b").data(), 1e-6, 1e-5);
    }
  }

  private static HeteroGraph smallHetero() {
    return HeteroGraph.builder().nodes("a", 5).nodes("b", 3)
        .edges("a", "to", "b", new int[] {0, 1, 4, 4, 2}, new int[] {0, 0, 1, 2, 2})
        .edges("b", "back", "a", new int[] {0, 2, 2}, new int[] {1, 1, 3})
        .edges("a", "knows", "a", new int[] {0, 1, 2, 3, 3}, new int[] {1, 1, 1, 0, 3})
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"plain", "bases", "bases-first", "blocks"})
  void gradientMatchesFiniteDifferences(String kind) {
    try (Context ctx = Contexts.scalar(1)) {
      RgcnConv.Config c = RgcnConv.Config.of(4, 6, 3);
      if (kind.startsWith("bases")) c = c.withBases(2);
      if (kind.equals("blocks")) c = c.withBlocks(2);
      RgcnConv l = new RgcnConv(ctx, c, new SplittableRandom(1));
      Graph g = Graph.of(EdgeIndex.of(new int[] {0, 1, 2, 3, 4, 4, 0},
          new int[] {1, 1, 0, 0, 2, 2, 4}, 5));
      int[] types = {0, 1, 0, 2, 1, 1, 0};
      Tensor x = ctx.randn(new SplittableRandom(2), 5, 4).requiresGrad(true);
      List<Tensor> ps = l.parameters();
      Tensor[] in = new Tensor[ps.size() + 1];
      in[0] = x;
      for (int i = 0; i < ps.size(); i++) in[i + 1] = ps.get(i);
      GradCheck.defaults().check("rgcn " + kind, 7, t -> kind.equals("bases-first")
          ? l.forwardBasesFirst(t[0], g, types) : l.forward(t[0], g, types), in);
    }
  }

  @Test
  void rejectsUnknownRelationAndBadFeatures() {
    HeteroGraph hg = smallHetero();
    try (Context ctx = Contexts.scalar(1)) {
      RgcnConv l = new RgcnConv(ctx, RgcnConv.Config.of(4, 6, 3),
          List.of(new Relation("a", "to", "b"), new Relation("b", "back", "a"),
              new Relation("a", "likes", "a")), new SplittableRandom(1));
      Tensor xa = ctx.zeros(5, 4);
      Tensor xb = ctx.zeros(3, 4);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(Map.of("a", xa, "b", xb), hg));
      assertTrue(ex.getMessage().contains("a__knows__a"), ex.getMessage());
      RgcnConv l2 = new RgcnConv(ctx, RgcnConv.Config.of(4, 6, 3), new SplittableRandom(1));
      ex = assertThrows(IllegalArgumentException.class, () -> l2.forward(Map.of("a", xa), hg));
      assertTrue(ex.getMessage().contains("x['b']"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> l2.forward(Map.of("a", xa, "b", ctx.zeros(3, 5)), hg));
      assertTrue(ex.getMessage().contains("x['b'] has shape [3, 5]"), ex.getMessage());
      Graph g = Graph.of(EdgeIndex.of(new int[] {0}, new int[] {1}, 5));
      ex = assertThrows(IllegalArgumentException.class, () -> l2.forward(xa, g, new int[] {3}));
      assertTrue(ex.getMessage().contains("edgeType[0]"), ex.getMessage());
    }
  }
}
