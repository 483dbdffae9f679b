package org.gnn4j.pe;

import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Exact random-walk landing probabilities by block products: for a block of B source nodes,
 * X_0 = [e_i ...] [n, B] and X_{a+1} = S X_a; then (S^{2a+1})_ii = X_a[:, c] . X_{a+1}[:, c] and
 * (S^{2a+2})_ii = ||X_{a+1}[:, c]||^2. Blocks run in parallel, each on one thread, so the sums
 * do not depend on the thread count.
 */
final class RwseExact {
  /** Sources per block: a graph of at most this many nodes is one block. */
  static final int BLOCK = 32;

  private RwseExact() {}

  /** All nodes of {@code a}; node i's K values go to out[base + i * K ...]. */
  static void all(Adjacency a, int k, double[] out, int base, Parallel par, DoubleLoops loops) {
    int[] nodes = new int[a.n()];
    for (int i = 0; i < nodes.length; i++) nodes[i] = i;
    double[] local = new double[nodes.length * k];
    forNodes(a, nodes, k, local, par, loops);
    System.arraycopy(local, 0, out, base, local.length);
  }

  /** The given nodes; out [nodes.length * K]. par null = the calling thread only. */
  static void forNodes(Adjacency a, int[] nodes, int k, double[] out, Parallel par,
                       DoubleLoops loops) {
    int n = a.n();
    double[] dinv = new double[n];
    for (int i = 0; i < n; i++) dinv[i] = a.degree(i) == 0 ? 0 : 1 / Math.sqrt(a.degree(i));
    int blocks = (nodes.length + BLOCK - 1) / BLOCK;
    Parallel.ChunkBody body = (c, from, to) -> {
      double[] x = new double[n * BLOCK];
      double[] y = new double[n * BLOCK];
      for (int blk = from; blk < to; blk++) {
        int first = blk * BLOCK;
        int b = Math.min(BLOCK, nodes.length - first);
        block(a, dinv, nodes, first, b, k, out, x, y, loops);
      }
    };
    if (par == null) body.run(0, 0, blocks);
    else par.forRange(blocks, 1, body);
  }

  private static void block(Adjacency a, double[] dinv, int[] nodes, int first, int b, int k,
                            double[] out, double[] x, double[] y, DoubleLoops loops) {
    int n = a.n();
    java.util.Arrays.fill(x, 0, n * b, 0);
    for (int c = 0; c < b; c++) x[nodes[first + c] * b + c] = 1;
    double[] dot = new double[b];
    double[] sq = new double[b];
    for (int t = 1; t <= k; t += 2) {
      if (t == 1) {
        firstProduct(a, dinv, nodes, first, b, y);
      } else {
        loops.normalizedBlockProduct(y, a.rowPtr(), a.col(), dinv, x, n, b);
      }
      java.util.Arrays.fill(dot, 0);
      java.util.Arrays.fill(sq, 0);
      for (int r = 0; r < n; r++) {
        int o = r * b;
        for (int c = 0; c < b; c++) {
          double yr = y[o + c];
          dot[c] += x[o + c] * yr;
          sq[c] += yr * yr;
        }
      }
      for (int c = 0; c < b; c++) {
        int o = (first + c) * k;
        out[o + t - 1] = dot[c];
        if (t < k) out[o + t] = sq[c];
      }
      double[] tmp = x;
      x = y;
      y = tmp;
    }
  }

  /**
   * Y = S X for X = [e_source ...]: column c is nonzero only on the source's neighbours, so it
   * is written from the source's row instead of a pass over all of A (one product of k/2
   * saved). The same operations as the block product on those inputs (0 + d_s, then times d_j),
   * so the same bits.
   */
  private static void firstProduct(Adjacency a, double[] dinv, int[] nodes, int first, int b,
                                   double[] y) {
    int n = a.n();
    java.util.Arrays.fill(y, 0, n * b, 0);
    for (int c = 0; c < b; c++) {
      int src = nodes[first + c];
      double w = dinv[src];
      for (int p = a.rowPtr()[src]; p < a.rowPtr()[src + 1]; p++) y[a.col()[p] * b + c] += w;
    }
    for (int r = 0; r < n; r++) {
      double d = dinv[r];
      int o = r * b;
      for (int c = 0; c < b; c++) y[o + c] *= d;
    }
  }
}
