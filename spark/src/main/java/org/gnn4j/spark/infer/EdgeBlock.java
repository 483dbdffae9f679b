package org.gnn4j.spark.infer;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.util.LongAccumulator;

/**
 * The out-edges of one partition's nodes in layer-wise inference, built once and cached: each
 * edge's source as a row number of the partition (its node blocks in slot order, rows in block
 * order), its target id, its features, with edges ordered by the target's slot so that one pass
 * merges each slot's messages and sends them as one {@link StateChunk}. Flat arrays; a plain class
 * so that any Spark serializer can build it.
 */
final class EdgeBlock implements Serializable {
  final int[] start;       // [slots + 1]: the edges into slot g are [start[g], start[g + 1])
  final int[] src;         // [E] the source's row in the partition
  final long[] dst;        // [E]
  final int featureWidth;  // D, 0 without features
  final float[] features;  // [E, D] or null
  final int[] outDegree;   // [N of the partition]

  private EdgeBlock(int[] start, int[] src, long[] dst, int featureWidth, float[] features, int[] outDegree) {
    this.start = start;
    this.src = src;
    this.dst = dst;
    this.featureWidth = featureWidth;
    this.features = features;
    this.outDegree = outDegree;
  }

  int size() {
    return src.length;
  }

  /** Edges as read from the edge table, one chunk per (reading partition, source slot). */
  static final class Chunk implements Serializable {
    final long[] src;
    final long[] dst;
    final int featureWidth;
    final float[] features;   // [E, D] or null

    Chunk(long[] src, long[] dst, int featureWidth, float[] features) {
      this.src = src;
      this.dst = dst;
      this.featureWidth = featureWidth;
      this.features = features;
    }

    /** What Java serialization sends instead: the arrays packed into one ({@link Wire}). */
    private Object writeReplace() {
      int f = features == null ? -1 : features.length;
      java.nio.ByteBuffer b = Wire.writer(src.length * 2 * Long.BYTES + Math.max(f, 0) * Float.BYTES);
      Wire.put(b, src);
      Wire.put(b, dst);
      if (features != null) Wire.put(b, features);
      return new Packed(src.length, featureWidth, f, b.array());
    }

    /** @param f the features' length, -1: null */
    private record Packed(int e, int featureWidth, int f, byte[] bytes) implements Serializable {
      private Object readResolve() {
        java.nio.ByteBuffer b = Wire.reader(bytes);
        return new Chunk(Wire.longs(b, e), Wire.longs(b, e), featureWidth, f < 0 ? null : Wire.floats(b, f));
      }
    }
  }

  /**
   * The edge block of a partition whose node blocks are {@code nodes} and whose out-edges are
   * {@code chunks}. Edges from a node the partition does not have are counted in {@code problems}
   * (the caller then names them) and the block is left empty.
   */
  static EdgeBlock of(List<NodeBlock> nodes, List<Chunk> chunks, Slots slots, LongAccumulator problems) {
    int n = 0;
    for (NodeBlock b : nodes) n += b.size();
    LongIndex rows = new LongIndex(n);
    for (NodeBlock b : nodes) for (long id : b.ids) rows.add(id);
    int e = 0;
    int d = 0;
    for (Chunk c : chunks) {
      e += c.src.length;
      d = Math.max(d, c.featureWidth);
    }
    // counting sort by the target's slot
    int[] start = new int[slots.count() + 1];
    int[] slotOf = new int[e];
    int[] rowOf = new int[e];
    int k = 0;
    int missing = 0;
    for (Chunk c : chunks) {
      for (int i = 0; i < c.src.length; i++, k++) {
        int g = slots.slot(c.dst[i]);
        slotOf[k] = g;
        start[g + 1]++;
        rowOf[k] = rows.get(c.src[i]);
        if (rowOf[k] < 0) missing++;
      }
    }
    if (missing > 0) {
      problems.add(missing);
      return new EdgeBlock(new int[slots.count() + 1], new int[0], new long[0], 0, null, new int[n]);
    }
    for (int g = 0; g < slots.count(); g++) start[g + 1] += start[g];
    int[] next = java.util.Arrays.copyOf(start, slots.count());
    int[] src = new int[e];
    long[] dst = new long[e];
    float[] features = d > 0 ? new float[e * d] : null;
    int[] outDegree = new int[n];
    k = 0;
    for (Chunk c : chunks) {
      for (int i = 0; i < c.src.length; i++, k++) {
        int r = rowOf[k];
        int at = next[slotOf[k]]++;
        src[at] = r;
        dst[at] = c.dst[i];
        if (d > 0) System.arraycopy(c.features, i * d, features, at * d, d);
        outDegree[r]++;
      }
    }
    return new EdgeBlock(start, src, dst, d, features, outDegree);
  }

  /** This block with other edge features ([E, width], in this block's edge order). */
  EdgeBlock withFeatures(int width, float[] f) {
    return new EdgeBlock(start, src, dst, width, f, outDegree);
  }
}
