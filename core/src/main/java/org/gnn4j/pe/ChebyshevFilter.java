package org.gnn4j.pe;

import org.gnn4j.internal.kernel.Parallel;

/**
 * p(S) = T_q((S - c) / e), the degree-q Chebyshev polynomial of an operator whose unwanted
 * spectrum lies in [lo, hi] (c, e its centre and half-width). It maps [lo, hi] into [-1, 1] and
 * grows steeply and monotonically above hi, so the largest eigenvalues of S stay the largest of
 * p(S) with their spacing stretched (T_q'(1) = q^2). Lanczos on p(S) then needs about the same
 * number of S mat-vecs as on S but q times fewer orthogonalisation steps, which dominate for
 * clustered spectra (random graphs). Three-term recurrence T_{j+1} = 2 x T_j - T_{j-1}.
 */
final class ChebyshevFilter implements Lanczos.Operator {
  private final Lanczos.Operator s;
  private final int degree;
  private final double centre;
  private final double halfWidth;
  private final Parallel par;
  private final double[] t0;
  private final double[] t1;
  private final double[] t2;
  private final double[] sx;

  ChebyshevFilter(Lanczos.Operator s, int degree, double lo, double hi, Parallel par) {
    if (degree < 1 || !(hi > lo)) {
      throw new IllegalArgumentException("ChebyshevFilter: need degree >= 1 and hi > lo (got "
          + degree + ", [" + lo + ", " + hi + "])");
    }
    this.s = s;
    this.degree = degree;
    this.centre = (hi + lo) / 2;
    this.halfWidth = (hi - lo) / 2;
    this.par = par;
    int n = s.size();
    t0 = new double[n];
    t1 = new double[n];
    t2 = new double[n];
    sx = new double[n];
  }

  @Override
  public int size() {
    return s.size();
  }

  @Override
  public void apply(double[] x, double[] y) {
    int n = size();
    double c = centre;
    double inv = 1 / halfWidth;
    s.apply(x, sx);
    double[] prev = t0;
    double[] cur = t1;
    double[] next = t2;
    System.arraycopy(x, 0, prev, 0, n);
    double[] sxf = sx;
    double[] curf = cur;
    par.forRange(n, 1 << 13, (k, from, to) -> {
      for (int i = from; i < to; i++) curf[i] = (sxf[i] - c * x[i]) * inv;
    });
    for (int j = 2; j <= degree; j++) {
      s.apply(cur, sx);
      double[] p = prev;
      double[] q = cur;
      double[] r = next;
      par.forRange(n, 1 << 13, (k, from, to) -> {
        for (int i = from; i < to; i++) r[i] = 2 * (sxf[i] - c * q[i]) * inv - p[i];
      });
      prev = cur;
      cur = next;
      next = p;
    }
    System.arraycopy(cur, 0, y, 0, n);
  }
}
