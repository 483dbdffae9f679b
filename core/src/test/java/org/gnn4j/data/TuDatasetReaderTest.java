package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuDatasetReaderTest {
  /** Graph 1 = nodes 1..3 with a self-loop and a duplicate edge; graph 2 = nodes 4..5. */
  private static Path tiny(Path dir) throws IOException {
    Files.writeString(dir.resolve("TOY_A.txt"),
        "2, 1\n1, 2\n2, 3\n3, 2\n3, 3\n1, 2\n4, 5\n5, 4\n");
    Files.writeString(dir.resolve("TOY_graph_indicator.txt"), "1\n1\n1\n2\n2\n");
    Files.writeString(dir.resolve("TOY_graph_labels.txt"), "1\n-1\n");
    Files.writeString(dir.resolve("TOY_node_labels.txt"), "1\n2\n3\n3\n1\n");
    Files.writeString(dir.resolve("TOY_edge_labels.txt"), "5\n6\n7\n7\n9\n8\n5\n5\n");
    Files.writeString(dir.resolve("TOY_node_attributes.txt"),
        "0.1, 1\n0.2, 2\n0.3, 3\n0.4, 4\n0.5, 5\n");
    return dir;
  }

  @Test
  void followsPygReadTuData(@TempDir Path dir) throws IOException {
    GraphDataset d = TuDatasetReader.fromDirectory(tiny(dir));
    assertEquals("TOY", d.name());
    assertArrayEquals(new int[] {0, 3, 5}, d.nodeStart());
    // self-loop 3-3 dropped, duplicate 1->2 merged (first label kept), sorted by (src, dst)
    assertArrayEquals(new int[] {0, 4, 6}, d.edgeStart());
    assertArrayEquals(new int[] {0, 1, 1, 2, 0, 1}, d.src());
    assertArrayEquals(new int[] {1, 0, 2, 1, 1, 0}, d.dst());
    assertArrayEquals(new int[] {1, 0, 2, 2, 0, 0}, d.edgeLabels()); // labels 5..9 shifted by 5
    assertEquals(5, d.numEdgeLabels());
    assertArrayEquals(new int[] {0, 1, 2, 2, 0}, d.nodeLabels());
    assertEquals(3, d.numNodeLabels());
    assertArrayEquals(new int[] {1, 0}, d.y()); // rank of -1, 1
    assertEquals(2, d.numClasses());
    assertEquals(2, d.numNodeAttributes());
    assertEquals(0.4f, d.nodeAttr()[6]);
  }

  @Test
  void edgeAcrossGraphsIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(tiny(dir).resolve("TOY_A.txt"), "1, 2\n3, 4\n");
    var e = assertThrows(DataFormatException.class, () -> TuDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("TOY_A.txt:2: edge joins node 3 of graph 1 and node 4 of"
        + " graph 2"), e.getMessage());
  }

  @Test
  void badIndicatorIdsAndLinesAreNamed(@TempDir Path dir) throws IOException {
    Files.writeString(tiny(dir).resolve("TOY_graph_indicator.txt"), "1\n2\n1\n2\n2\n");
    var e = assertThrows(DataFormatException.class, () -> TuDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("TOY_graph_indicator.txt:3: graph id 1 breaks the order"),
        e.getMessage());
    Files.writeString(dir.resolve("TOY_graph_indicator.txt"), "1\n1\n1\n2\n2\n");
    Files.writeString(dir.resolve("TOY_A.txt"), "1, 6\n");
    e = assertThrows(DataFormatException.class, () -> TuDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("TOY_A.txt:1: target node id (1-based) 6 is out of range"
        + " [1, 6)"), e.getMessage());
    Files.writeString(dir.resolve("TOY_A.txt"), "1, 2\n");
    e = assertThrows(DataFormatException.class, () -> TuDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("TOY_edge_labels.txt:2: more lines than expected: expected 1"),
        e.getMessage());
    Files.delete(dir.resolve("TOY_edge_labels.txt"));
    Files.writeString(dir.resolve("TOY_graph_labels.txt"), "1\n");
    e = assertThrows(DataFormatException.class, () -> TuDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("TOY_graph_labels.txt:1: missing lines: found 1, expected 2"),
        e.getMessage());
  }
}
