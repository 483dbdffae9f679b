package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.junit.jupiter.api.Test;

class HeteroDatasetTest {
  private static final Relation R = new Relation("a", "to", "b");
  private static final HeteroGraph G = HeteroGraph.builder().nodes("a", 3).nodes("b", 2)
      .edges(R, new int[] {0, 2}, new int[] {1, 1}).build();

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void tablesMustMatchTheirTypeOrRelation() {
    assertEquals("HeteroDataset: features of node type 'a' have the wrong number of rows (got 2,"
        + " expected 3)", error(() -> HeteroDataset.unlabelled("d", G,
            Map.of("a", new Table(2, 1, new float[2])), Map.of())));
    assertEquals("HeteroDataset: edge features of relation a__to__b have the wrong number of rows"
        + " (got 3, expected 2)", error(() -> HeteroDataset.unlabelled("d", G, Map.of(),
            Map.of(R, new Table(3, 1, new float[3])))));
    assertEquals("Table: data must hold rows * cols values (got 5, expected 2 * 3)",
        error(() -> new Table(2, 3, new float[5])));
    error(() -> HeteroDataset.unlabelled("d", G, Map.of("c", new Table(0, 1, new float[0])),
        Map.of()));
  }

  @Test
  void labelsAndSplitsBelongToTheTarget() {
    int[] none = new int[0];
    assertEquals("HeteroDataset: labels of target type 'b' have the wrong length (got 3,"
        + " expected 2)", error(() -> new HeteroDataset("d", G, Map.of(), Map.of(), "b", 2,
            new int[3], none, none, none)));
    assertEquals("HeteroDataset: y[1] = 2 is out of range [0, 2)", error(() -> new HeteroDataset(
        "d", G, Map.of(), Map.of(), "b", 2, new int[] {0, 2}, none, none, none)));
    assertEquals("HeteroDataset: node 1 is in train and test (splits must not overlap)",
        error(() -> new HeteroDataset("d", G, Map.of(), Map.of(), "b", 2, new int[2],
            new int[] {1}, none, new int[] {1})));
    assertEquals("HeteroDataset: labels or splits need a target node type (got target null)",
        error(() -> new HeteroDataset("d", G, Map.of(), Map.of(), null, 0, new int[2], none,
            none, none)));
    HeteroDataset ok = new HeteroDataset("d", G, Map.of("b", new Table(2, 0, new float[0])),
        Map.of(), "b", 2, new int[] {1, 0}, new int[] {0}, new int[] {1}, none);
    assertEquals(0, ok.numFeatures("b"));
    assertEquals(0, ok.numFeatures("a"));
  }
}
