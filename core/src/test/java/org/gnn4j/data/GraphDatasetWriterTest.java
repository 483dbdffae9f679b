package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphDatasetWriterTest {
  private static void assertSame(GraphDataset a, GraphDataset b) {
    assertArrayEquals(a.nodeStart(), b.nodeStart());
    assertArrayEquals(a.edgeStart(), b.edgeStart());
    assertArrayEquals(a.src(), b.src());
    assertArrayEquals(a.dst(), b.dst());
    assertArrayEquals(a.nodeLabels(), b.nodeLabels());
    assertArrayEquals(a.edgeLabels(), b.edgeLabels());
    assertArrayEquals(a.nodeAttr(), b.nodeAttr());
    assertArrayEquals(a.y(), b.y());
    assertArrayEquals(a.target(), b.target());
    assertEquals(a.numNodeLabels(), b.numNodeLabels());
    assertEquals(a.numEdgeLabels(), b.numEdgeLabels());
    assertEquals(a.numClasses(), b.numClasses());
    assertArrayEquals(a.train(), b.train());
    assertArrayEquals(a.test(), b.test());
  }

  @Test
  void writtenDatasetsReadBackEqualAndPassTheirChecksums(@TempDir Path dir) throws IOException {
    GraphDataset tiny = GraphDatasetReader.fromDirectory(
        TestFiles.tinyGraphs(Files.createDirectory(dir.resolve("in"))))
        .withSplits(new int[] {0, 2}, new int[0], new int[] {1});
    GraphDatasetWriter.write(tiny, dir.resolve("tiny"));
    assertEquals(8, DataFiles.verify(DataSource.directory(dir.resolve("tiny"))));
    assertSame(tiny, GraphDatasetReader.fromDirectory(dir.resolve("tiny")));

    GraphDataset enzymes = GraphDatasetReader.enzymes();
    GraphDatasetWriter.write(enzymes, dir.resolve("enzymes"));
    assertSame(enzymes, GraphDatasetReader.fromDirectory(dir.resolve("enzymes")));
    byte[] first = Files.readAllBytes(dir.resolve("enzymes/node_attr.csv.gz"));
    GraphDatasetWriter.write(enzymes, dir.resolve("enzymes"));
    assertArrayEquals(first, Files.readAllBytes(dir.resolve("enzymes/node_attr.csv.gz")));
  }

  @Test
  void regressionTargetsSurviveTheRoundTrip(@TempDir Path dir) {
    GraphDataset reg = new GraphDataset("reg", new int[] {0, 2, 3}, new int[] {0, 2, 2},
        new int[] {0, 1}, new int[] {1, 0}, null, 0, null, 0, null, 0, null,
        new float[] {-0.51f, 3.3703988f}, 0, null, null, null);
    GraphDatasetWriter.write(reg, dir);
    GraphDataset back = GraphDatasetReader.fromDirectory(dir);
    assertEquals(true, back.isRegression());
    assertSame(reg, back);
  }
}
