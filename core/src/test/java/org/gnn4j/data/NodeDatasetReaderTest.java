package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.gnn4j.io.Gnn4jConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeDatasetReaderTest {
  @Test
  void embeddedCoraHasThePlanetoidStatistics() {
    NodeDataset cora = NodeDatasetReader.cora();
    assertEquals(2708, cora.numNodes());
    assertEquals(10556, cora.edges().numEdges());
    assertEquals(1433, cora.numFeatures());
    assertEquals(7, cora.numClasses());
    assertEquals(140, cora.train().length);
    assertEquals(500, cora.val().length);
    assertEquals(1000, cora.test().length);
    double nnz = 0;
    for (float v : cora.x()) nnz += v;
    assertEquals(49216, nnz);
    int[] counts = new int[7];
    for (int c : cora.y()) counts[c]++;
    assertArrayEquals(new int[] {351, 217, 418, 818, 426, 298, 180}, counts);
  }

  private static void gz(Path file, String text) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Path tiny(Path dir) throws IOException {
    Files.writeString(dir.resolve("meta.json"),
        "{\"num_nodes\": 3, \"num_features\": 2, \"num_classes\": 2}");
    gz(dir.resolve("edge_index.tsv.gz"), "0\t1\n1\t0\n1\t2\n");
    gz(dir.resolve("x_sparse.tsv.gz"), "0\t1\n2\t0\n");
    gz(dir.resolve("y.tsv.gz"), "0\n1\n1\n");
    Files.writeString(dir.resolve("train.txt"), "0\n");
    Files.writeString(dir.resolve("test.txt"), "2\n");
    return dir;
  }

  @Test
  void readsEdgeRelationsAndNamesAnOutOfRangeOne(@TempDir Path dir) throws IOException {
    tiny(dir);
    assertNull(NodeDatasetReader.read("tiny", DataSource.directory(dir)).edgeType());
    gz(dir.resolve("edge_type.tsv.gz"), "1\n0\n1\n");
    var e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("num_relations is missing"), e.getMessage());
    Files.writeString(dir.resolve("meta.json"),
        "{\"num_nodes\": 3, \"num_features\": 2, \"num_classes\": 2, \"num_relations\": 2}");
    NodeDataset d = NodeDatasetReader.read("tiny", DataSource.directory(dir));
    assertArrayEquals(new int[] {1, 0, 1}, d.edgeType());
    assertEquals(2, d.numRelations());
    assertArrayEquals(d.edgeType(), d.withRowNormalizedFeatures().edgeType());
    gz(dir.resolve("edge_type.tsv.gz"), "1\n2\n1\n");
    e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("edge_type.tsv.gz:2: relation id 2 is out of range [0, 2)"),
        e.getMessage());
  }

  @Test
  void readsAUserDirectory(@TempDir Path dir) throws IOException {
    NodeDataset d = NodeDatasetReader.read("tiny", DataSource.directory(tiny(dir)));
    assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0}, d.x());
    assertEquals(3, d.edges().numEdges());
    assertEquals(0, d.val().length);
  }

  @Test
  void featuresTooLargeForTheHeapFailBeforeAllocating(@TempDir Path dir) throws IOException {
    Files.writeString(tiny(dir).resolve("meta.json"),
        "{\"num_nodes\": 2000000000, \"num_features\": 1, \"num_classes\": 2}");
    var e = assertThrows(HeapBudget.Exceeded.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("x_sparse.tsv.gz: node features [2000000000 x 1] float32"
        + " needs about "), e.getMessage());
    assertTrue(e.getMessage().contains("GNN4J_JAVA_OPTS=-Xmx"), e.getMessage());
    Files.writeString(dir.resolve("meta.json"),
        "{\"num_nodes\": 2000000000, \"num_features\": 1433, \"num_classes\": 2}");
    e = assertThrows(HeapBudget.Exceeded.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("more than one Java array can hold"), e.getMessage());
  }

  @Test
  void wrongColumnCountNamesFileAndLine(@TempDir Path dir) throws IOException {
    gz(tiny(dir).resolve("edge_index.tsv.gz"), "0\t1\n1\t0\t5\n");
    var e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().endsWith("edge_index.tsv.gz:2: expected 2 tab-separated columns,"
        + " found 3"), e.getMessage());
  }

  @Test
  void nonNumericAndOutOfRangeValuesAreNamed(@TempDir Path dir) throws IOException {
    gz(tiny(dir).resolve("edge_index.tsv.gz"), "0\t1\n1\tx\n");
    var e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains(":2: target node id is not an integer (got 'x')"),
        e.getMessage());
    gz(dir.resolve("edge_index.tsv.gz"), "0\t7\n");
    e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains(":1: target node id 7 is out of range [0, 3)"),
        e.getMessage());
  }

  @Test
  void missingLabelAndOverlappingSplitAreRejected(@TempDir Path dir) throws IOException {
    gz(tiny(dir).resolve("y.tsv.gz"), "0\n1\n");
    var e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("y.tsv.gz:2: missing lines: found 2, expected 3 (one per node)"), e.getMessage());
    gz(dir.resolve("y.tsv.gz"), "0\n1\n1\n");
    Files.writeString(dir.resolve("test.txt"), "2\n0\n");
    e = assertThrows(Gnn4jConfigException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("test.txt:2: node 0 is also in train.txt"), e.getMessage());
  }

  @Test
  void rowNormalizationMakesRowsSumToOneAndKeepsZeroRows(@TempDir Path dir) throws IOException {
    gz(tiny(dir).resolve("x_sparse.tsv.gz"), "0\t0\n0\t1\n2\t0\n");
    NodeDataset d = NodeDatasetReader.read("tiny", DataSource.directory(dir)).withRowNormalizedFeatures();
    assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 1, 0}, d.x());
  }

  @Test
  void embeddedKarateUsesIdentityFeaturesAndTrainSplitOnly() {
    NodeDataset k = NodeDatasetReader.karate();
    assertEquals(34, k.numNodes());
    assertEquals(156, k.edges().numEdges());
    assertEquals(34, k.numFeatures());
    assertEquals(4, k.numClasses());
    assertArrayEquals(new int[] {0, 4, 8, 24}, k.train());
    assertEquals(0, k.val().length);
    assertEquals(0, k.test().length);
    int[] counts = new int[4];
    for (int c : k.y()) counts[c]++;
    assertArrayEquals(new int[] {13, 12, 4, 5}, counts);
    for (int i = 0; i < 34; i++) {
      for (int j = 0; j < 34; j++) assertEquals(i == j ? 1f : 0f, k.x()[i * 34 + j]);
    }
  }

  @Test
  void embeddedFilesMatchTheirMetaChecksums() {
    for (String name : DataSource.EMBEDDED) {
      assertTrue(DataFiles.verify(DataSource.embedded(name)) >= 4, name);
    }
  }

  @Test
  void damagedCopyIsDetectedBySizeAndHash(@TempDir Path dir) throws IOException {
    DataSource karate = DataSource.embedded("karate");
    for (String f : new String[] {"meta.json", "edge_index.tsv.gz", "train.txt", "y.tsv.gz",
        "y_club.tsv.gz"}) {
      try (var in = karate.openRaw(f)) {
        Files.write(dir.resolve(f), in.readAllBytes());
      }
    }
    assertEquals(4, DataFiles.verify(DataSource.directory(dir)));
    Files.writeString(dir.resolve("train.txt"), "0\n4\n8\n");
    var e = assertThrows(DataFormatException.class, () -> DataFiles.verify(DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("train.txt: file size is 6 bytes, expected 9"), e.getMessage());
    Files.writeString(dir.resolve("train.txt"), "0\n4\n8\n25\n");
    e = assertThrows(DataFormatException.class, () -> DataFiles.verify(DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("train.txt: SHA-256 is "), e.getMessage());
    assertEquals(34, NodeDatasetReader.fromDirectory(dir).numNodes());
    assertEquals(dir.getFileName().toString(), NodeDatasetReader.fromDirectory(dir).name());
  }

  @Test
  void unknownEmbeddedNameListsTheValidOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> DataSource.resolve("coraa"));
    assertTrue(e.getMessage().contains("embedded: cora, karate, mutag"), e.getMessage());
  }

  @Test
  void duplicateIdInASplitIsRejected(@TempDir Path dir) throws IOException {
    Files.writeString(tiny(dir).resolve("train.txt"), "0\n1\n0\n");
    var e = assertThrows(DataFormatException.class,
        () -> NodeDatasetReader.read("tiny", DataSource.directory(dir)));
    assertTrue(e.getMessage().contains("train.txt:3: node 0 is listed twice"), e.getMessage());
  }
}
