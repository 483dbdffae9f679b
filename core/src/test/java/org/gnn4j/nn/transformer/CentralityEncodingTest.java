package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class CentralityEncodingTest {
  @Test
  void degreeIdsAreCappedAndCountEveryEdge() {
    // 0->1, 0->2, 0->3, 1->0, 2->0 twice (duplicate), 3->3 (self-loop)
    EdgeIndex e = EdgeIndex.of(new int[] {0, 0, 0, 1, 2, 2, 3}, new int[] {1, 2, 3, 0, 0, 0, 3}, 5);
    assertArrayEquals(new int[] {3, 1, 1, 2, 0}, CentralityEncoding.inDegreeIds(e, 10));
    assertArrayEquals(new int[] {2, 1, 1, 2, 0}, CentralityEncoding.inDegreeIds(e, 2));
    assertArrayEquals(new int[] {3, 1, 2, 1, 0}, CentralityEncoding.outDegreeIds(e, 10));
    var ex = assertThrows(IllegalArgumentException.class,
        () -> CentralityEncoding.inDegreeIds(e, -1));
    assertTrue(ex.getMessage().contains("maxDegree must be >= 0"), ex.getMessage());
  }

  @Test
  void addsTheTwoTableRowsToTheFeatures() {
    EdgeIndex e = EdgeIndex.of(new int[] {0, 0, 1}, new int[] {1, 2, 2}, 3);
    try (Context ctx = Contexts.scalar(1)) {
      CentralityEncoding enc = new CentralityEncoding(ctx, 1, 4, new SplittableRandom(1));
      Tensor x = ctx.randn(new SplittableRandom(2), 3, 4).requiresGrad(true);
      Tensor out = enc.forward(x, Graph.of(e));
      Tensor zin = enc.namedParameters().get("z_in");
      Tensor zout = enc.namedParameters().get("z_out");
      // node 2: in-degree 2 capped to 1, out-degree 0
      for (int c = 0; c < 4; c++) {
        assertEquals(x.get(2, c) + zin.get(1, c) + zout.get(0, c), out.get(2, c), 1e-6);
      }
      GradCheck.defaults().check("centrality", 3, in -> enc.forward(x, Graph.of(e)), x, zin, zout);
    }
  }
}
