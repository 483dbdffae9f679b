package org.gnn4j.spark.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GraphInfoTest {
  @Test
  void roundTripsThroughItsJson() {
    GraphInfo g = new GraphInfo("cora", "node", 1433, 7, 2708, 10556, 1);
    assertEquals(g, GraphInfo.parse(g.toJson(), "graph.json"));
  }

  @Test
  void rejectsAnotherFormatAndANewerVersion() {
    assertEquals("g/graph.json: format is parquet, expected \"gnn4j-graph-tables\"",
        assertThrows(IllegalArgumentException.class, () -> GraphInfo.parse("{\"format\":\"parquet\"}",
            "g/graph.json")).getMessage());
    String newer = new GraphInfo("x", "graph", 3, 0, 1, 1, 1).toJson().replace("\"version\":1", "\"version\":9");
    assertEquals("g/graph.json: version 9 is newer than this gnn4j reads (1)",
        assertThrows(IllegalArgumentException.class, () -> GraphInfo.parse(newer, "g/graph.json")).getMessage());
    String kind = new GraphInfo("x", "graph", 3, 0, 1, 1, 1).toJson().replace("\"graph\",", "\"hyper\",");
    assertEquals("graph.json: kind 'hyper' is unknown (expected node, graph or hetero)",
        assertThrows(IllegalArgumentException.class, () -> GraphInfo.parse(kind, "g/graph.json")).getMessage());
  }
}
