package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStatsTest {
  @Test
  void coraAndMutagMatchTheDataReadme() {
    DatasetStats c = DatasetStats.of(NodeDatasetReader.cora());
    assertEquals(10556, c.numEdges());
    assertEquals(0, c.isolatedNodes());
    assertEquals(0, c.selfLoops());
    assertEquals(0, c.duplicateEdges());
    assertEquals(140, c.train());
    DatasetStats m = DatasetStats.of(GraphDatasetReader.mutag());
    assertEquals(188, m.numGraphs());
    assertEquals(17.93, m.avgNodes(), 0.005);
    assertEquals(2 * 19.79, m.avgEdges(), 0.01);
    assertEquals(11, m.numNodeFeatures() + m.numEdgeFeatures());
    assertArrayEquals(new int[] {63, 125}, m.classCounts());
  }

  @Test
  void graphDatasetAveragesMatchTheDataReadme() {
    String[] names = {"proteins", "enzymes", "zinc_subset"};
    double[] avgNodes = {39.06, 32.63, 23.18};
    double[] avgUndirected = {72.82, 62.14, 24.93};
    for (int i = 0; i < names.length; i++) {
      DatasetStats s = Datasets.stats(names[i]);
      assertEquals(avgNodes[i], s.avgNodes(), 0.005, names[i]);
      assertEquals(avgUndirected[i], s.avgEdges() / 2, 0.005, names[i]);
      assertEquals(0, s.selfLoops() + s.duplicateEdges(), names[i]);
    }
  }

  @Test
  void countsIsolatedNodesSelfLoopsAndDuplicates(@TempDir Path dir) throws IOException {
    Path d = TestFiles.tinyGraphs(dir);
    TestFiles.gz(d.resolve("edge_index.tsv.gz"), "0\t1\n0\t1\n1\t1\n2\t1\n0\t1\n1\t0\n");
    DatasetStats s = DatasetStats.of(GraphDatasetReader.fromDirectory(d));
    assertEquals(1, s.isolatedNodes()); // the one-node graph
    assertEquals(1, s.selfLoops());
    assertEquals(1, s.duplicateEdges()); // 0->1 twice in graph 0; graph 1's 0->1 is another graph
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) Json.parse(s.toJson(), "json");
    assertEquals(3L, json.get("graphs"));
    assertEquals(1L, json.get("duplicate_edges"));
    assertTrue(s.toText().contains("isolated nodes  1, self-loops 1, duplicate edges 1"), s.toText());
  }
}
