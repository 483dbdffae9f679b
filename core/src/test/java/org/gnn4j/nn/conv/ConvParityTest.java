package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message-passing layer against PyG 2.6.1 on the shared fixtures (g1: random graph; g2:
 * two components, isolated nodes, duplicate edges, self-loops): output, d/dx, d/d edge_attr and
 * the gradient of every parameter, at atol 1e-5 / rtol 1e-4, on both kernel sets.
 */
class ConvParityTest {
  /** A layer under test: its module and its forward on the fixture's inputs. */
  private record Built(Module module, Function<Inputs, Tensor> forward) {}

  private record Inputs(Tensor x, Graph edges, Tensor edgeAttr) {}

  private static Built build(Context ctx, String stem) {
    SplittableRandom rng = new SplittableRandom(0);
    String kind = stem.substring(0, stem.lastIndexOf('_'));
    switch (kind) {
      case "gin", "gin_train_eps" -> {
        GinConv l = new GinConv(ctx, new Mlp(ctx, rng, 16, 8, 8), kind.equals("gin") ? 0f : 0.25f,
            kind.equals("gin_train_eps"));
        return new Built(l, in -> l.forward(in.x(), in.edges()));
      }
      case "gine" -> {
        GineConv l = new GineConv(ctx, new Mlp(ctx, rng, 16, 8, 8), 0f, false, 4, rng);
        return new Built(l, in -> l.forward(in.x(), in.edges(), in.edgeAttr()));
      }
      case "gat" -> {
        GatConv l = new GatConv(ctx, GatConv.Config.of(16, 4, 2), rng);
        return new Built(l, in -> l.forward(in.x(), in.edges()));
      }
      case "gatv2" -> {
        GatV2Conv l = new GatV2Conv(ctx, GatConv.Config.of(16, 4, 2), rng);
        return new Built(l, in -> l.forward(in.x(), in.edges()));
      }
      case "transformer_edge" -> {
        TransformerConv l = new TransformerConv(ctx, TransformerConv.Config.of(16, 4, 2).withEdgeDim(4), rng);
        return new Built(l, in -> l.forward(in.x(), in.edges(), in.edgeAttr()));
      }
      case "transformer_mean" -> {
        TransformerConv l = new TransformerConv(ctx, TransformerConv.Config.of(16, 4, 2).withConcat(false), rng);
        return new Built(l, in -> l.forward(in.x(), in.edges()));
      }
      case "resgated", "resgated_edge" -> {
        ResGatedGraphConv l = new ResGatedGraphConv(ctx, 16, 8, kind.equals("resgated") ? 0 : 4,
            true, true, rng);
        return new Built(l, in -> l.forward(in.x(), in.edges(), in.edgeAttr()));
      }
      default -> throw new IllegalArgumentException(stem);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gin_g1", "gin_g2", "gin_train_eps_g1", "gin_train_eps_g2", "gine_g1",
      "gine_g2", "gat_g1", "gat_g2", "gatv2_g1", "gatv2_g2", "transformer_edge_g1",
      "transformer_edge_g2", "transformer_mean_g1", "transformer_mean_g2", "resgated_g1",
      "resgated_g2", "resgated_edge_g1", "resgated_edge_g2"})
  void matchesPygOutputAndEveryGradient(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        Tensor x = f.tensor(ctx, "x").requiresGrad(true);
        Tensor edgeAttr = f.has("edge_attr") ? f.tensor(ctx, "edge_attr").requiresGrad(true) : null;
        Built b = build(ctx, stem);
        f.loadInto(b.module());
        Tensor out = b.forward().apply(new Inputs(x, Graph.of(f.edges(x.dim(0))), edgeAttr));
        f.assertMatches("out", out.data());
        Autograd.backward(out, f.floats("r"));
        f.assertMatches("grad.x", x.gradArray());
        if (edgeAttr != null) f.assertMatches("grad.edge_attr", edgeAttr.gradArray());
        int checked = 0;
        for (Map.Entry<String, Tensor> p : b.module().namedParameters().entrySet()) {
          if (!f.has("grad.param." + p.getKey())) continue;
          assertTrue(p.getValue().requiresGrad(), stem + ": " + p.getKey() + " should be trainable");
          f.assertMatches("grad.param." + p.getKey(), p.getValue().gradArray());
          checked++;
        }
        assertTrue(checked == b.module().parameters().size(), stem + ": checked " + checked
            + " gradients, module has " + b.module().parameters().size() + " parameters");
      }
    }
  }
}
