package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JIT warm-up runs every dense step of the block engine's models on its synthetic block. */
class JitWarmUpTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "layer: sage, layers: 2, hidden: 8, head: {type: conv}",
      "layer: gcn, layers: 3, hidden: 8, encoder: {node: linear}, residual: true, norm: batch",
      "layer: gin, layers: 2, hidden: 8, residual: true",
      "layer: gps_gin, attn_type: performer, layers: 2, hidden: 16, heads: 2, encoder: {node: linear}"})
  void runsEveryPassItIsGiven(String body) {
    assertEquals(3, JitWarmUp.run(plan(body, new GraphModel.DataShape(6, 0, 0, 0, 3, false)), 37, 3, Long.MAX_VALUE), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "layer: gine, layers: 2, hidden: 8, encoder: {node: linear, edge: linear}",
      "layer: rgcn, layers: 2, hidden: 8, num_bases: 2",
      "layer: graphconv, layers: 2, hidden: 4, head: {type: conv}"})
  void runsModelsOfEdgeFeaturesAndRelations(String body) {
    assertEquals(2, JitWarmUp.run(plan(body, new GraphModel.DataShape(6, 0, 2, 3, 3, false)), 37, 2, Long.MAX_VALUE), body);
  }

  private static ModelPlan plan(String body, GraphModel.DataShape shape) {
    try (Context ctx = Context.builder().threads(1).build()) {
      ModelSpec spec = ModelSpec.from(ConfigNode.parse("model: {" + body + "}", "test").section("model"));
      GraphModel m = new GraphModel(ctx, spec, shape, new SplittableRandom(1));
      m.train(false);
      return ModelPlan.of(m);
    }
  }
}
