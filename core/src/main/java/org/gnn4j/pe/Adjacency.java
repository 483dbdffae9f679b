package org.gnn4j.pe;

import java.util.Arrays;
import org.gnn4j.graph.EdgeIndex;

/**
 * The simple undirected graph behind the positional encodings: every edge of an
 * {@link EdgeIndex} connects its two endpoints both ways, duplicates are merged and self-loops
 * dropped, so A is a symmetric 0/1 matrix with a zero diagonal (PyG's {@code to_undirected} +
 * {@code remove_self_loops}). Stored as CSR with sorted neighbour lists; {@code rowPtr[i]..
 * rowPtr[i+1]-1} index node i's neighbours in {@code col}. Immutable; do not modify the arrays.
 *
 * @param n number of nodes N
 * @param rowPtr [N + 1]
 * @param col [nnz] neighbour ids, sorted within each row; nnz = 2 * undirected edge count
 */
public record Adjacency(int n, int[] rowPtr, int[] col) {
  public Adjacency {
    if (rowPtr.length != n + 1 || rowPtr[n] != col.length) {
      throw new IllegalArgumentException("Adjacency: rowPtr has " + rowPtr.length
          + " entries ending at " + rowPtr[rowPtr.length - 1] + " (expected " + (n + 1)
          + " entries ending at col.length = " + col.length + ")");
    }
  }

  /** A graph with no nodes. */
  public static Adjacency empty() {
    return new Adjacency(0, new int[1], new int[0]);
  }

  /** The undirected simple graph of {@code edges} (which must have one node set). */
  public static Adjacency undirected(EdgeIndex edges) {
    return undirected(edges.src(), edges.dst(), edges.numNodes());
  }

  /**
   * The undirected simple graph of the pairs (src[e], dst[e]) on n nodes.
   *
   * @throws IllegalArgumentException if the arrays differ in length or an id is outside [0, n)
   */
  public static Adjacency undirected(int[] src, int[] dst, int n) {
    if (src.length != dst.length) {
      throw new IllegalArgumentException("Adjacency: src and dst differ in length (got "
          + src.length + " and " + dst.length + ")");
    }
    int[] deg = new int[n + 1];
    for (int e = 0; e < src.length; e++) {
      int a = src[e];
      int b = dst[e];
      if (a < 0 || a >= n || b < 0 || b >= n) {
        throw new IllegalArgumentException("Adjacency: edge " + e + " = (" + a + ", " + b
            + ") has an endpoint out of range [0, " + n + ")");
      }
      if (a != b) {
        deg[a + 1]++;
        deg[b + 1]++;
      }
    }
    for (int i = 0; i < n; i++) deg[i + 1] += deg[i];
    int[] next = Arrays.copyOf(deg, n);
    int[] col = new int[deg[n]];
    for (int e = 0; e < src.length; e++) {
      int a = src[e];
      int b = dst[e];
      if (a != b) {
        col[next[a]++] = b;
        col[next[b]++] = a;
      }
    }
    // Sort each row and squeeze out duplicates in place.
    int[] rowPtr = new int[n + 1];
    int w = 0;
    for (int i = 0; i < n; i++) {
      int from = deg[i];
      int to = deg[i + 1];
      Arrays.sort(col, from, to);
      rowPtr[i] = w;
      for (int p = from; p < to; p++) {
        if (p == from || col[p] != col[p - 1]) col[w++] = col[p];
      }
    }
    rowPtr[n] = w;
    return new Adjacency(n, rowPtr, Arrays.copyOf(col, w));
  }

  /** Number of stored (directed) entries, twice the number of undirected edges. */
  public int nnz() {
    return col.length;
  }

  public int degree(int i) {
    return rowPtr[i + 1] - rowPtr[i];
  }

  /**
   * Connected component of every node, numbered 0, 1, ... in order of their smallest node.
   *
   * @return [N] component ids
   */
  public int[] components() {
    int[] comp = new int[n];
    Arrays.fill(comp, -1);
    int[] stack = new int[n];
    int count = 0;
    for (int s = 0; s < n; s++) {
      if (comp[s] >= 0) continue;
      int top = 0;
      stack[top++] = s;
      comp[s] = count;
      while (top > 0) {
        int u = stack[--top];
        for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
          int v = col[p];
          if (comp[v] < 0) {
            comp[v] = count;
            stack[top++] = v;
          }
        }
      }
      count++;
    }
    return comp;
  }

  /**
   * The subgraph on nodes [from, to), renumbered from 0.
   *
   * @throws IllegalArgumentException if an edge leaves the range (graphs of a batch must not
   *     share edges)
   */
  public Adjacency slice(int from, int to) {
    int m = to - from;
    int[] ptr = new int[m + 1];
    int base = rowPtr[from];
    int[] c = new int[rowPtr[to] - base];
    for (int i = 0; i < m; i++) ptr[i + 1] = rowPtr[from + i + 1] - base;
    for (int p = 0; p < c.length; p++) {
      int v = col[base + p];
      if (v < from || v >= to) {
        throw new IllegalArgumentException("Adjacency: an edge joins node " + v
            + " outside its graph's node range [" + from + ", " + to + ") (graphs of a batch"
            + " must not share edges)");
      }
      c[p] = v - from;
    }
    return new Adjacency(m, ptr, c);
  }
}
