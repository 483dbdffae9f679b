package org.gnn4j.examples;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.pe.LaplacianPe;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Computes Laplacian positional encodings (the k smallest non-trivial eigenvectors of the
 * normalised Laplacian) for a graph held as an edge list, e.g. rows read from a file or a table.
 */
public final class LapPeFromEdgeList {
  private LapPeFromEdgeList() {}

  /** The encodings [N, k] of the undirected graph {@code edges} (pairs {u, v}) on n nodes. */
  public static Tensor run(int[][] edges, int n, int k, Context ctx) {
    int[] src = new int[edges.length];
    int[] dst = new int[edges.length];
    for (int e = 0; e < edges.length; e++) {       // one direction is enough: LapPE symmetrises
      src[e] = edges[e][0];
      dst[e] = edges[e][1];
    }
    LaplacianPe.Result pe = LaplacianPe.compute(EdgeIndex.of(src, dst, n), k, ctx);
    return pe.vectors(ctx);
  }

  public static void main(String[] args) {
    int[][] path = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}};
    try (Context ctx = Context.builder().threads(1).build()) {
      Tensor pe = run(path, 6, 2, ctx);
      for (int i = 0; i < 6; i++) System.out.printf("node %d: % .4f % .4f%n", i, pe.get(i, 0), pe.get(i, 1));
    }
  }
}
