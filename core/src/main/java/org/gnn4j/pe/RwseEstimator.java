package org.gnn4j.pe;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Parallel;

/**
 * The sampled random-walk estimator of {@link RandomWalkPe} for graphs too large for the exact
 * method. For node i it walks h sparse steps u_{a+1} = S u_a from u_0 = e_i (the h-hop
 * neighbourhood), which gives (S^t)_ii = u_a . u_b exactly for t <= 2h, and the column
 * c = P^h e_i = sqrt(d_i) D^-1/2 u_h, c_j = (P^h)_ji. For t > 2h it averages c[X_s] over W walks
 * X_0 = i, X_1, ... with s = t - h: E c[X_s] = sum_j (P^s)_ij (P^h)_ji = (P^t)_ii, unbiased.
 * Each node's walks use their own stream (seed, node), so results do not depend on threads.
 */
final class RwseEstimator {
  private RwseEstimator() {}

  static void all(Adjacency a, int k, RandomWalkPe.Options opt, double[] out, int base,
                  Parallel par) {
    int n = a.n();
    double[] dinv = new double[n];
    for (int i = 0; i < n; i++) dinv[i] = a.degree(i) == 0 ? 0 : 1 / Math.sqrt(a.degree(i));
    int h = Math.max(1, Math.min(opt.exactHops(), (k + 1) / 2));
    par.forRange(n, 256, (chunk, from, to) -> {
      Workspace ws = new Workspace(n);
      double[] row = new double[k];
      for (int i = from; i < to; i++) {
        node(a, dinv, i, k, h, opt, ws, row);
        System.arraycopy(row, 0, out, base + i * k, k);
      }
    });
  }

  /** Dense scratch vectors with touched lists, reset after each node. */
  private static final class Workspace {
    final double[][] u;       // u[0..1]: the last two sparse vectors S^a e_i, dense storage
    final int[][] touched;
    final int[] count = new int[2];
    final boolean[][] mark;

    private int[] walkers = new int[0];

    int[] walkers(int w) {
      if (walkers.length < w) walkers = new int[w];
      return walkers;
    }

    Workspace(int n) {
      u = new double[2][n];
      touched = new int[2][n];
      mark = new boolean[2][n];
    }

    void clear(int s) {
      for (int p = 0; p < count[s]; p++) {
        int j = touched[s][p];
        u[s][j] = 0;
        mark[s][j] = false;
      }
      count[s] = 0;
    }

    void add(int s, int j, double value) {
      if (!mark[s][j]) {
        mark[s][j] = true;
        touched[s][count[s]++] = j;
      }
      u[s][j] += value;
    }
  }

  private static void node(Adjacency a, double[] dinv, int i, int k, int h,
                           RandomWalkPe.Options opt, Workspace ws, double[] row) {
    java.util.Arrays.fill(row, 0);
    if (a.degree(i) == 0) return;
    int[] ptr = a.rowPtr();
    int[] col = a.col();
    int cur = 0;
    ws.add(cur, i, 1);
    for (int step = 0; step < h; step++) {
      int next = 1 - cur;
      for (int p = 0; p < ws.count[cur]; p++) {
        int j = ws.touched[cur][p];
        double uj = ws.u[cur][j] * dinv[j];
        for (int q = ptr[j]; q < ptr[j + 1]; q++) ws.add(next, col[q], uj);
      }
      double dot = 0;
      double sq = 0;
      for (int p = 0; p < ws.count[next]; p++) {
        int l = ws.touched[next][p];
        double v = ws.u[next][l] * dinv[l];
        ws.u[next][l] = v;
        sq += v * v;
        dot += ws.u[cur][l] * v;
      }
      int t = 2 * step + 1;                   // (S^t)_ii = u_step . u_{step+1}
      if (t <= k) row[t - 1] = dot;
      if (t + 1 <= k) row[t] = sq;
      if (step + 1 < h) ws.clear(cur);
      cur = next;
    }
    // u_h is in ws.u[cur]; c_j = sqrt(d_i) dinv_j u_h[j], folded in place.
    double sqrtDi = Math.sqrt(a.degree(i));
    double[] c = ws.u[cur];
    for (int p = 0; p < ws.count[cur]; p++) {
      int j = ws.touched[cur][p];
      c[j] *= sqrtDi * dinv[j];
    }
    int walkLen = k - h;
    if (walkLen > h) {
      SplittableRandom rng = new SplittableRandom(mix(opt.seed(), i));
      int walks = opt.walks();
      int[] xs = ws.walkers(walks);
      java.util.Arrays.fill(xs, 0, walks, i);
      // All walks advance in lockstep: their neighbour loads are independent, so the memory
      // system overlaps the cache misses instead of chasing one pointer at a time.
      for (int s = 1; s <= walkLen; s++) {
        double acc = 0;
        for (int w = 0; w < walks; w++) {
          int x = xs[w];
          int from = ptr[x];
          x = col[from + rng.nextInt(ptr[x + 1] - from)];
          xs[w] = x;
          acc += c[x];
        }
        if (s > h) row[s + h - 1] = acc / walks;
      }
    }
    ws.clear(0);
    ws.clear(1);
  }

  /** A well-spread 64-bit seed for node i (Stafford's mix13 of seed and index). */
  private static long mix(long seed, int i) {
    long z = seed * 0x9E3779B97F4A7C15L + (i + 1L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
