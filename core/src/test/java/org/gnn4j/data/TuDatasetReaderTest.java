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

  /** Writes {@code d} as TU raw files with shifted labels, as the TU collection stores them. */
  private static void writeTu(GraphDataset d, Path dir, String ds, int[] rawClass, int labelShift)
      throws IOException {
    StringBuilder a = new StringBuilder();
    StringBuilder el = new StringBuilder();
    StringBuilder ind = new StringBuilder();
    StringBuilder nl = new StringBuilder();
    StringBuilder at = new StringBuilder();
    StringBuilder gl = new StringBuilder();
    for (int g = 0; g < d.numGraphs(); g++) {
      int v0 = d.nodeStart()[g];
      gl.append(rawClass[d.y()[g]]).append('\n');
      for (int v = v0; v < d.nodeStart()[g + 1]; v++) {
        ind.append(g + 1).append('\n');
        nl.append(d.nodeLabels()[v] + labelShift).append('\n');
        for (int c = 0; c < d.numNodeAttributes(); c++) {
          at.append(c == 0 ? "" : ", ").append(d.nodeAttr()[v * d.numNodeAttributes() + c]);
        }
        at.append('\n');
      }
      for (int e = d.edgeStart()[g]; e < d.edgeStart()[g + 1]; e++) {
        a.append(v0 + d.src()[e] + 1).append(", ").append(v0 + d.dst()[e] + 1).append('\n');
        if (d.edgeLabels() != null) el.append(d.edgeLabels()[e]).append('\n');
      }
    }
    Files.writeString(dir.resolve(ds + "_A.txt"), a);
    Files.writeString(dir.resolve(ds + "_graph_indicator.txt"), ind);
    Files.writeString(dir.resolve(ds + "_graph_labels.txt"), gl);
    Files.writeString(dir.resolve(ds + "_node_labels.txt"), nl);
    if (d.edgeLabels() != null) Files.writeString(dir.resolve(ds + "_edge_labels.txt"), el);
    if (d.nodeAttr() != null) Files.writeString(dir.resolve(ds + "_node_attributes.txt"), at);
  }

  private static void assertSameGraphs(GraphDataset want, GraphDataset got) {
    assertArrayEquals(want.nodeStart(), got.nodeStart());
    assertArrayEquals(want.edgeStart(), got.edgeStart());
    assertArrayEquals(want.src(), got.src());
    assertArrayEquals(want.dst(), got.dst());
    assertArrayEquals(want.nodeLabels(), got.nodeLabels());
    assertEquals(want.numNodeLabels(), got.numNodeLabels());
    assertArrayEquals(want.edgeLabels(), got.edgeLabels());
    assertArrayEquals(want.nodeAttr(), got.nodeAttr());
    assertArrayEquals(want.y(), got.y());
    assertEquals(want.numClasses(), got.numClasses());
  }

  @Test
  void mutagAndEnzymesAsTuRawFilesReadBackToTheEmbeddedCopies(@TempDir Path dir)
      throws IOException {
    GraphDataset mutag = GraphDatasetReader.mutag();
    Path m = Files.createDirectory(dir.resolve("mutag"));
    writeTu(mutag, m, "MUTAG", new int[] {-1, 1}, 0);
    assertSameGraphs(mutag, TuDatasetReader.fromDirectory(m));
    GraphDataset enzymes = GraphDatasetReader.enzymes();
    Path e = Files.createDirectory(dir.resolve("enzymes"));
    writeTu(enzymes, e, "ENZYMES", new int[] {1, 2, 3, 4, 5, 6}, 1);
    assertSameGraphs(enzymes, TuDatasetReader.fromDirectory(e));
  }
}
