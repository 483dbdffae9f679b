package org.gnn4j.data;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Checks an allocation against the Java heap before it is made. Readers and the trainer know
 * from a dataset's metadata (node, edge and feature counts) how many bytes they are about to
 * ask for; when that cannot fit in what the heap has left, {@link #require} fails at once with
 * the estimate, the heap's limit and how to raise it, instead of an {@code OutOfMemoryError}
 * minutes later (or a JVM that thrashes its collector first).
 *
 * <p>The heap left is the maximum heap minus what the collector found live after its last
 * collection (before any collection: what is in use now), so garbage waiting to be collected
 * does not count against a request.
 */
public final class HeapBudget {
  private HeapBudget() {}

  /** A request the heap cannot hold; the message says how much, how much there is, and what to do. */
  public static final class Exceeded extends IllegalStateException {
    Exceeded(String message) {
      super(message);
    }
  }

  /**
   * @param bytes what the caller is about to allocate (an estimate, on the low side)
   * @param what the allocation in words, e.g. {@code "cora: node features [2708 x 1433] float32"}
   * @throws Exceeded when {@code bytes} exceeds the heap left
   */
  public static void require(long bytes, String what) {
    long max = Runtime.getRuntime().maxMemory();
    long left = max - liveBytes();
    if (bytes > left) {
      throw new Exceeded(what + " needs about " + mb(bytes) + ", but the JVM's heap is limited to "
          + mb(max) + " (" + mb(Math.max(left, 0)) + " of it free); give it more with"
          + " GNN4J_JAVA_OPTS=-Xmx<size> (e.g. -Xmx" + suggestGb(bytes, max, left) + "g)");
    }
  }

  /**
   * The length of a 4-byte array of {@code rows x cols} entries after checking it against the
   * heap: a size beyond a Java array's reach, or beyond the heap left, fails with {@code what}.
   */
  public static int arrayLength(long rows, long cols, String what) {
    long n = bytes(rows, cols, 1);
    if (rows < 0 || cols < 0 || n > Integer.MAX_VALUE - 8) {
      throw new Exceeded(what + " has " + rows + " x " + cols + " values, more than one Java array"
          + " can hold (" + (Integer.MAX_VALUE - 8) + ")");
    }
    require(4 * n, what);
    return (int) n;
  }

  /** {@code a * b * c} bytes without overflow (saturating at {@code Long.MAX_VALUE}). */
  public static long bytes(long a, long b, long c) {
    try {
      return Math.multiplyExact(Math.multiplyExact(a, b), c);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The heap the collector found live after its last collection, or what is in use now. */
  static long liveBytes() {
    long afterGc = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() != MemoryType.HEAP) continue;
      MemoryUsage u = p.getCollectionUsage();
      if (u != null) afterGc += u.getUsed();
    }
    Runtime rt = Runtime.getRuntime();
    long now = rt.totalMemory() - rt.freeMemory();
    return afterGc > 0 ? Math.min(afterGc, now) : now;
  }

  private static String mb(long bytes) {
    if (bytes == Long.MAX_VALUE) return "more than any heap (the sizes overflow 64 bits)";
    if (bytes >= 10L << 30) return (bytes >> 30) + " GB";
    return ((bytes + (1 << 20) - 1) >> 20) + " MB";
  }

  private static long suggestGb(long bytes, long max, long left) {
    if (bytes == Long.MAX_VALUE) return 64;
    long needed = (max - left) + bytes + (bytes >> 1);    // what is live, the request, headroom
    return Math.max(1, (needed + (1L << 30) - 1) >> 30);
  }
}
