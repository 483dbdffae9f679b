package org.gnn4j.pe;

import org.gnn4j.internal.kernel.DoubleKernels;

/**
 * p(S) = T_q((S - c) / e), the degree-q Chebyshev polynomial of an operator whose unwanted
 * spectrum lies in [lo, hi] (c, e its centre and half-width). It maps [lo, hi] into [-1, 1] and
 * grows steeply and monotonically above hi, so the largest eigenvalues of S stay the largest of
 * p(S) with their spacing stretched (T_q'(1) = q^2). Lanczos on p(S) then needs about the same
 * number of S mat-vecs as on S but q times fewer orthogonalisation steps, which dominate for
 * clustered spectra (random graphs). Three-term recurrence T_{j+1} = 2 x T_j - T_{j-1}.
 */
final class ChebyshevFilter implements Lanczos.Operator {
  private final NormalizedAdjacency s;
  private final int degree;
  private final double centre;
  private final double halfWidth;
  private final double[][] t;     // three recurrence vectors [n]
  private final double[][] z;     // their D^-1/2-scaled copies [n]
  private final double[][] t2;    // the same for two vectors, interleaved [n, 2]
  private final double[][] z2;

  ChebyshevFilter(NormalizedAdjacency s, int degree, double lo, double hi) {
    if (degree < 1 || !(hi > lo)) {
      throw new IllegalArgumentException("ChebyshevFilter: need degree >= 1 and hi > lo (got "
          + degree + ", [" + lo + ", " + hi + "])");
    }
    this.s = s;
    this.degree = degree;
    this.centre = (hi + lo) / 2;
    this.halfWidth = (hi - lo) / 2;
    int n = s.size();
    t = new double[3][n];
    z = new double[3][n];
    t2 = new double[3][2 * n];
    z2 = new double[3][2 * n];
  }

  @Override
  public int size() {
    return s.size();
  }

  @Override
  public void apply(double[] x, double[] y) {
    int n = size();
    Adjacency a = s.adjacency();
    double[] dinv = s.dinv();
    double inv = 1 / halfWidth;
    int prev = 0;
    int cur = 1;
    System.arraycopy(x, 0, t[prev], 0, n);
    for (int i = 0; i < n; i++) z[prev][i] = dinv[i] * x[i];
    // T_1 = (S - c) x / e; T_{j+1} = 2 (S - c) T_j / e - T_{j-1}, each one fused pass.
    DoubleKernels.chebyshevStep(t[cur], z[cur], a.rowPtr(), a.col(), dinv, z[prev], t[prev],
        null, inv, centre, 0, s.bounds(), s.parallel());
    for (int j = 2; j <= degree; j++) {
      int next = 3 - prev - cur;
      DoubleKernels.chebyshevStep(t[next], z[next], a.rowPtr(), a.col(), dinv, z[cur], t[cur],
          t[prev], 2 * inv, centre, 1, s.bounds(), s.parallel());
      prev = cur;
      cur = next;
    }
    System.arraycopy(t[cur], 0, y, 0, n);
  }

  @Override
  public void apply2(double[] x0, double[] x1, double[] y0, double[] y1) {
    int n = size();
    Adjacency a = s.adjacency();
    double[] dinv = s.dinv();
    double inv = 1 / halfWidth;
    int prev = 0;
    int cur = 1;
    double[] tp = t2[prev];
    double[] zp = z2[prev];
    for (int i = 0; i < n; i++) {
      tp[2 * i] = x0[i];
      tp[2 * i + 1] = x1[i];
      zp[2 * i] = dinv[i] * x0[i];
      zp[2 * i + 1] = dinv[i] * x1[i];
    }
    DoubleKernels.chebyshevStep2(t2[cur], z2[cur], a.rowPtr(), a.col(), dinv, z2[prev],
        t2[prev], null, inv, centre, 0, s.bounds(), s.parallel());
    for (int j = 2; j <= degree; j++) {
      int next = 3 - prev - cur;
      DoubleKernels.chebyshevStep2(t2[next], z2[next], a.rowPtr(), a.col(), dinv, z2[cur],
          t2[cur], t2[prev], 2 * inv, centre, 1, s.bounds(), s.parallel());
      prev = cur;
      cur = next;
    }
    double[] tc = t2[cur];
    for (int i = 0; i < n; i++) {
      y0[i] = tc[2 * i];
      y1[i] = tc[2 * i + 1];
    }
  }
}
