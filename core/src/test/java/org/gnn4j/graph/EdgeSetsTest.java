package org.gnn4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgeSetsTest {
  private static Set<Long> pairs(EdgeIndex e) {
    Set<Long> s = new HashSet<>();
    for (int k = 0; k < e.numEdges(); k++) s.add((long) e.src()[k] << 32 | e.dst()[k]);
    return s;
  }

  @Test
  void completeHasEveryPairOnce() {
    assertEquals(25, pairs(EdgeSets.complete(5, true)).size());
    assertEquals(25, EdgeSets.complete(5, true).numEdges());
    EdgeIndex noLoops = EdgeSets.complete(5, false);
    assertEquals(20, noLoops.numEdges());
    for (int k = 0; k < 20; k++) assertTrue(noLoops.src()[k] != noLoops.dst()[k]);
    assertEquals(0, EdgeSets.complete(0, true).numEdges());
  }

  @Test
  void causalOnlyLooksBack() {
    EdgeIndex c = EdgeSets.causal(6);
    assertEquals(21, c.numEdges());
    for (int k = 0; k < c.numEdges(); k++) assertTrue(c.src()[k] <= c.dst()[k]);
  }

  @Test
  void withinGraphsConnectsOnlyNodesOfTheSameGraph() {
    int[] batch = {0, 0, 0, 1, 2, 2};
    EdgeIndex e = EdgeSets.withinGraphs(batch);
    assertEquals(9 + 1 + 4, e.numEdges());
    for (int k = 0; k < e.numEdges(); k++) assertEquals(batch[e.src()[k]], batch[e.dst()[k]]);
  }

  @Test
  void rejectsNegativeSizesAndUnsortedBatch() {
    assertThrows(IllegalArgumentException.class, () -> EdgeSets.complete(-1, true));
    var e = assertThrows(IllegalArgumentException.class,
        () -> EdgeSets.withinGraphs(new int[] {0, 1, 0}));
    assertTrue(e.getMessage().contains("sorted"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EdgeSets.complete(100_000, true));
  }
}
