package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class ResGatedGraphConvTest {
  @Test
  void missingOrMisshapedEdgeFeaturesAreNamed() {
    Graph g = Graph.of(RandomGraphs.uniform(5, 9, 2));
    try (Context ctx = Context.create()) {
      ResGatedGraphConv l = new ResGatedGraphConv(ctx, 4, 3, 2, true, true, new SplittableRandom(1));
      var none = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(5, 4), g, null));
      assertTrue(none.getMessage().startsWith("ResGatedGraphConv: edge features are required"
          + " (edgeDim = 2)"), none.getMessage());
      var shape = assertThrows(IllegalArgumentException.class,
          () -> l.forward(ctx.zeros(5, 4), g, ctx.zeros(9, 3)));
      assertTrue(shape.getMessage().contains("edgeAttr has shape [9, 3], expected [9, 2]"),
          shape.getMessage());
    }
  }
}
