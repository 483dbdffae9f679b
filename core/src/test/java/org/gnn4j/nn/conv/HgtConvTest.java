package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HgtConv against PyG's HGTConv on the heterogeneous fixtures (user, item; three relations). */
class HgtConvTest {
  static final List<String> TYPES = List.of("user", "item");
  static final List<Relation> RELATIONS = List.of(Relation.parse("user__rates__item"),
      Relation.parse("item__rated_by__user"), Relation.parse("user__follows__user"));

  private static HgtConv fixtureLayer(Context ctx) {
    Map<String, Integer> in = new LinkedHashMap<>();
    in.put("user", 8);
    in.put("item", 10);
    return new HgtConv(ctx, in, RELATIONS, 8, 2, new SplittableRandom(0));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hgt_g1", "hgt_g2"})
  void matchesPygOutputAndEveryGradient(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        HgtConv l = fixtureLayer(ctx);
        f.loadInto(l);
        HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
        Map<String, Tensor> x = new LinkedHashMap<>();
        for (String t : TYPES) x.put(t, f.tensor(ctx, "x." + t).requiresGrad(true));
        Map<String, Tensor> out = l.forward(x, g);
        assertEquals(TYPES.size(), out.size());
        for (String t : TYPES) f.assertMatches("out." + t, out.get(t).data());
        Autograd.backward(f.heteroLoss(out));
        for (String t : TYPES) f.assertMatches("grad.x." + t, x.get(t).gradArray());
        RgcnConvTest.assertEveryParameterGradient(f, l);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    PygFixture f = PygFixture.load("hgt_g2");
    try (Context ctx = Contexts.scalar(1)) {
      HgtConv l = fixtureLayer(ctx);
      f.loadInto(l);
      HeteroGraph g = f.heteroGraph(TYPES, RELATIONS);
      Tensor xu = f.tensor(ctx, "x.user").requiresGrad(true);
      Tensor xi = f.tensor(ctx, "x.item").requiresGrad(true);
      Map<String, Tensor> ps = l.namedParameters();
      GradCheck.defaults().eps(1e-2).check("hgt", 3,
          t -> l.forward(Map.of("user", t[0], "item", t[1]), g).get("user"),
          xu, xi, ps.get("k_rel.weight"), ps.get("v_rel.weight"),
          ps.get("p_rel.item__rated_by__user"), ps.get("skip.user"));
    }
  }

  @Test
  void rejectsUnknownRelationTypeAndBadFeatures() {
    try (Context ctx = Contexts.scalar(1)) {
      HgtConv l = fixtureLayer(ctx);
      HeteroGraph other = HeteroGraph.builder().nodes("user", 2).nodes("item", 2)
          .edges("user", "hates", "item", new int[] {0}, new int[] {1}).build();
      Map<String, Tensor> x = Map.of("user", ctx.zeros(2, 8), "item", ctx.zeros(2, 10));
      var ex = assertThrows(IllegalArgumentException.class, () -> l.forward(x, other));
      assertTrue(ex.getMessage().contains("user__hates__item"), ex.getMessage());
      HeteroGraph shop = HeteroGraph.builder().nodes("user", 2).nodes("shop", 1).build();
      ex = assertThrows(IllegalArgumentException.class, () -> l.forward(x, shop));
      assertTrue(ex.getMessage().contains("'shop'"), ex.getMessage());
      HeteroGraph g = HeteroGraph.builder().nodes("user", 2).nodes("item", 2)
          .edges(RELATIONS.get(0), new int[] {0}, new int[] {1}).build();
      ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(Map.of("user", ctx.zeros(2, 8)), g));
      assertTrue(ex.getMessage().contains("x['item']"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> l.forward(Map.of("user", ctx.zeros(2, 8), "item", ctx.zeros(2, 9)), g));
      assertTrue(ex.getMessage().contains("x['item'] has shape [2, 9], expected [2, 10]"),
          ex.getMessage());
    }
  }
}
