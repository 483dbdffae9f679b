package org.gnn4j.nn.gn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.pool.Aggregation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The GN block as a stackable layer: residual streams, gradients, zero globals, errors. */
class GnLayerTest {
  private static final Graph GRAPH = Graph.batched(EdgeIndex.of(new int[] {0, 1, 2, 3, 4},
      new int[] {1, 2, 0, 4, 3}, 5), 3, 2);

  @Test
  void residualAddsEachUpdateToItsStream() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(3);
      GnLayer plain = new GnLayer(ctx, 4, 6, Aggregation.MEAN, false, new SplittableRandom(1));
      GnLayer res = new GnLayer(ctx, 4, 6, Aggregation.MEAN, true, new SplittableRandom(1));
      GraphsTuple in = new GraphsTuple(ctx.randn(r, 5, 4), ctx.randn(r, 5, 4), ctx.randn(r, 2, 4), GRAPH);
      GraphsTuple a = plain.forward(in);
      GraphsTuple b = res.forward(in);
      for (int i = 0; i < 5; i++) {
        for (int c = 0; c < 4; c++) {
          assertEquals(a.nodes().get(i, c) + in.nodes().get(i, c), b.nodes().get(i, c), 1e-6);
          assertEquals(a.edges().get(i, c) + in.edges().get(i, c), b.edges().get(i, c), 1e-6);
        }
      }
      assertEquals(a.globals().get(1, 2) + in.globals().get(1, 2), b.globals().get(1, 2), 1e-6);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(5);
      GnLayer layer = new GnLayer(ctx, 3, 4, Aggregation.SUM, true, new SplittableRandom(2));
      Tensor x = ctx.randn(r, 5, 3).requiresGrad(true);
      Tensor e = ctx.randn(r, 5, 3).requiresGrad(true);
      Tensor u = ctx.randn(r, 2, 3).requiresGrad(true);
      Tensor[] all = new Tensor[3 + layer.parameters().size()];
      all[0] = x;
      all[1] = e;
      all[2] = u;
      for (int i = 0; i < layer.parameters().size(); i++) all[3 + i] = layer.parameters().get(i);
      GradCheck.defaults().check("GnLayer", 5, t -> {
        GraphsTuple o = layer.forward(new GraphsTuple(x, e, u, GRAPH));
        return org.gnn4j.ops.Concat.concat(0, o.nodes(), o.edges(), o.globals());
      }, all);
    }
  }

  @Test
  void graphLayerFormStartsFromZeroGlobalsAndNeedsEdges() {
    try (Context ctx = Contexts.scalar(1)) {
      SplittableRandom r = new SplittableRandom(7);
      GnLayer layer = new GnLayer(ctx, 3, 4, Aggregation.MAX, true, new SplittableRandom(2));
      Tensor x = ctx.randn(r, 5, 3);
      Tensor e = ctx.randn(r, 5, 3);
      GraphsTuple o = layer.forward(new GraphsTuple(x, e, ctx.zeros(2, 3), GRAPH));
      assertEquals(o.nodes().get(4, 1), layer.forward(x, GRAPH, e).get(4, 1), 0);
      var ex = assertThrows(IllegalArgumentException.class, () -> layer.forward(x, GRAPH, null));
      assertTrue(ex.getMessage().contains("edge features are required"), ex.getMessage());
    }
  }
}
