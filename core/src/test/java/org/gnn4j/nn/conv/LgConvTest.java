package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.ops.Sddmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/** LgConv and LightGcn beyond the PyG fixtures: input checks and the link-score forward. */
class LgConvTest {
  @Test
  void rejectsBipartiteGraphAndWrongRowCount() {
    try (Context ctx = Contexts.scalar(1)) {
      LgConv l = new LgConv();
      Graph bip = Graph.bipartite(EdgeIndex.bipartite(new int[] {0}, new int[] {1}, 3, 2));
      var ex = assertThrows(IllegalArgumentException.class, () -> l.forward(ctx.zeros(3, 4), bip));
      assertEquals("LgConv: needs one node set (got a bipartite EdgeIndex[E=1, nodes=3->2],"
          + " expected as many sources as targets)", ex.getMessage());
      Graph g = Graph.of(new int[] {0, 1}, new int[] {1, 2}, 3);
      ex = assertThrows(IllegalArgumentException.class, () -> l.forward(ctx.zeros(4, 4), g));
      assertEquals("LgConv: x has shape [4, 4], expected [3, F] for a graph of 3 nodes",
          ex.getMessage());
    }
  }

  @Test
  void dropsMessagesFromNodesWithoutInEdges() {
    try (Context ctx = Contexts.scalar(1)) {
      // 0 -> 1, 1 -> 2, 2 -> 1: node 0 has no in-edges, so its message to 1 has weight 0
      Graph g = Graph.of(new int[] {0, 1, 2}, new int[] {1, 2, 1}, 3);
      Tensor out = new LgConv().forward(ctx.tensor(new float[] {5, 1, 2}, 3, 1), g);
      // deg = [0, 2, 1]: out_1 = x_2 / sqrt(1 * 2), out_2 = x_1 / sqrt(2 * 1)
      OpAssert.assertClose("lgconv", new float[] {0, (float) (2 / Math.sqrt(2)),
          (float) (1 / Math.sqrt(2))}, out.data(), 1e-6, 1e-6);
    }
  }

  @Test
  void lightGcnScoresPairsByDotProductAndChecksNodeCount() {
    try (Context ctx = Contexts.vector(2)) {
      LightGcn m = new LightGcn(ctx, 4, 3, 2, new SplittableRandom(3));
      Graph g = Graph.of(new int[] {0, 1, 2, 3, 1}, new int[] {1, 0, 3, 2, 2}, 4);
      EdgeIndex pairs = EdgeIndex.of(new int[] {0, 2}, new int[] {3, 1}, 4);
      Tensor e = m.getEmbedding(g);
      OpAssert.assertClose("scores", Sddmm.dot(pairs, e, e).data(), m.forward(g, pairs).data(),
          0, 0);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> m.getEmbedding(Graph.of(new int[] {0}, new int[] {1}, 5)));
      assertEquals("LightGcn: the graph must have the model's nodes (got EdgeIndex[E=1, nodes=5],"
          + " expected one node set of 4 nodes)", ex.getMessage());
    }
  }
}
