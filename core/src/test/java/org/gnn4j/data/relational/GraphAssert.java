package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gnn4j.graph.Relation;

/** Asserts two relational graphs are identical: types, counts, edges, features, times. */
final class GraphAssert {
  private GraphAssert() {}

  static void same(RelationalGraph a, RelationalGraph b) {
    var ga = a.data().graph();
    var gb = b.data().graph();
    assertEquals(ga.nodeTypes(), gb.nodeTypes());
    assertEquals(ga.relations(), gb.relations());
    for (String t : ga.nodeTypes()) {
      assertEquals(ga.numNodes(t), gb.numNodes(t), t);
      assertEquals(a.data().numFeatures(t), b.data().numFeatures(t), t);
      if (a.data().x().containsKey(t)) assertArrayEquals(a.data().x().get(t).data(), b.data().x().get(t).data(), t);
      if (a.time(t) != null) assertArrayEquals(a.time(t), b.time(t), t);
    }
    for (Relation r : ga.relations()) {
      assertArrayEquals(ga.edges(r).src(), gb.edges(r).src(), r.toString());
      assertArrayEquals(ga.edges(r).dst(), gb.edges(r).dst(), r.toString());
    }
    assertEquals(a.featureNames(), b.featureNames());
  }
}
