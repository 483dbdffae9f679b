package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpsLayerTest {
  private static GpsLayer gps(Context ctx) {
    SplittableRandom rng = new SplittableRandom(0);
    return new GpsLayer(ctx, 16, new GinConv(ctx, new Mlp(ctx, rng, 16, 16, 16), 0f, false), 2, rng);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gps_eval_g1", "gps_eval_g2", "gps_train_g1", "gps_train_g2"})
  void matchesPygOutputGradientsAndRunningStatistics(String stem) {
    PygFixture f = PygFixture.load(stem);
    boolean training = f.metadata().get("mode").equals("train");
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        Tensor x = f.tensor(ctx, "x").requiresGrad(true);
        GpsLayer layer = gps(ctx);
        f.loadInto(layer);
        layer.train(training);
        Tensor out = layer.forward(x, Graph.fromBatchVector(f.edges(x.dim(0)), f.ints("batch")), null);
        f.assertMatches("out", out.data());
        Autograd.backward(out, f.floats("r"));
        f.assertMatches("grad.x", x.gradArray());
        int grads = 0;
        for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
          if (f.has("grad.param." + p.getKey())) {
            f.assertMatches("grad.param." + p.getKey(), p.getValue().gradArray());
            grads++;
          }
          if (training && f.has("after.param." + p.getKey())) {
            f.assertMatches("after.param." + p.getKey(), p.getValue().data());
          }
        }
        assertEquals(layer.parameters().size(), grads, stem + ": gradients compared");
      }
    }
  }

  @Test
  void rejectsBatchOfWrongLength() {
    try (Context ctx = Context.create()) {
      GpsLayer layer = gps(ctx);
      // the batch vector is now checked where the Graph is built
      org.gnn4j.graph.EdgeIndex none = org.gnn4j.graph.EdgeIndex.of(new int[0], new int[0], 3);
      var e = assertThrows(IllegalArgumentException.class, () -> layer.forward(ctx.zeros(3, 16),
          Graph.fromBatchVector(none, new int[] {0, 0}), null));
      assertTrue(e.getMessage().contains("batch has the wrong length (got 2"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> layer.forward(ctx.zeros(2, 16),
          Graph.fromBatchVector(none, new int[] {0, 0, 0}), null));
      assertTrue(e.getMessage().contains("[2, 16]") && e.getMessage().contains("[3, 16]"),
          e.getMessage());
    }
  }
}
