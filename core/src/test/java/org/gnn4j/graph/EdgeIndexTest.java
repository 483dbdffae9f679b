package org.gnn4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EdgeIndexTest {
  @Test
  void csrByDstGroupsInEdgesKeepingOriginalOrder() {
    // edges: 0:2->1, 1:0->1, 2:1->0, 3:2->1 (duplicate of 0), 4:1->1 (self-loop)
    EdgeIndex e = EdgeIndex.of(new int[] {2, 0, 1, 2, 1}, new int[] {1, 1, 0, 1, 1}, 3);
    Csr c = e.csrByDst();
    assertArrayEquals(new int[] {0, 1, 5, 5}, c.rowPtr());
    assertArrayEquals(new int[] {1, 2, 0, 2, 1}, c.col());
    assertArrayEquals(new int[] {2, 0, 1, 3, 4}, c.edge());
    assertArrayEquals(new int[] {1, 4, 0}, e.inDegree());
    Csr s = e.csrBySrc();
    assertArrayEquals(new int[] {0, 1, 3, 5}, s.rowPtr());
    assertArrayEquals(new int[] {1, 0, 1, 1, 1}, s.col());
    assertArrayEquals(new int[] {1, 2, 4, 0, 3}, s.edge());
  }

  @Test
  void rejectsOutOfRangeAndNegativeIdsNamingPosition() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> EdgeIndex.of(new int[] {0, 1}, new int[] {1, 7}, 5));
    assertEquals("EdgeIndex: dst[1] = 7 is out of range [0, 5) for 5 nodes", e.getMessage());
    var neg = assertThrows(IllegalArgumentException.class,
        () -> EdgeIndex.of(new int[] {0, -3}, new int[] {1, 1}, 5));
    assertTrue(neg.getMessage().contains("src[1] = -3"), neg.getMessage());
  }

  @Test
  void rejectsArraysOfDifferentLength() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> EdgeIndex.of(new int[] {0, 1, 2}, new int[] {1}, 5));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("1"), e.getMessage());
  }

  @Test
  void emptyGraphAndBipartiteCounts() {
    EdgeIndex empty = EdgeIndex.of(new int[0], new int[0], 4);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0}, empty.csrByDst().rowPtr());
    EdgeIndex bi = EdgeIndex.bipartite(new int[] {0, 5}, new int[] {1, 0}, 6, 2);
    assertEquals(6, bi.numSrcNodes());
    assertEquals(2, bi.numDstNodes());
    assertThrows(IllegalStateException.class, bi::numNodes);
  }

  @Test
  void copiesInputArrays() {
    int[] src = {0, 1};
    EdgeIndex e = EdgeIndex.of(src, new int[] {1, 0}, 2);
    src[0] = 99;
    assertEquals(0, e.src()[0]);
  }
}
