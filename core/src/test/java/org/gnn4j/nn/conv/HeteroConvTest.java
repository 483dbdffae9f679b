package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** HeteroConv: per-relation layers combined per target type, against PyG and by hand. */
class HeteroConvTest {
  static final List<String> TYPES = HgtConvTest.TYPES;
  static final List<Relation> RELATIONS = HgtConvTest.RELATIONS;

  /**
   * A test-local mean SAGE layer (lin_l(mean_j x_j) + lin_r(x_i), PyG's names), so HeteroConv is
   * tested on its own; the real SageConv is tested in its own class.
   */
  static final class MeanSage implements BipartiteLayer {
    final Linear linL;
    final Linear linR;

    MeanSage(Context ctx, int fSrc, int fDst, int out, SplittableRandom rng) {
      linL = new Linear(ctx, fSrc, out, true, rng);
      linR = new Linear(ctx, fDst, out, false, rng);
    }

    @Override
    public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
      EdgeIndex e = graph.edges();
      int[] deg = e.inDegree();
      float[] w = new float[e.numEdges()];
      for (int k = 0; k < w.length; k++) w[k] = 1f / deg[e.dst()[k]];
      Tensor mean = Spmm.aggregate(e, xSrc.ctx().tensor(w, w.length), xSrc);
      return Elementwise.add(linL.forward(mean), linR.forward(xDst));
    }

    @Override
    public Map<String, Tensor> namedParameters() {
      Map<String, Tensor> m = new LinkedHashMap<>();
      Module.addAll(m, "lin_l", linL);
      Module.addAll(m, "lin_r", linR);
      return m;
    }
  }

  /** PyG's case exactly: one SageConv (mean, root weight) per relation. */
  private static HeteroConv pygHeteroSage(Context ctx) {
    SplittableRandom rng = new SplittableRandom(0);
    Map<Relation, GraphLayer> convs = new LinkedHashMap<>();
    convs.put(RELATIONS.get(0), new SageConv(ctx, SageConv.Config.bipartite(16, 10, 8), rng));
    convs.put(RELATIONS.get(1), new SageConv(ctx, SageConv.Config.bipartite(10, 16, 8), rng));
    convs.put(RELATIONS.get(2), new SageConv(ctx, SageConv.Config.of(16, 8), rng));
    return new HeteroConv(convs, HeteroConv.Aggr.SUM);
  }

  private static HeteroConv sageHetero(Context ctx, HeteroConv.Aggr aggr, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<Relation, GraphLayer> convs = new LinkedHashMap<>();
    convs.put(RELATIONS.get(0), new MeanSage(ctx, 16, 10, 8, rng));
    convs.put(RELATIONS.get(1), new MeanSage(ctx, 10, 16, 8, rng));
    convs.put(RELATIONS.get(2), new MeanSage(ctx, 16, 16, 8, rng));
    return new HeteroConv(convs, aggr);
  }

  @ParameterizedTest(name = "{0} sageConv={1}")
  @CsvSource({"hetero_sage_g1, true", "hetero_sage_g2, true", "hetero_sage_g1, false",
      "hetero_sage_g2, false"})
  void matchesPygOutputAndEveryGradient(String stem, boolean realSage) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        HeteroConv l = realSage ? pygHeteroSage(ctx) : sageHetero(ctx, HeteroConv.Aggr.SUM, 0);
        f.loadInto(l);
        HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
        Map<String, Tensor> x = new LinkedHashMap<>();
        for (String t : TYPES) x.put(t, f.tensor(ctx, "x." + t).requiresGrad(true));
        Map<String, Tensor> out = l.forward(x, g);
        for (String t : TYPES) f.assertMatches("out." + t, out.get(t).data());
        Autograd.backward(f.heteroLoss(out));
        for (String t : TYPES) f.assertMatches("grad.x." + t, x.get(t).gradArray());
        RgcnConvTest.assertEveryParameterGradient(f, l);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HeteroConv.Aggr.class)
  void equalsEachRelationsLayerCombinedByHand(HeteroConv.Aggr aggr) {
    PygFixture f = PygFixture.load("hetero_sage_g2");
    try (Context ctx = Contexts.vector(2)) {
      HeteroConv l = sageHetero(ctx, aggr, 11);
      HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
      Tensor xu = f.tensor(ctx, "x.user");
      Tensor xi = f.tensor(ctx, "x.item");
      Map<String, Tensor> out = l.forward(Map.of("user", xu, "item", xi), g);
      assertEquals(List.of("item", "user"), List.copyOf(out.keySet()));
      BipartiteLayer rates = (BipartiteLayer) l.conv(RELATIONS.get(0));
      BipartiteLayer ratedBy = (BipartiteLayer) l.conv(RELATIONS.get(1));
      GraphLayer follows = l.conv(RELATIONS.get(2));
      float[] item = rates.forward(xu, xi, g.graph(RELATIONS.get(0)), null).data();
      OpAssert.assertClose("item", item, out.get("item").data(), 0, 0);
      float[] a = ratedBy.forward(xi, xu, g.graph(RELATIONS.get(1)), null).data();
      float[] b = follows.forward(xu, g.graph(RELATIONS.get(2))).data();
      float[] user = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        user[i] = switch (aggr) {
          case SUM -> a[i] + b[i];
          case MEAN -> (a[i] + b[i]) * 0.5f;
          case MAX -> Math.max(a[i], b[i]);
        };
      }
      OpAssert.assertClose("user " + aggr, user, out.get("user").data(), 1e-6, 1e-6);
    }
  }

  @ParameterizedTest
  @EnumSource(HeteroConv.Aggr.class)
  void gradientMatchesFiniteDifferences(HeteroConv.Aggr aggr) {
    PygFixture f = PygFixture.load("hetero_sage_g2");
    try (Context ctx = Contexts.scalar(1)) {
      HeteroConv l = sageHetero(ctx, aggr, 5);
      HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
      Tensor xu = f.tensor(ctx, "x.user").requiresGrad(true);
      Tensor xi = f.tensor(ctx, "x.item").requiresGrad(true);
      Map<String, Tensor> ps = l.namedParameters();
      GradCheck.defaults().check("hetero " + aggr, 9,
          t -> l.forward(Map.of("user", t[0], "item", t[1]), g).get("user"),
          xu, xi, ps.get("convs.<user___follows___user>.lin_l.weight"),
          ps.get("convs.<item___rated_by___user>.lin_r.weight"));
    }
  }

  @Test
  void rejectsUnknownRelationMissingTypeAndNonBipartiteLayer() {
    PygFixture f = PygFixture.load("hetero_sage_g1");
    try (Context ctx = Contexts.scalar(1)) {
      HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
      SplittableRandom rng = new SplittableRandom(1);
      HeteroConv partial = new HeteroConv(Map.of(RELATIONS.get(0),
          new MeanSage(ctx, 16, 10, 8, rng)));
      Map<String, Tensor> x = Map.of("user", f.tensor(ctx, "x.user"), "item",
          f.tensor(ctx, "x.item"));
      var ex = assertThrows(IllegalArgumentException.class, () -> partial.forward(x, g));
      assertTrue(ex.getMessage().contains("item__rated_by__user"), ex.getMessage());
      HeteroConv full = sageHetero(ctx, HeteroConv.Aggr.SUM, 1);
      ex = assertThrows(IllegalArgumentException.class,
          () -> full.forward(Map.of("user", f.tensor(ctx, "x.user")), g));
      assertTrue(ex.getMessage().contains("'item'"), ex.getMessage());
      GraphLayer plain = new RgcnConv(ctx, RgcnConv.Config.of(16, 8, 1), rng);
      ex = assertThrows(IllegalArgumentException.class,
          () -> new HeteroConv(Map.of(RELATIONS.get(0), plain)));
      assertTrue(ex.getMessage().contains("user__rates__item"), ex.getMessage());
    }
  }
}
