package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The table readers' row path gathers each slot's rows, in reading order, into one chunk per
 * slot, however many pieces a slot's rows filled, and names a bad row. (The column-batch path is
 * checked end to end in {@code LayerwiseInferenceTest}.)
 */
class TableRowsTest {
  private static final int W = 3;

  private static GenericArrayData floats(float... v) {
    Object[] boxed = new Object[v.length];
    for (int i = 0; i < v.length; i++) boxed[i] = v[i];
    return new GenericArrayData(boxed);
  }

  private static float[] featuresOf(long id, int w) {
    float[] f = new float[w];
    for (int c = 0; c < w; c++) f[c] = id * 10 + c;
    return f;
  }

  @Test
  void nodeChunksHoldEverySlotsRowsInReadingOrder() {
    // few slots and many rows: each slot fills several pieces, the last one partly
    Slots slots = new Slots(2, 10_000);
    List<InternalRow> rows = new ArrayList<>();
    int n = 5_123;
    for (int i = 0; i < n; i++) {
      long id = (i * 7_919L) % 10_007;   // ids out of order
      rows.add(new GenericInternalRow(new Object[] {id, floats(featuresOf(id, W))}));
    }
    Map<Integer, List<Long>> expected = new HashMap<>();
    for (InternalRow r : rows) expected.computeIfAbsent(slots.slot(r.getLong(0)), g -> new ArrayList<>()).add(r.getLong(0));

    int seen = 0;
    int lastSlot = -1;
    for (Iterator<Tuple2<Long, NodeBlock>> it = TableRows.nodeChunks(rows.iterator(), slots, 1); it.hasNext(); ) {
      Tuple2<Long, NodeBlock> t = it.next();
      NodeBlock b = t._2();
      assertEquals(slots.key(b.slot, 1), t._1());
      assertTrue(b.slot > lastSlot, "chunks come in slot order");
      lastSlot = b.slot;
      List<Long> want = expected.get(b.slot);
      assertEquals(want.size(), b.size());
      assertEquals(W, b.width);
      for (int r = 0; r < b.size(); r++) {
        assertEquals((long) want.get(r), b.ids[r]);
        float[] row = java.util.Arrays.copyOfRange(b.h, r * W, (r + 1) * W);
        assertArrayEquals(featuresOf(b.ids[r], W), row);
      }
      seen += b.size();
    }
    assertEquals(n, seen);
    assertTrue(expected.values().stream().anyMatch(l -> l.size() > 2 * TableRows.PIECE),
        "some slot fills more than two pieces");
  }

  @Test
  void edgeChunksHoldEverySlotsEdgesAndFeatures() {
    Slots slots = new Slots(2, 1_000);
    List<InternalRow> rows = new ArrayList<>();
    int e = 4_321;
    for (int i = 0; i < e; i++) {
      long s = i % 997;
      long t = (i * 31L) % 1_000;
      rows.add(new GenericInternalRow(new Object[] {s, t, floats(i, -i)}));
    }
    int seen = 0;
    for (Iterator<Tuple2<Long, EdgeBlock.Chunk>> it = TableRows.edgeChunks(rows.iterator(), slots, 0); it.hasNext(); ) {
      EdgeBlock.Chunk c = it.next()._2();
      assertEquals(2, c.featureWidth);
      for (int k = 0; k < c.src.length; k++) {
        int i = (int) -c.features[2 * k + 1];   // the edge's row, from its features
        assertEquals(i, c.features[2 * k]);
        assertEquals(i % 997, c.src[k]);
        assertEquals((i * 31L) % 1_000, c.dst[k]);
        if (k > 0) assertTrue(-c.features[2 * k - 1] < i, "rows in reading order");
      }
      seen += c.src.length;
    }
    assertEquals(e, seen);
  }

  @Test
  void edgesWithoutFeaturesCarryNone() {
    Slots slots = new Slots(1, 10);
    List<InternalRow> rows = List.of(new GenericInternalRow(new Object[] {1L, 2L}), new GenericInternalRow(new Object[] {2L, 1L}));
    int seen = 0;
    for (Iterator<Tuple2<Long, EdgeBlock.Chunk>> it = TableRows.edgeChunks(rows.iterator(), slots, 0); it.hasNext(); ) {
      EdgeBlock.Chunk c = it.next()._2();
      assertNull(c.features);
      seen += c.src.length;
    }
    assertEquals(2, seen);
  }

  @Test
  void aBadRowIsNamed() {
    Slots slots = new Slots(1, 10);
    List<InternalRow> nodes = List.of(new GenericInternalRow(new Object[] {1L, floats(1, 2)}),
        new GenericInternalRow(new Object[] {2L, floats(1)}));
    IllegalStateException wide = assertThrows(IllegalStateException.class,
        () -> TableRows.nodeChunks(nodes.iterator(), slots, 0));
    assertEquals("nodes: row (id 2): 1 features where others have 2", wide.getMessage());

    List<InternalRow> edges = List.of(new GenericInternalRow(new Object[] {3L, 4L, new GenericArrayData(new Object[] {1f, null})}));
    IllegalStateException nul = assertThrows(IllegalStateException.class,
        () -> TableRows.edgeChunks(edges.iterator(), slots, 0));
    assertEquals("edges: row (src 3, dst 4): a null among its features", nul.getMessage());
  }
}
