package org.gnn4j.spark.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Sums a float vector across the W tasks of a barrier stage over plain TCP, every step of
 * data-parallel training: a ring all-reduce (Patarasuk and Yuan, 2009; the schedule Horovod and
 * NCCL use). The vector is cut into W chunks; in W-1 reduce-scatter steps every task passes one
 * chunk's partial sum to the next task in the ring and adds its own values to the chunk it
 * receives, so each task ends holding one fully summed chunk; W-1 all-gather steps then pass the
 * finished chunks around. Each task sends and receives about 2(W-1)/W of the vector, whatever W.
 *
 * <p>Deterministic: chunk c is summed in the fixed order x_c, x_c+1, ..., x_c-1 (ranks modulo W),
 * in float64, and rounded to float32 once, by one task; the all-gather copies that result, so
 * every task ends with the same bits, and the same inputs always give the same sum.
 *
 * <p>Each task listens on its own port ({@link #listen}); the tasks exchange their addresses once
 * (through Spark's {@code BarrierTaskContext.allGather}), then each connects to the next rank and
 * accepts the previous one. Every wait is bounded by a timeout, and a peer that closes its
 * connection (its task failed) or stays silent makes this task fail with one line naming the peer's
 * rank and address. Sends and receives go through one selector, so a large chunk never deadlocks
 * two tasks that both write first; a thread interrupt (Spark cancelling the stage) ends a wait.
 */
public final class RingAllReduce implements AutoCloseable {
  private static final int HANDSHAKE_BYTES = 12;  // token (8) + sender's rank (4)
  private static final int HEADER_BYTES = 12;     // call index (8) + vector length (4)

  private final int rank;
  private final int world;
  private final String[] addresses;
  private final long timeoutMillis;
  private final SocketChannel toNext;
  private final SocketChannel fromPrev;
  private final Selector selector;
  private ByteBuffer out = ByteBuffer.allocateDirect(0);
  private ByteBuffer in = ByteBuffer.allocateDirect(0);
  private double[] partial = new double[0];
  private long calls;

  private RingAllReduce(int rank, int world, String[] addresses, long timeoutMillis,
                        SocketChannel toNext, SocketChannel fromPrev, Selector selector) {
    this.rank = rank;
    this.world = world;
    this.addresses = addresses;
    this.timeoutMillis = timeoutMillis;
    this.toNext = toNext;
    this.fromPrev = fromPrev;
    this.selector = selector;
  }

  /** A server socket on {@code host} (an ephemeral port), opened before the addresses are exchanged. */
  public static ServerSocketChannel listen(String host) {
    try {
      ServerSocketChannel s = ServerSocketChannel.open();
      s.bind(new InetSocketAddress(host, 0));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("ring all-reduce: cannot listen on " + host + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} of a listening socket, the form {@link #connect} reads. */
  public static String addressOf(String host, ServerSocketChannel server) {
    try {
      return host + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("ring all-reduce: " + e.getMessage(), e);
    }
  }

  /**
   * Joins the ring: connects to rank {@code rank + 1} and accepts rank {@code rank - 1} on
   * {@code server} (which this call closes once the ring is up).
   *
   * @param addresses {@code host:port} of every rank's server, indexed by rank
   * @param token the same value in every task of one attempt: a stray connection is refused
   * @throws IllegalStateException naming the peer when it cannot be reached within the timeout
   */
  public static RingAllReduce connect(int rank, String[] addresses, ServerSocketChannel server,
                                      long timeoutMillis, long token) {
    int world = addresses.length;
    if (rank < 0 || rank >= world) {
      throw new IllegalArgumentException("ring all-reduce: rank " + rank + " out of range [0, " + world + ")");
    }
    if (timeoutMillis < 1) throw new IllegalArgumentException("ring all-reduce: timeout must be >= 1 ms (got " + timeoutMillis + ")");
    try (server) {
      if (world == 1) return new RingAllReduce(0, 1, addresses, timeoutMillis, null, null, null);
      SocketChannel next = null;
      SocketChannel prev = null;
      try {
        int nextRank = (rank + 1) % world;
        int prevRank = (rank + world - 1) % world;
        next = connectTo(nextRank, addresses, timeoutMillis);
        ByteBuffer hello = ByteBuffer.allocate(HANDSHAKE_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(token).putInt(rank).flip();
        while (hello.hasRemaining()) next.write(hello);
        prev = acceptFrom(prevRank, addresses, server, timeoutMillis, token);
        Selector selector = Selector.open();
        for (SocketChannel c : new SocketChannel[] {next, prev}) {
          c.configureBlocking(false);
          c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new RingAllReduce(rank, world, addresses, timeoutMillis, next, prev, selector);
      } catch (IOException | RuntimeException e) {
        closeQuietly(next);
        closeQuietly(prev);
        if (e instanceof RuntimeException r) throw r;
        throw new IllegalStateException("ring all-reduce: rank " + rank + " could not join the ring: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ring all-reduce: " + e.getMessage(), e);
    }
  }

  private static SocketChannel connectTo(int peer, String[] addresses, long timeoutMillis) {
    InetSocketAddress addr = parse(addresses[peer]);
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    IOException last = null;
    // The peer bound its socket before the addresses were exchanged, so a refusal means it is
    // gone; retry briefly anyway, for a listen backlog that was momentarily full.
    while (System.nanoTime() < deadline) {
      SocketChannel c = null;
      try {
        c = SocketChannel.open();
        c.socket().connect(addr, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
        return c;
      } catch (IOException e) {
        closeQuietly(c);
        last = e;
        sleep(50);
      }
    }
    throw new IllegalStateException("ring all-reduce: cannot connect to rank " + peer + " at "
        + addresses[peer] + " within " + timeoutMillis + " ms"
        + (last == null ? "" : " (" + last.getMessage() + ")") + "; is its task running and the port reachable?");
  }

  private static SocketChannel acceptFrom(int peer, String[] addresses, ServerSocketChannel server,
                                          long timeoutMillis, long token) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    server.configureBlocking(false);
    try (Selector sel = Selector.open()) {
      server.register(sel, SelectionKey.OP_ACCEPT);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) break;
        sel.select(left);
        sel.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("ring all-reduce: interrupted while waiting for rank " + peer);
        SocketChannel c = server.accept();
        if (c == null) continue;
        if (readHandshake(c, deadline) == ((long) peer ^ token)) return c;
        closeQuietly(c);   // a stray connection, or a stale attempt's: keep waiting for the peer
      }
    }
    throw new IllegalStateException("ring all-reduce: rank " + peer + " at " + addresses[peer]
        + " did not connect within " + timeoutMillis + " ms (its task may have failed or not started)");
  }

  /** token ^ rank of the handshake, or Long.MIN_VALUE when the caller says nothing in time. */
  private static long readHandshake(SocketChannel c, long deadline) throws IOException {
    c.configureBlocking(false);
    ByteBuffer b = ByteBuffer.allocate(HANDSHAKE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (Selector sel = Selector.open()) {
      c.register(sel, SelectionKey.OP_READ);
      while (b.hasRemaining()) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) return Long.MIN_VALUE;
        sel.select(left);
        sel.selectedKeys().clear();
        if (c.read(b) < 0) return Long.MIN_VALUE;
      }
    }
    b.flip();
    long token = b.getLong();
    return (long) b.getInt() ^ token;
  }

  public int rank() {
    return rank;
  }

  public int world() {
    return world;
  }

  /**
   * Replaces {@code v} by the sum over all tasks of their {@code v} (every task calls this with a
   * vector of the same length, in the same order of calls).
   *
   * @throws IllegalStateException naming the peer when it closed its connection, sent nothing
   *     (or read nothing) for the timeout, or sent a vector of another length
   */
  public void allReduceInPlace(float[] v) {
    long call = calls++;
    if (world == 1) return;
    int n = v.length;
    int maxChunk = 0;
    for (int c = 0; c < world; c++) maxChunk = Math.max(maxChunk, start(c + 1, n) - start(c, n));
    ensureCapacity(HEADER_BYTES + 8 * maxChunk, maxChunk);
    // reduce-scatter: at step s send chunk rank-s, receive chunk rank-s-1 and add this task's part
    for (int s = 0; s < world - 1; s++) {
      int sc = Math.floorMod(rank - s, world);
      int rc = Math.floorMod(rank - s - 1, world);
      out.clear();
      in.clear();
      if (s == 0) out.putLong(call).putInt(n);
      int s0 = start(sc, n);
      int sLen = start(sc + 1, n) - s0;
      if (s == 0) {
        for (int i = 0; i < sLen; i++) partial[i] = v[s0 + i];
      }
      putDoubles(out, partial, sLen);
      int r0 = start(rc, n);
      int rLen = start(rc + 1, n) - r0;
      in.limit((s == 0 ? HEADER_BYTES : 0) + 8 * rLen);
      exchange("reduce-scatter step " + (s + 1) + " of " + (world - 1), call);
      if (s == 0) checkHeader(call, n);
      in.asDoubleBuffer().get(partial, 0, rLen);   // bulk: one copy instead of a call per value
      for (int i = 0; i < rLen; i++) partial[i] += v[r0 + i];
    }
    int own = Math.floorMod(rank + 1, world);   // the chunk this task finished
    int o0 = start(own, n);
    for (int i = 0, len = start(own + 1, n) - o0; i < len; i++) v[o0 + i] = (float) partial[i];
    // all-gather: at step s send chunk rank+1-s (finished), receive chunk rank-s
    for (int s = 0; s < world - 1; s++) {
      int sc = Math.floorMod(rank + 1 - s, world);
      int rc = Math.floorMod(rank - s, world);
      out.clear();
      in.clear();
      int s0 = start(sc, n);
      int sLen = start(sc + 1, n) - s0;
      out.asFloatBuffer().put(v, s0, sLen);
      out.position(out.position() + 4 * sLen);
      int r0 = start(rc, n);
      int rLen = start(rc + 1, n) - r0;
      in.limit(4 * rLen);
      exchange("all-gather step " + (s + 1) + " of " + (world - 1), call);
      in.asFloatBuffer().get(v, r0, rLen);
    }
  }

  /** First element of chunk {@code c} of a vector of {@code n} (chunk sizes differ by at most one). */
  private int start(int c, int n) {
    return chunkStart(c, n, world);
  }

  /** First element of chunk {@code c} of {@code n} values cut into {@code world} chunks. */
  static int chunkStart(int c, int n, int world) {
    return (int) ((long) c * n / world);
  }

  private void checkHeader(long call, int n) {
    long theirCall = in.getLong();
    int theirN = in.getInt();
    if (theirCall != call || theirN != n) {
      throw new IllegalStateException("ring all-reduce: rank " + prevRank() + " at " + addresses[prevRank()]
          + " sent call " + theirCall + " with " + theirN + " values, and rank " + rank + " is at call "
          + call + " with " + n + " values (the tasks are out of step)");
    }
  }

  private int prevRank() {
    return Math.floorMod(rank - 1, world);
  }

  private int nextRank() {
    return Math.floorMod(rank + 1, world);
  }

  /** Sends {@code out} (position..limit after flip) to the next rank while filling {@code in} from the previous. */
  private void exchange(String phase, long call) {
    out.flip();
    SelectionKey wk = null;
    SelectionKey rk = null;
    try {
      wk = toNext.register(selector, 0);
      rk = fromPrev.register(selector, 0);
      long lastProgress = System.nanoTime();
      while (out.hasRemaining() || in.hasRemaining()) {
        wk.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
        rk.interestOps(in.hasRemaining() ? SelectionKey.OP_READ : 0);
        long waited = (System.nanoTime() - lastProgress) / 1_000_000L;
        if (waited >= timeoutMillis) throw stalled(phase, call);
        selector.select(timeoutMillis - waited);
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("ring all-reduce: rank " + rank + " interrupted during " + phase
              + " of call " + call + " (the stage was cancelled)");
        }
        boolean progress = false;
        if (out.hasRemaining()) {
          try {
            progress |= toNext.write(out) > 0;
          } catch (IOException e) {
            throw lost(nextRank(), "the next task in the ring", phase, call, e.getMessage());
          }
        }
        if (in.hasRemaining()) {
          int r;
          try {
            r = fromPrev.read(in);
          } catch (IOException e) {
            throw lost(prevRank(), "the previous task in the ring", phase, call, e.getMessage());
          }
          if (r < 0) throw lost(prevRank(), "the previous task in the ring", phase, call, "it closed the connection");
          progress |= r > 0;
        }
        if (progress) lastProgress = System.nanoTime();
      }
    } catch (IOException e) {
      throw new IllegalStateException("ring all-reduce: rank " + rank + ": " + e.getMessage(), e);
    }
    in.flip();
  }

  private IllegalStateException stalled(String phase, long call) {
    if (in.hasRemaining()) {
      return lost(prevRank(), "the previous task in the ring", phase, call,
          "it sent nothing for " + timeoutMillis + " ms");
    }
    return lost(nextRank(), "the next task in the ring", phase, call,
        "it read nothing for " + timeoutMillis + " ms");
  }

  private IllegalStateException lost(int peer, String role, String phase, long call, String why) {
    return new IllegalStateException("ring all-reduce: rank " + rank + " lost rank " + peer + " at "
        + addresses[peer] + " (" + role + ") during " + phase + " of call " + call + ": " + why
        + " (its task probably failed; its own error says why)");
  }

  /** Appends {@code values[0, len)} to {@code buf} at its position, advancing it. */
  private static void putDoubles(ByteBuffer buf, double[] values, int len) {
    buf.asDoubleBuffer().put(values, 0, len);
    buf.position(buf.position() + 8 * len);
  }

  private void ensureCapacity(int bytes, int doubles) {
    if (out.capacity() < bytes) {
      out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
      in = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (partial.length < doubles) partial = new double[doubles];
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) throw new IllegalArgumentException("ring all-reduce: address '" + hostPort + "' is not host:port");
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("ring all-reduce: interrupted while connecting", e);
    }
  }

  private static void closeQuietly(SocketChannel c) {
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // closing on the way out of a failure: the failure is what gets reported
    }
  }

  /** Closes both connections, so the neighbours' next wait fails at once instead of timing out. */
  @Override
  public void close() {
    closeQuietly(toNext);
    closeQuietly(fromPrev);
    if (selector != null) {
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing left to report
      }
    }
  }
}
