package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;

/** The graph token's own spatial bias: every pair with the token reads its row, others their distance's. */
class GraphormerBiasTokenTest {
  @Test
  void tokenPairsReadTheTokenRowAndOtherPairsTheirDistance() {
    // graph 0: token 0, path 1 - 2 - 3; graph 1: token 4, nodes 5 - 6 (tokens have no edges)
    Graph g = Graph.batched(EdgeIndex.of(new int[] {1, 2, 2, 3, 5, 6}, new int[] {2, 1, 3, 2, 6, 5}, 7), 4, 3);
    try (Context ctx = Contexts.scalar(1)) {
      int maxDist = 3;
      GraphormerBias bias = new GraphormerBias(ctx, maxDist, 2, 0, true, new SplittableRandom(1));
      ShortestPaths sp = g.shortestPaths(maxDist);
      Tensor b = bias.forward(sp, null, new int[] {0, 4});
      Tensor w = bias.namedParameters().get("spatial_pos_encoder.weight");
      assertEquals(maxDist + 3, w.dim(0));
      int[] src = sp.pairs().src();
      int[] dst = sp.pairs().dst();
      int tokenPairs = 0;
      for (int p = 0; p < sp.numPairs(); p++) {
        boolean token = src[p] == 0 || src[p] == 4 || dst[p] == 0 || dst[p] == 4;
        int row = token ? maxDist + 2 : sp.distances()[p];
        if (token) tokenPairs++;
        for (int h = 0; h < 2; h++) assertEquals(w.get(row, h), b.get(p, h), 0f, "pair " + p);
      }
      assertEquals(7 + 5, tokenPairs);
      // 1 -> 3 is two hops
      assertEquals(2, sp.distance(1, 3));
      var ex = assertThrows(IllegalArgumentException.class, () -> bias.forward(sp, null));
      assertTrue(ex.getMessage().contains("graph token"), ex.getMessage());
    }
  }
}
