package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphBatchTest {
  private static final Context CTX = Context.builder().threads(1).seed(1).build();

  @AfterAll
  static void close() {
    CTX.close();
  }

  @Test
  void collateOffsetsEdgesAndConcatenatesFeatures(@TempDir Path dir) throws IOException {
    GraphDataset d = GraphDatasetReader.fromDirectory(TestFiles.tinyGraphs(dir));
    GraphBatch b = GraphBatch.collate(d, new int[] {1, 2, 0}, CTX);
    assertEquals(3, b.numGraphs());
    assertArrayEquals(new int[] {0, 2, 3, 6}, b.graph().graphPtr());
    assertArrayEquals(new int[] {2, 1, 3}, b.nodesPerGraph());
    assertArrayEquals(new int[] {2, 0, 4}, b.edgesPerGraph());
    assertArrayEquals(new int[] {0, 0, 1, 2, 2, 2}, b.batch());
    assertArrayEquals(new int[] {0, 1, 3, 4, 4, 5}, b.edges().src());
    assertArrayEquals(new int[] {1, 0, 4, 3, 5, 4}, b.edges().dst());
    assertArrayEquals(new int[] {1, 1, 0, 0, 1, 1}, b.edgeLabels());
    assertArrayEquals(new float[] {0, 1, 0, 1}, Arrays.copyOf(b.edgeAttr().data(), 4));
    assertArrayEquals(new int[] {1, 1, 0, 0, 1, 0}, b.nodeLabels());
    assertEquals(6, b.x().rows());
    assertEquals(4, b.x().cols());
    // node 0 of the batch is node 3 of the dataset: attrs 3.5, 4 then label 1 one-hot
    assertArrayEquals(new float[] {3.5f, 4, 0, 1}, Arrays.copyOf(b.x().data(), 4));
    assertArrayEquals(new int[] {1, 1, 0}, b.y());
  }

  @Test
  void regressionBatchCarriesTargetsAndRejectsBadIds() {
    GraphDataset z = GraphDatasetReader.zincSubset();
    GraphBatch b = GraphBatch.collate(z, new int[] {0, 5}, CTX);
    assertEquals(z.target()[5], b.target().get(1, 0));
    assertEquals(28, b.x().cols());
    assertEquals(z.numNodes(0) + z.numNodes(5), b.nodeLabels().length);
    assertEquals(4, b.edgeAttr().cols());
    var e = assertThrows(IllegalArgumentException.class,
        () -> GraphBatch.collate(z, new int[] {12000}, CTX));
    assertTrue(e.getMessage().contains("graphIds[0] = 12000 is out of range [0, 12000)"),
        e.getMessage());
  }

  private static List<int[]> epoch(GraphLoader loader) {
    List<int[]> out = new ArrayList<>();
    for (GraphBatch b : loader) out.add(b.graphIds());
    return out;
  }

  @Test
  void loaderIsDeterministicPerSeedAndCoversEveryGraphOnce() {
    GraphDataset m = GraphDatasetReader.mutag();
    int[] ids = new int[m.numGraphs()];
    Arrays.setAll(ids, i -> i);
    GraphLoader a = new GraphLoader(m, ids, 32, true, false, new SplittableRandom(7), CTX);
    GraphLoader b = new GraphLoader(m, ids, 32, true, false, new SplittableRandom(7), CTX);
    List<int[]> a1 = epoch(a);
    List<int[]> b1 = epoch(b);
    assertEquals(6, a1.size());
    assertEquals(188 - 5 * 32, a1.get(5).length);
    for (int i = 0; i < a1.size(); i++) assertArrayEquals(a1.get(i), b1.get(i));
    int[] seen = a1.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(ids, seen);
    List<int[]> a2 = epoch(a);
    assertNotEquals(Arrays.toString(a1.get(0)), Arrays.toString(a2.get(0)), "epochs reshuffle");
    GraphLoader drop = new GraphLoader(m, ids, 32, false, true, null, CTX);
    List<int[]> d = epoch(drop);
    assertEquals(5, d.size());
    assertArrayEquals(new int[] {32, 33, 34}, Arrays.copyOf(d.get(1), 3));
  }

  @Test
  void stratifiedFoldsPartitionAndKeepClassProportions() {
    int[] y = GraphDatasetReader.mutag().y();
    List<Splits.Fold> folds = Splits.stratifiedKFold(y, 10, 0.1, new SplittableRandom(3));
    assertEquals(10, folds.size());
    int[] testCount = new int[y.length];
    for (Splits.Fold f : folds) {
      assertTrue(f.test().length == 18 || f.test().length == 19, "size " + f.test().length);
      int pos = 0;
      for (int i : f.test()) pos += y[i];
      assertTrue(pos >= 12 && pos <= 13, "positives in fold: " + pos); // 125/188 of 18-19
      for (int i : f.test()) testCount[i]++;
      assertEquals(y.length, f.train().length + f.val().length + f.test().length);
      assertEquals(17, f.val().length, 1.0);
    }
    for (int c : testCount) assertEquals(1, c);
    List<Splits.Fold> again = Splits.stratifiedKFold(y, 10, 0.1, new SplittableRandom(3));
    assertArrayEquals(folds.get(4).test(), again.get(4).test());
    assertArrayEquals(folds.get(4).val(), again.get(4).val());
  }
}
