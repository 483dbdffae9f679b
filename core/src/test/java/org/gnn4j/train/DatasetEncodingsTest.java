package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.GraphBatch;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.CycleCounts;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetEncodingsTest {
  @Test
  void cycleCountsFollowEachRowsRandomWalkEncoding() {
    GraphDataset d = Datasets.graph("zinc_subset");
    int[] ids = {7, 0, 3};
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      GraphBatch b = GraphBatch.collate(d, ids, ctx);
      Tensor rwse = DatasetEncodings.compute("rwse", 4, 0, d, ctx).of(b, null, ctx);        // [N, 4]
      Tensor both = DatasetEncodings.compute("rwse", 4, 8, d, ctx).of(b, null, ctx);        // [N, 10]
      Tensor alone = DatasetEncodings.compute("none", 4, 8, d, ctx).of(b, null, ctx);       // [N, 6]
      assertEquals(b.numNodes(), both.dim(0));
      assertEquals(10, both.dim(1));
      assertEquals(6, alone.dim(1));
      int row = 0;
      float rings = 0;
      for (int id : ids) {
        int from = d.nodeStart()[id];
        int n = d.nodeStart()[id + 1] - from;
        int[] src = Arrays.copyOfRange(d.src(), d.edgeStart()[id], d.edgeStart()[id + 1]);
        int[] dst = Arrays.copyOfRange(d.dst(), d.edgeStart()[id], d.edgeStart()[id + 1]);
        float[] counts = CycleCounts.compute(Adjacency.undirected(src, dst, n), new int[] {n}, 8);
        for (int i = 0; i < n; i++, row++) {
          float[] r = Arrays.copyOfRange(both.data(), row * 10, row * 10 + 10);
          assertArrayEquals(Arrays.copyOfRange(rwse.data(), row * 4, row * 4 + 4), Arrays.copyOf(r, 4), "graph " + id + " node " + i);
          assertArrayEquals(Arrays.copyOfRange(counts, i * 6, i * 6 + 6), Arrays.copyOfRange(r, 4, 10), "graph " + id + " node " + i);
          assertArrayEquals(Arrays.copyOfRange(r, 4, 10), Arrays.copyOfRange(alone.data(), row * 6, row * 6 + 6));
          for (int c = 4; c < 10; c++) rings += r[c];
        }
      }
      assertTrue(rings > 0, "the molecules chosen have no rings, so the check is vacuous");
    }
  }
}
