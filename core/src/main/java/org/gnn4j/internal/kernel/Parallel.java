package org.gnn4j.internal.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed worker pool that runs a kernel over static, contiguous ranges: chunk c of n items is
 * always the same range for the same thread count, and each chunk owns its output rows, so
 * results are bit-identical run to run (no atomics in the arithmetic, fixed summation order).
 * The calling thread runs the first chunk itself, then claims more like the workers do. Owned
 * by a {@code Context}; never shared globally.
 */
public final class Parallel implements AutoCloseable {
  /** A piece of work over the half-open range [from, to) of chunk {@code chunk}. */
  @FunctionalInterface
  public interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  private static final AtomicInteger POOL_IDS = new AtomicInteger();
  private final int threads;
  private final ExecutorService pool;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Parallel: threads must be >= 1 (got " + threads + ")");
    }
    this.threads = threads;
    int id = POOL_IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Worker(r, "gnn4j-" + id + "-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Marks pool threads so nested parallel calls run inline instead of deadlocking the pool. */
  private static final class Worker extends Thread {
    Worker(Runnable r, String name) {
      super(r, name);
    }
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body} over [0, n) split into at most {@code threads} equal contiguous chunks of
   * at least {@code grain} items each (small work stays on the calling thread).
   */
  public void forRange(int n, int grain, ChunkBody body) {
    int chunks = (int) Math.min(threads, Math.max(1, n / (long) Math.max(1, grain)));
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
    forBounds(bounds, body);
  }

  /**
   * Runs chunk c over [bounds[c], bounds[c+1]) for every c, in parallel.
   * Chunk boundaries are the caller's (for example balanced by edge count).
   */
  public void forBounds(int[] bounds, ChunkBody body) {
    int chunks = bounds.length - 1;
    if (chunks <= 1 || pool == null || Thread.currentThread() instanceof Worker) {
      for (int c = 0; c < chunks; c++) {
        if (bounds[c] < bounds[c + 1]) body.run(c, bounds[c], bounds[c + 1]);
      }
      return;
    }
    // Threads claim chunks from a counter: with more chunks than threads (balanced bounds cut
    // finer than the pool) nobody waits while one worker runs the rest in turn. Which thread
    // runs a chunk never changes what the chunk computes, so the bits stay fixed.
    AtomicInteger next = new AtomicInteger(1);              // chunk 0 is the caller's
    Runnable claim = () -> {
      for (int c; (c = next.getAndIncrement()) < chunks; ) {
        if (bounds[c] < bounds[c + 1]) body.run(c, bounds[c], bounds[c + 1]);
      }
    };
    int helpers = Math.min(threads - 1, chunks - 1);
    Future<?>[] futures = new Future<?>[helpers];
    for (int w = 0; w < helpers; w++) futures[w] = pool.submit(claim);
    RuntimeException failure = null;
    try {
      if (bounds[0] < bounds[1]) body.run(0, bounds[0], bounds[1]);
      claim.run();
    } catch (RuntimeException e) {
      failure = e;
      next.set(chunks);                                      // the others stop claiming
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Parallel: interrupted while waiting for workers", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException re ? re
              : new IllegalStateException("Parallel: worker failed", e.getCause());
        }
      }
    }
    if (failure != null) throw failure;
  }

  /**
   * Splits rows [0, rows) into at most {@code parts} contiguous chunks of about equal work,
   * where row r costs {@code rowPtr[r+1] - rowPtr[r]} items plus one (so empty rows still
   * count). Graph kernels use it so one hub node does not leave the other threads idle.
   */
  public static int[] balancedBounds(int[] rowPtr, int rows, int parts) {
    parts = Math.max(1, Math.min(parts, Math.max(1, rows)));
    long total = (long) rowPtr[rows] - rowPtr[0] + rows;
    int[] bounds = new int[parts + 1];
    int r = 0;
    for (int p = 1; p < parts; p++) {
      long target = total * p / parts;
      while (r < rows && ((long) rowPtr[r] - rowPtr[0] + r) < target) r++;
      bounds[p] = r;
    }
    bounds[parts] = rows;
    return bounds;
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }
}
