package org.gnn4j.graph;

/**
 * Compressed sparse rows of an edge set grouped by one endpoint: row r's edges are positions
 * {@code rowPtr[r] .. rowPtr[r+1]-1}; {@code col[p]} is the other endpoint and {@code edge[p]}
 * the edge's id in the original COO order (so per-edge tensors need no reordering). Edges keep
 * their original relative order inside a row, which fixes the summation order.
 *
 * @param rowPtr [rows + 1]
 * @param col [E] the other endpoint of each edge, grouped by row
 * @param edge [E] original edge id of each position
 */
public record Csr(int[] rowPtr, int[] col, int[] edge) {
  public int rows() {
    return rowPtr.length - 1;
  }

  public int nnz() {
    return col.length;
  }

  /** Stable counting sort of edges by {@code key}: O(E + rows), deterministic. */
  static Csr build(int[] key, int[] other, int rows) {
    int e = key.length;
    int[] rowPtr = new int[rows + 1];
    for (int k : key) rowPtr[k + 1]++;
    for (int r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
    int[] next = java.util.Arrays.copyOf(rowPtr, rows);
    int[] col = new int[e];
    int[] edge = new int[e];
    for (int i = 0; i < e; i++) {
      int p = next[key[i]]++;
      col[p] = other[i];
      edge[p] = i;
    }
    return new Csr(rowPtr, col, edge);
  }
}
