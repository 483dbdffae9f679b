package org.gnn4j.pe;

import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;

/**
 * S = D^-1/2 A D^-1/2 of an {@link Adjacency} as a {@link Lanczos.Operator} with a
 * multithreaded mat-vec (rows balanced by degree), plus the trivial eigenvectors of
 * L = I - S: D^1/2 1 restricted to each component that has an edge, which
 * {@link #deflate} projects out. Isolated nodes have D^-1/2 = 0.
 */
final class NormalizedAdjacency implements Lanczos.Operator {
  private final Adjacency a;
  private final Parallel par;
  private final DoubleLoops loops;
  private final double[] dinv;       // [N] deg^-1/2, 0 if isolated
  private final double[] trivial;    // [N] D^1/2 1 normalised per component (0 if isolated)
  private final int[] comp;          // [N] component id
  private final int comps;
  private final int trivialCount;    // components with at least one edge
  private final int[] bounds;
  private final double[] scratch;
  private long matVecs;              // products with S so far, the filter's included

  NormalizedAdjacency(Adjacency a, Parallel par, DoubleLoops loops) {
    this.a = a;
    this.par = par;
    this.loops = loops;
    int n = a.n();
    dinv = new double[n];
    trivial = new double[n];
    comp = a.components();
    int c = 0;
    for (int x : comp) c = Math.max(c, x + 1);
    comps = c;
    double[] mass = new double[comps];
    for (int i = 0; i < n; i++) {
      int d = a.degree(i);
      dinv[i] = d == 0 ? 0 : 1 / Math.sqrt(d);
      mass[comp[i]] += d;
    }
    int t = 0;
    for (double m : mass) if (m > 0) t++;
    trivialCount = t;
    for (int i = 0; i < n; i++) {
      double m = mass[comp[i]];
      trivial[i] = m == 0 ? 0 : Math.sqrt(a.degree(i) / m);
    }
    bounds = Parallel.balancedBounds(a.rowPtr(), n, par.threads() * 4);
    scratch = new double[n];
  }

  @Override
  public int size() {
    return a.n();
  }

  @Override
  public void apply(double[] x, double[] y) {
    matVecs++;
    loops.normalizedMatVec(y, a.rowPtr(), a.col(), dinv, x, scratch, a.n(), bounds, par);
  }

  /** Products of a vector with S so far (a filter step on c vectors counts c). */
  long matVecs() {
    return matVecs;
  }

  /** Counts c products with S done outside {@link #apply} (a filter's fused steps). */
  void countMatVecs(int c) {
    matVecs += c;
  }

  /** The kernel loops the mat-vec and its Chebyshev filters run on. */
  DoubleLoops loops() {
    return loops;
  }

  /** Number of trivial (eigenvalue 0) eigenvectors of L. */
  int trivialCount() {
    return trivialCount;
  }

  double[] dinv() {
    return dinv;
  }

  Adjacency adjacency() {
    return a;
  }

  int[] bounds() {
    return bounds;
  }

  Parallel parallel() {
    return par;
  }

  /** w -= sum_c (q_c . w) q_c over the per-component trivial vectors q_c (disjoint supports). */
  void deflate(double[] w) {
    double[] coef = new double[comps];
    for (int i = 0; i < w.length; i++) coef[comp[i]] += trivial[i] * w[i];
    for (int i = 0; i < w.length; i++) w[i] -= coef[comp[i]] * trivial[i];
  }

  /** L as a dense matrix (small graphs only). */
  double[][] denseLaplacian() {
    int n = a.n();
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      l[i][i] = 1;
      for (int p = a.rowPtr()[i]; p < a.rowPtr()[i + 1]; p++) {
        int j = a.col()[p];
        l[i][j] -= dinv[i] * dinv[j];
      }
    }
    return l;
  }
}
