package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void forRangeCoversEveryIndexExactlyOnce() {
    try (Parallel par = new Parallel(3)) {
      for (int n : new int[] {0, 1, 2, 7, 1000}) {
        int[] hits = new int[n];
        par.forRange(n, 1, (chunk, from, to) -> {
          for (int i = from; i < to; i++) hits[i]++;
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits[i], "index " + i + " of " + n);
      }
    }
  }

  @Test
  void chunksAreFixedByThreadCount() {
    try (Parallel par = new Parallel(2)) {
      int[] owner = new int[10];
      par.forRange(10, 1, (chunk, from, to) -> {
        for (int i = from; i < to; i++) owner[i] = chunk;
      });
      assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, owner);
    }
  }

  @Test
  void smallWorkStaysOnCallingThread() {
    try (Parallel par = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      par.forRange(10, 100, (chunk, from, to) -> assertEquals(caller, Thread.currentThread()));
    }
  }

  @Test
  void workerFailureReachesTheCaller() {
    try (Parallel par = new Parallel(2)) {
      var e = assertThrows(IllegalStateException.class, () -> par.forRange(100, 1,
          (chunk, from, to) -> {
            if (chunk == 1) throw new IllegalStateException("boom in chunk 1");
          }));
      assertTrue(e.getMessage().contains("boom"));
    }
  }

  @Test
  void nestedCallsRunInlineWithoutDeadlock() {
    try (Parallel par = new Parallel(2)) {
      AtomicInteger count = new AtomicInteger();
      par.forRange(4, 1, (c, f, t) -> par.forRange(100, 1, (c2, f2, t2) -> count.addAndGet(t2 - f2)));
      assertEquals(200, count.get());
    }
  }

  @Test
  void balancedBoundsSplitsByEdgesPlusRows() {
    // row 0 is a hub with 100 edges, rows 1..99 have one edge each: total work 199 + 100
    int rows = 100;
    int[] rowPtr = new int[rows + 1];
    rowPtr[1] = 100;
    for (int r = 1; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + 1;
    int[] b = Parallel.balancedBounds(rowPtr, rows, 2);
    assertEquals(0, b[0]);
    assertEquals(rows, b[2]);
    assertTrue(b[1] >= 1 && b[1] <= 60, "hub should end up alone-ish in chunk 0, split at " + b[1]);
    assertArrayEquals(new int[] {0, 0}, Parallel.balancedBounds(new int[] {0}, 0, 2));
  }

  @Test
  void rejectsZeroThreads() {
    assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
  }

  @Test
  void theCallerKeepsClaimingChunksWhileAWorkerIsBusy() throws Exception {
    // 8 chunks on 2 threads: whichever thread takes chunk 1 waits until chunks 2..7 ran, which
    // only the other thread can do. If the caller stopped after chunk 0 this would time out.
    try (Parallel par = new Parallel(2)) {
      java.util.concurrent.CountDownLatch rest = new java.util.concurrent.CountDownLatch(6);
      AtomicBoolean waited = new AtomicBoolean();
      int[] bounds = {0, 1, 2, 3, 4, 5, 6, 7, 8};
      par.forBounds(bounds, (c, from, to) -> {
        try {
          if (c == 1) waited.set(rest.await(5, java.util.concurrent.TimeUnit.SECONDS));
          else if (c >= 2) rest.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(waited.get(), "chunks 2..7 did not run while chunk 1 waited");
    }
  }
}
