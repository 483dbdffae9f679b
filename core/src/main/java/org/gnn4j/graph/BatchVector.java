package org.gnn4j.graph;

/**
 * The batch vector of a mini-batch of graphs (PyG's {@code batch}, jraph's {@code n_node}):
 * {@code batch[i]} is the graph id of node i. Helpers to build it and its offsets
 * ({@code graphPtr}, PyG's {@code ptr}: graph g owns nodes {@code graphPtr[g] ..
 * graphPtr[g+1]-1}, the convention of {@code DenseAttention}) from the node counts of the
 * graphs, and one shared check that names the op, the expected and the found values.
 */
public final class BatchVector {
  private BatchVector() {}

  /**
   * The sorted batch vector of graphs with the given node counts: {@code [0,0,1,1,1]} for
   * {@code (2, 3)}. Graphs with 0 nodes are allowed (their id simply does not occur).
   *
   * @throws IllegalArgumentException on a negative count, naming its position
   */
  public static int[] fromCounts(int... nodesPerGraph) {
    return fromOffsets(graphPtr(nodesPerGraph));
  }

  /**
   * Node offsets of graphs with the given node counts: length G + 1, from 0 to N.
   *
   * @throws IllegalArgumentException on a negative count or more than 2^31 - 1 nodes in total
   */
  public static int[] graphPtr(int... nodesPerGraph) {
    return prefixSums("BatchVector", nodesPerGraph);
  }

  /** Running totals of the counts, [G + 1] from 0: the one loop that turns counts to offsets. */
  private static int[] prefixSums(String op, int[] nodesPerGraph) {
    int[] ptr = new int[nodesPerGraph.length + 1];
    long total = 0;
    for (int g = 0; g < nodesPerGraph.length; g++) {
      if (nodesPerGraph[g] < 0) {
        throw new IllegalArgumentException(op + ": nodesPerGraph[" + g + "] is negative"
            + " (got " + nodesPerGraph[g] + ", expected >= 0)");
      }
      total += nodesPerGraph[g];
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(op + ": " + total + "+ nodes in total exceed"
            + " an int index (expected at most " + Integer.MAX_VALUE + ")");
      }
      ptr[g + 1] = (int) total;
    }
    return ptr;
  }

  /**
   * Node offsets of graphs with the given counts, checked against the node count n.
   *
   * @return [G + 1] offsets, graph g owning nodes [offsets[g], offsets[g+1])
   * @throws IllegalArgumentException naming {@code op} if a count is negative or the counts do
   *     not add up to n
   */
  public static int[] offsets(String op, int n, int[] nodesPerGraph) {
    if (nodesPerGraph == null) {
      throw new IllegalArgumentException(op + ": nodesPerGraph is null (expected [G] counts)");
    }
    int[] off = prefixSums(op, nodesPerGraph);
    if (off[nodesPerGraph.length] != n) {
      throw new IllegalArgumentException(op + ": nodesPerGraph adds up to "
          + off[nodesPerGraph.length] + " nodes (expected " + n + ", the graph's node count)");
    }
    return off;
  }

  /**
   * Node offsets of a sorted batch vector: the one place a batch vector becomes offsets.
   *
   * @throws IllegalArgumentException naming {@code op} if the vector is unsorted or negative
   */
  public static int[] offsets(String op, int[] batch) {
    for (int i = 0; i < batch.length; i++) {
      if (batch[i] < 0 || (i > 0 && batch[i] < batch[i - 1])) {
        throw new IllegalArgumentException(op + ": batch must be sorted and non-negative (batch["
            + i + "] = " + batch[i] + (i > 0 ? " after " + batch[i - 1] : "") + ")");
      }
    }
    int graphs = batch.length == 0 ? 0 : batch[batch.length - 1] + 1;
    int[] ptr = new int[graphs + 1];
    for (int b : batch) ptr[b + 1]++;
    for (int g = 0; g < graphs; g++) ptr[g + 1] += ptr[g];
    return ptr;
  }

  /** The batch vector of node offsets [G + 1]: the inverse of {@link #offsets(String, int[])}. */
  public static int[] fromOffsets(int[] graphPtr) {
    int[] batch = new int[graphPtr[graphPtr.length - 1]];
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      java.util.Arrays.fill(batch, graphPtr[g], graphPtr[g + 1], g);
    }
    return batch;
  }

  /** Node count of every graph: {@code counts[g]} = number of i with batch[i] == g. */
  public static int[] counts(int[] batch, int numGraphs) {
    check("BatchVector.counts", batch, batch.length, numGraphs);
    int[] c = new int[numGraphs];
    for (int b : batch) c[b]++;
    return c;
  }

  /** Number of graphs of a batch vector: its largest id + 1 (0 when empty). */
  public static int numGraphs(int[] batch) {
    int max = -1;
    for (int i = 0; i < batch.length; i++) {
      if (batch[i] < 0) {
        throw new IllegalArgumentException("BatchVector: batch[" + i + "] is negative (got "
            + batch[i] + ", expected a graph id >= 0)");
      }
      max = Math.max(max, batch[i]);
    }
    return max + 1;
  }

  /**
   * Throws unless {@code batch} has one entry per node and every id is in [0, numGraphs).
   *
   * @param op names the caller in the message
   */
  public static void check(String op, int[] batch, int numNodes, int numGraphs) {
    if (batch == null) {
      throw new IllegalArgumentException(op + ": batch is null (expected one graph id per node,"
          + " length " + numNodes + ")");
    }
    if (numGraphs < 0) {
      throw new IllegalArgumentException(op + ": numGraphs must be >= 0 (got " + numGraphs + ")");
    }
    if (batch.length != numNodes) {
      throw new IllegalArgumentException(op + ": batch has the wrong length (got " + batch.length
          + ", expected one graph id per node: " + numNodes + ")");
    }
    for (int i = 0; i < batch.length; i++) {
      if (batch[i] < 0 || batch[i] >= numGraphs) {
        throw new IllegalArgumentException(op + ": batch[" + i + "] is out of range (got "
            + batch[i] + ", expected 0 <= batch < numGraphs = " + numGraphs + ")");
      }
    }
  }
}
