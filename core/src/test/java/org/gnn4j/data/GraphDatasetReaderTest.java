package org.gnn4j.data;

import static org.gnn4j.data.TestFiles.gz;
import static org.gnn4j.data.TestFiles.tinyGraphs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphDatasetReaderTest {
  private static void assertStats(GraphDataset d, int graphs, int nodes, int edges, int nodeLabels,
                                  int edgeLabels, int attrs, int[] classCounts) {
    assertEquals(graphs, d.numGraphs(), d.name());
    assertEquals(nodes, d.numNodes(), d.name());
    assertEquals(edges, d.numEdges(), d.name());
    assertEquals(nodeLabels, d.numNodeLabels(), d.name());
    assertEquals(edgeLabels, d.numEdgeLabels(), d.name());
    assertEquals(attrs, d.numNodeAttributes(), d.name());
    assertArrayEquals(classCounts, d.classCounts(), d.name());
  }

  @Test
  void mutagHasTheTuStatistics() {
    GraphDataset d = GraphDatasetReader.mutag();
    assertStats(d, 188, 3371, 7442, 7, 4, 0, new int[] {63, 125});
    int[] counts = new int[7];
    for (int v : d.nodeLabels()) counts[v]++;
    assertArrayEquals(new int[] {2395, 345, 593, 12, 1, 23, 2}, counts);
    assertEquals(7, d.numNodeFeatures());
    assertEquals(0, d.train().length);
    assertEquals(17, d.numNodes(0));
    assertEquals(38, d.numEdges(0));
  }

  @Test
  void proteinsAndEnzymesHaveTheTuStatistics() {
    GraphDataset p = GraphDatasetReader.proteins();
    assertStats(p, 1113, 43471, 162088, 3, 0, 1, new int[] {663, 450});
    assertEquals(4, p.numNodeFeatures());
    assertNull(p.edgeLabels());
    GraphDataset e = GraphDatasetReader.enzymes();
    assertStats(e, 600, 19580, 74564, 3, 0, 18, new int[] {100, 100, 100, 100, 100, 100});
    assertEquals(21, e.numNodeFeatures());
    float[] row = new float[21];
    e.nodeFeatures(0, 1, row, 0);
    assertEquals(11f, row[0]); // first attribute of node 0 (node_attr.csv.gz line 1)
    assertEquals(15.887014f, row[1]);
    assertEquals(1f, row[18] + row[19] + row[20]);
  }

  @Test
  void zincSubsetIsARegressionWithTheBenchmarkSplit() {
    GraphDataset z = GraphDatasetReader.zincSubset();
    assertStats(z, 12000, 278120, 598228, 28, 4, 0, new int[0]);
    assertTrue(z.isRegression());
    assertEquals(10000, z.train().length);
    assertEquals(1000, z.val().length);
    assertEquals(1000, z.test().length);
    assertEquals(10000, z.val()[0]);
    double mean = 0;
    for (int g : z.train()) mean += z.target()[g];
    assertEquals(-0.0044, mean / 10000, 1e-4);
  }

  @Test
  void readsAUserDirectoryAndInfersCounts(@TempDir Path dir) throws IOException {
    GraphDataset d = GraphDatasetReader.fromDirectory(tinyGraphs(dir));
    assertStats(d, 3, 6, 6, 2, 2, 2, new int[] {1, 2});
    assertArrayEquals(new int[] {0, 3, 5, 6}, d.nodeStart());
    assertArrayEquals(new int[] {0, 4, 6, 6}, d.edgeStart());
    float[] x = new float[6 * 4];
    d.nodeFeatures(0, 6, x, 0);
    assertArrayEquals(new float[] {0.5f, 1, 1, 0, 1.5f, 2, 0, 1}, java.util.Arrays.copyOf(x, 8));
    assertEquals(2, d.edgeIndex(1).numEdges());
  }

  @Test
  void localEdgeIdOutsideItsGraphIsNamed(@TempDir Path dir) throws IOException {
    gz(tinyGraphs(dir).resolve("edge_index.tsv.gz"), "0\t1\n1\t0\n1\t2\n2\t1\n0\t2\n1\t0\n");
    var e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("edge_index.tsv.gz:5: target node id 2 is out of range"
        + " [0, 2) (graph 1 has 2 nodes"), e.getMessage());
  }

  @Test
  void shortAndLongFilesAreNamed(@TempDir Path dir) throws IOException {
    gz(tinyGraphs(dir).resolve("y.tsv.gz"), "0\n1\n");
    var e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("y.tsv.gz:2: missing lines: found 2, expected 3 (one per"
        + " graph)"), e.getMessage());
    gz(dir.resolve("y.tsv.gz"), "0\n1\n1\n");
    gz(dir.resolve("edge_index.tsv.gz"), "0\t1\n1\t0\n1\t2\n2\t1\n0\t1\n");
    e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("missing edges: found 5, expected 6"), e.getMessage());
  }

  @Test
  void badAttributeRowsAreNamed(@TempDir Path dir) throws IOException {
    gz(tinyGraphs(dir).resolve("node_attr.csv.gz"), "0.5,1\n1.5,2\n2.5\n3.5,4\n4.5,5\n5.5,6\n");
    var e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("node_attr.csv.gz:3: expected 2 ','-separated columns,"
        + " found 1"), e.getMessage());
    gz(dir.resolve("node_attr.csv.gz"), "0.5,1\n1.5,2\n2.5,abc\n3.5,4\n4.5,5\n5.5,6\n");
    e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("node_attr.csv.gz:3: column 2 is not a number (got 'abc')"),
        e.getMessage());
  }

  @Test
  void labelOutsideMetaCountAndOverlappingSplitsAreRejected(@TempDir Path dir) throws IOException {
    Files.writeString(tinyGraphs(dir).resolve("meta.json"), "{\"num_node_labels\": 1}");
    var e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("node_labels.tsv.gz:2: node label 1 is out of range [0, 1)"),
        e.getMessage());
    Files.writeString(dir.resolve("meta.json"), "{}");
    Files.writeString(dir.resolve("train.txt"), "0\n1\n");
    Files.writeString(dir.resolve("val.txt"), "2\n1\n");
    e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("val.txt:2: graph 1 is also in train.txt"), e.getMessage());
  }

  @Test
  void aMisspeltOrContradictingKindIsRefusedAtItsLine(@TempDir Path dir) throws IOException {
    tinyGraphs(dir);
    Files.writeString(dir.resolve("meta.json"), "{\n  \"kind\": \"graph_regresion\"\n}");
    var e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("meta.json:2: kind 'graph_regresion' is not one of"),
        e.getMessage());
    Files.writeString(dir.resolve("meta.json"), "{\n  \"kind\": \"node_classification\"\n}");
    e = assertThrows(DataFormatException.class, () -> GraphDatasetReader.fromDirectory(dir));
    assertTrue(e.getMessage().contains("meta.json:2: kind 'node_classification' does not match the"
        + " files, which are in the graph dataset format"), e.getMessage());
  }
}
