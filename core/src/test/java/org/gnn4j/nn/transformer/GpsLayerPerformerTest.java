package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GPS with {@code attn_type='performer'} against PyG 2.6.1 (fixtures written by
 * {@code fixtures/pyg/gps_performer_fixture.py}): the PyG state_dict, projection included,
 * loads by name; output, every gradient and the batch-norm running statistics match, for one
 * graph and for two graphs of different sizes (PyG's padding rows in the denominator).
 */
class GpsLayerPerformerTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gps_performer_train_g1", "gps_performer_train_g2"})
  void matchesPygOutputGradientsAndRunningStatistics(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        SplittableRandom rng = new SplittableRandom(0);
        GpsLayer layer = new GpsLayer(ctx, 16,
            new GinConv(ctx, new Mlp(ctx, rng, 16, 16, 16), 0f, false), 2,
            GpsLayer.AttnType.PERFORMER, rng);
        f.loadInto(layer);
        layer.train(true);
        Tensor x = f.tensor(ctx, "x").requiresGrad(true);
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
          if (f.has("after.param." + p.getKey())) {
            f.assertMatches("after.param." + p.getKey(), p.getValue().data());
          }
        }
        assertEquals(layer.parameters().size(), grads, stem + ": gradients compared");
      }
    }
  }
}
