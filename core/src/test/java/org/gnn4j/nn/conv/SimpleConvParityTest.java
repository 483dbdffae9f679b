package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SageConv, GraphConv, LgConv, LightGcn, and GATConv, GATv2Conv and TransformerConv on bipartite
 * graphs ({@code bipartite_attention_fixture.py}), against PyG 2.6.1 on the fixtures (g1: random
 * graph; g2: two components, isolated nodes, duplicate edges, self-loops; bipartite g1/g2 with
 * sources without out-edges and targets without in-edges): output, d/dx (both sides when
 * bipartite) and every parameter gradient, at atol 1e-5 / rtol 1e-4, on both kernel sets.
 */
class SimpleConvParityTest {
  private static GraphLayer build(Context ctx, String kind) {
    SplittableRandom rng = new SplittableRandom(0);
    return switch (kind) {
      case "sage_mean" -> new SageConv(ctx, SageConv.Config.of(16, 8), rng);
      case "sage_max" -> new SageConv(ctx, SageConv.Config.of(16, 8).withAggr(Aggr.MAX), rng);
      case "sage_root_false" ->
          new SageConv(ctx, SageConv.Config.of(16, 8).withRootWeight(false), rng);
      case "sage_normalize" ->
          new SageConv(ctx, SageConv.Config.of(16, 8).withNormalize(true), rng);
      case "sage_bipartite" -> new SageConv(ctx, SageConv.Config.bipartite(16, 10, 8), rng);
      case "graphconv_add" -> new GraphConv(ctx, GraphConv.Config.of(16, 8), rng);
      case "graphconv_mean" ->
          new GraphConv(ctx, GraphConv.Config.of(16, 8).withAggr(Aggr.MEAN), rng);
      case "lgconv" -> new LgConv();
      // PyG's (16, 10) tuple in_channels; self-loops off, as the fixtures were made
      case "gat_bipartite" -> new GatConv(ctx, GatConv.Config.bipartite(16, 10, 4, 2), rng);
      case "gatv2_bipartite" -> new GatV2Conv(ctx, GatConv.Config.bipartite(16, 10, 4, 2), rng);
      case "transformer_bipartite" ->
          new TransformerConv(ctx, TransformerConv.Config.bipartite(16, 10, 4, 2), rng);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The fixture's edge_index, over {@code numSrc} sources and {@code numDst} targets. */
  static EdgeIndex edges(PygFixture f, int numSrc, int numDst) {
    int[] ei = f.ints("edge_index");
    int e = ei.length / 2;
    int[] src = new int[e];
    int[] dst = new int[e];
    System.arraycopy(ei, 0, src, 0, e);
    System.arraycopy(ei, e, dst, 0, e);
    return EdgeIndex.bipartite(src, dst, numSrc, numDst);
  }

  private static List<Context> contexts() {
    List<Context> cs = new ArrayList<>();
    for (Kernels k : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      cs.add(Context.builder().threads(2).kernels(k).build());
    }
    return cs;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sage_mean_g1", "sage_mean_g2", "sage_max_g1", "sage_max_g2",
      "sage_root_false_g1", "sage_root_false_g2", "sage_normalize_g1", "sage_normalize_g2",
      "sage_bipartite_g1", "sage_bipartite_g2", "graphconv_add_g1", "graphconv_add_g2",
      "graphconv_mean_g1", "graphconv_mean_g2", "lgconv_g1", "lgconv_g2", "gat_bipartite_g1",
      "gat_bipartite_g2", "gatv2_bipartite_g1", "gatv2_bipartite_g2", "transformer_bipartite_g1",
      "transformer_bipartite_g2"})
  void matchesPygOutputAndEveryGradient(String stem) {
    PygFixture f = PygFixture.load(stem);
    String kind = stem.substring(0, stem.lastIndexOf('_'));
    for (Context ctx : contexts()) {
      try (ctx) {
        GraphLayer layer = build(ctx, kind);
        f.loadInto(layer);
        Tensor out;
        List<String> inputs = new ArrayList<>();
        List<Tensor> xs = new ArrayList<>();
        if (f.has("x_src")) {
          Tensor xSrc = f.tensor(ctx, "x_src").requiresGrad(true);
          Tensor xDst = f.tensor(ctx, "x_dst").requiresGrad(true);
          Graph g = Graph.bipartite(edges(f, xSrc.dim(0), xDst.dim(0)));
          out = ((BipartiteLayer) layer).forward(xSrc, xDst, g, null);
          inputs.addAll(List.of("grad.x_src", "grad.x_dst"));
          xs.addAll(List.of(xSrc, xDst));
        } else {
          Tensor x = f.tensor(ctx, "x").requiresGrad(true);
          out = layer.forward(x, Graph.of(f.edges(x.dim(0))));
          inputs.add("grad.x");
          xs.add(x);
        }
        f.assertMatches("out", out.data());
        Autograd.backward(out, f.floats("r"));
        for (int i = 0; i < xs.size(); i++) f.assertMatches(inputs.get(i), xs.get(i).gradArray());
        assertEveryParameterGradient(f, layer);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lightgcn_g1", "lightgcn_g2"})
  void lightGcnMatchesPygEmbeddingAndItsGradient(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Context ctx : contexts()) {
      try (ctx) {
        int n = Integer.parseInt(f.metadata().get("num_nodes"));
        LightGcn model = new LightGcn(ctx, n, 8, 3, new SplittableRandom(0));
        f.loadInto(model);
        Tensor out = model.getEmbedding(Graph.of(f.edges(n)));
        f.assertMatches("out", out.data());
        Autograd.backward(out, f.floats("r"));
        assertEveryParameterGradient(f, model);
      }
    }
  }

  private static void assertEveryParameterGradient(PygFixture f, Module m) {
    int checked = 0;
    for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
      if (!p.getValue().requiresGrad()) continue;
      f.assertMatches("grad.param." + p.getKey(), p.getValue().gradArray());
      checked++;
    }
    long withFixture = m.namedParameters().keySet().stream()
        .filter(k -> f.has("grad.param." + k)).count();
    assertEquals(withFixture, checked, f.name() + ": trainable parameters vs PyG's gradients");
  }
}
