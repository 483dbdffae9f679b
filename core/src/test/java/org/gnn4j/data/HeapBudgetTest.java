package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {
  @Test
  void smallRequestsPassAndTheArrayLengthIsTheProduct() {
    HeapBudget.require(1 << 20, "a small buffer");
    assertEquals(12, HeapBudget.arrayLength(3, 4, "x"));
  }

  @Test
  void aRequestBeyondTheHeapNamesItselfTheLimitAndTheFlag() {
    long max = Runtime.getRuntime().maxMemory();
    var e = assertThrows(HeapBudget.Exceeded.class, () -> HeapBudget.require(max + 1, "the thing"));
    assertTrue(e.getMessage().startsWith("the thing needs about "), e.getMessage());
    assertTrue(e.getMessage().contains("limited to " + ((max + (1 << 20) - 1) >> 20) + " MB")
        || e.getMessage().contains("limited to " + (max >> 30) + " GB"), e.getMessage());
    assertTrue(e.getMessage().contains("GNN4J_JAVA_OPTS=-Xmx"), e.getMessage());
  }

  @Test
  void sizesThatOverflowSaturateInsteadOfWrapping() {
    assertEquals(Long.MAX_VALUE, HeapBudget.bytes(1L << 40, 1L << 40, 4));
    var e = assertThrows(HeapBudget.Exceeded.class,
        () -> HeapBudget.require(HeapBudget.bytes(1L << 40, 1L << 40, 4), "huge"));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    assertThrows(HeapBudget.Exceeded.class, () -> HeapBudget.arrayLength(1 << 20, 1 << 12, "big"));
    assertThrows(HeapBudget.Exceeded.class, () -> HeapBudget.arrayLength(-1, 2, "negative"));
  }
}
