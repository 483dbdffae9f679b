package org.gnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The graph token / virtual node: its structure, and that a graph readout reads it. */
class GraphTokensTest {
  // graph 0: 0 - 1 - 2 (both directions); graph 1: 3 -> 4
  private static final Graph BATCH = Graph.batched(EdgeIndex.of(new int[] {0, 1, 1, 2, 3},
      new int[] {1, 0, 2, 1, 4}, 5), 3, 2);

  @Test
  void eachGraphGetsATokenFirstJoinedToAndFromEveryNode() {
    GraphTokens t = GraphTokens.of(BATCH);
    assertArrayEquals(new int[] {0, 4}, t.tokenRows());
    assertArrayEquals(new int[] {1, 2, 3, 5, 6}, t.nodeRows());
    assertArrayEquals(new int[] {5, 0, 1, 2, 6, 3, 4}, t.order());
    assertArrayEquals(new int[] {4, 3}, t.graph().nodesPerGraph());
    assertEquals(5 + 10, t.graph().numEdges());
    assertEquals(10, t.tokenEdges());
    // original edges first, remapped; then node -> token, token -> node per node
    assertArrayEquals(new int[] {1, 2, 2, 3, 5, 1, 0, 2, 0, 3, 0, 5, 4, 6, 4},
        t.graph().edges().src());
    assertArrayEquals(new int[] {2, 1, 3, 2, 6, 0, 1, 0, 2, 0, 3, 4, 5, 4, 6},
        t.graph().edges().dst());
    assertEquals(5, t.structure().numEdges());
    assertArrayEquals(new int[] {1, 2, 2, 3, 5}, t.structure().edges().src());
  }

  private static final GraphModel.DataShape SHAPE = new GraphModel.DataShape(0, 4, 0, 2, 1, true);

  private static ModelInput input(int[] types) {
    return new ModelInput(null, types, BATCH, null, new int[] {0, 1, 1, 0, 1}, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "layer: gine\nlayers: 2\ngraph_token: true\npooling: token",
      "layer: gcn\nlayers: 1\ngraph_token: true\npooling: token",
      "layer: transformer_encoder\nlayers: 2\ngraph_token: true\npooling: token",
      "layer: graphormer\nlayers: 2\nshared_bias: true\ngraph_token: true\npooling: token",
      "layer: graph_transformer\nlayers: 2\ngraph_token: true\npooling: token",
      "layer: gps_gine\nlayers: 1\ngraph_token: true\npooling: token",
      "layer: gine\nlayers: 2\ngraph_token: true\npooling: sum"})
  void theReadoutIsPerGraphAndReachesTheToken(String layer) {
    ModelSpec spec = ModelSpec.from(ConfigNode.parse(layer + "\nhidden: 8\nheads: 2\n"
        + "encoder: {node: embedding, edge: embedding}\nhead: {type: mlp, layers: 1}\n", "m.yaml"));
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      GraphModel m = new GraphModel(ctx, spec, SHAPE, new SplittableRandom(1));
      m.train(false);
      int[] types = {0, 1, 2, 3, 0};
      Tensor out = m.forward(input(types));
      assertArrayEquals(new int[] {2, 1}, out.shape().toArray());
      // a node of graph 1 changes graph 1's output only
      int[] other = types.clone();
      other[4] = 2;
      Tensor out2 = m.forward(input(other));
      assertEquals(out.get(0, 0), out2.get(0, 0), 1e-6, layer);
      assertNotEquals(out.get(1, 0), out2.get(1, 0), layer);
      Autograd.backward(out.sum());
      Tensor token = m.namedParameters().get("graph_token");
      assertNotNull(token.grad(), layer);
      double norm = 0;
      for (float g : token.grad().data()) norm += Math.abs(g);
      assertTrue(norm > 0, layer);
    }
  }

  @Test
  void tokenPoolingReadsTheTokenRowsAndOtherPoolingsTheRealNodesOnly() {
    String base = "layer: gin\nlayers: 1\nhidden: 2\ngraph_token: true\n"
        + "encoder: {node: embedding}\npooling: ";
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      GraphTokens t = GraphTokens.of(BATCH);
      // rows: position p holds (p, 10 p)
      float[] v = new float[14];
      for (int p = 0; p < 7; p++) {
        v[2 * p] = p;
        v[2 * p + 1] = 10 * p;
      }
      Tensor h = ctx.tensor(v, 7, 2);
      ModelInput in = input(new int[] {0, 1, 2, 3, 0});
      GraphModel tok = new GraphModel(ctx, ModelSpec.from(ConfigNode.parse(base + "token", "m.yaml")),
          SHAPE, new SplittableRandom(1));
      assertArrayEquals(new float[] {0, 0, 4, 40}, tok.readout(h, in, t, null).data());
      GraphModel sum = new GraphModel(ctx, ModelSpec.from(ConfigNode.parse(base + "sum", "m.yaml")),
          SHAPE, new SplittableRandom(1));
      // graph 0: positions 1, 2, 3; graph 1: positions 5, 6 (the tokens at 0 and 4 left out)
      assertArrayEquals(new float[] {6, 60, 11, 110}, sum.readout(h, in, t, null).data());
    }
  }
}
