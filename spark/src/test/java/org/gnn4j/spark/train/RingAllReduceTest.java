package org.gnn4j.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The ring on threads of one JVM, over loopback sockets: exact sums, and failing peers. */
class RingAllReduceTest {
  /** Runs {@code body(rank, ring)} on W threads joined in a ring; the per-rank errors (null = none). */
  static List<Throwable> onRing(int world, long timeoutMillis, BiConsumer<Integer, RingAllReduce> body) throws Exception {
    ServerSocketChannel[] servers = new ServerSocketChannel[world];
    String[] addresses = new String[world];
    for (int r = 0; r < world; r++) {
      servers[r] = RingAllReduce.listen("127.0.0.1");
      addresses[r] = RingAllReduce.addressOf("127.0.0.1", servers[r]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(world);
    try {
      List<Future<Throwable>> fs = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        int rank = r;
        fs.add(pool.submit(() -> {
          try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, servers[rank], timeoutMillis, 42)) {
            body.accept(rank, ring);
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      List<Throwable> errors = new ArrayList<>();
      for (Future<Throwable> f : fs) errors.add(f.get(60, TimeUnit.SECONDS));
      return errors;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The documented order: chunk c summed in float64 over ranks c, c+1, ..., c-1, rounded once. */
  static float[] reference(float[][] inputs, int n) {
    int w = inputs.length;
    float[] out = new float[n];
    for (int c = 0; c < w; c++) {
      for (int i = RingAllReduce.chunkStart(c, n, w); i < RingAllReduce.chunkStart(c + 1, n, w); i++) {
        double acc = inputs[c][i];
        for (int k = 1; k < w; k++) acc += inputs[(c + k) % w][i];
        out[i] = (float) acc;
      }
    }
    return out;
  }

  @Test
  void sumsExactlyAsTheReferenceForUnevenChunksAndOneToFourTasks() throws Exception {
    for (int world = 1; world <= 4; world++) {
      for (int n : new int[] {0, 1, 3, 7, 1001, 100_003}) {
        long seed = 1000L * world + n;
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] inputs = new float[world][n];
        for (float[] v : inputs) {
          // wide exponents, so the order of the sum matters and is checked
          for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 7)));
        }
        float[] want = reference(inputs, n);
        float[][] got = new float[world][];
        int w = world;
        List<Throwable> errors = onRing(world, 10_000, (rank, ring) -> {
          float[] v = inputs[rank].clone();
          ring.allReduceInPlace(v);
          float[] again = inputs[rank].clone();   // a second call on the same ring
          ring.allReduceInPlace(again);
          assertArrayEquals(v, again);
          got[rank] = v;
        });
        for (Throwable t : errors) assertEquals(null, t, "W=" + w + " n=" + n + " seed " + seed);
        for (int r = 0; r < world; r++) {
          assertArrayEquals(want, got[r], "rank " + r + " of W=" + world + ", n=" + n + " (seed " + seed + ")");
        }
      }
    }
  }

  @Test
  void aPeerThatDiesMakesTheOthersFailNamingIt() throws Exception {
    long t0 = System.nanoTime();
    List<Throwable> errors = onRing(4, 30_000, (rank, ring) -> {
      float[] v = new float[50_000];
      ring.allReduceInPlace(v);
      if (rank == 1) throw new IllegalStateException("rank 1 died");   // closes its sockets on the way out
      ring.allReduceInPlace(v);
    });
    // far below the 30 s timeout: a closed connection is noticed at once and passed around the ring
    assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "took " + (System.nanoTime() - t0) / 1e9 + " s");
    assertEquals("rank 1 died", errors.get(1).getMessage());
    for (int r : new int[] {0, 2, 3}) {
      Throwable e = errors.get(r);
      assertNotNull(e, "rank " + r + " should fail");
      assertInstanceOf(IllegalStateException.class, e);
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertTrue(e.getMessage().matches("ring all-reduce: rank " + r + " lost rank \\d at 127\\.0\\.0\\.1:\\d+ .*"), e.getMessage());
    }
    // rank 2 reads from rank 1: it names rank 1
    assertTrue(errors.get(2).getMessage().contains("lost rank 1 at"), errors.get(2).getMessage());
  }

  @Test
  void aSilentPeerTimesOutNamingIt() throws Exception {
    long t0 = System.nanoTime();
    List<Throwable> errors = onRing(3, 1_000, (rank, ring) -> {
      float[] v = new float[10];
      if (rank == 2) {
        // alive but stuck: holds its connections open without taking part
        try {
          Thread.sleep(2_500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      ring.allReduceInPlace(v);
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 15, "took " + seconds + " s");
    // rank 0 reads from rank 2: the timeout names rank 2
    assertTrue(errors.get(0).getMessage().contains("lost rank 2 at 127.0.0.1:"), errors.get(0).getMessage());
    assertTrue(errors.get(0).getMessage().contains("sent nothing for 1000 ms"), errors.get(0).getMessage());
    assertNotNull(errors.get(1));
  }

  @Test
  void anUnreachablePeerFailsTheConnectNamingIt() throws Exception {
    ServerSocketChannel mine = RingAllReduce.listen("127.0.0.1");
    ServerSocketChannel gone = RingAllReduce.listen("127.0.0.1");
    String[] addresses = {RingAllReduce.addressOf("127.0.0.1", mine), RingAllReduce.addressOf("127.0.0.1", gone)};
    gone.close();
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> RingAllReduce.connect(0, addresses, mine, 500, 1));
    assertTrue(e.getMessage().startsWith("ring all-reduce: cannot connect to rank 1 at " + addresses[1]), e.getMessage());
  }
}
