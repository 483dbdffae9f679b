package org.gnn4j.pe;


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
  private double[][] t4;          // and for four, [n, 4] (made on first use: Lanczos block 2
  private double[][] z4;          // never needs them)
  private final double lo;
  private long nanos;             // time spent applying the filter (for the caller's log)

  ChebyshevFilter(NormalizedAdjacency s, int degree, double lo, double hi) {
    if (degree < 1 || !(hi > lo)) {
      throw new IllegalArgumentException("ChebyshevFilter: need degree >= 1 and hi > lo (got "
          + degree + ", [" + lo + ", " + hi + "])");
    }
    this.s = s;
    this.degree = degree;
    this.centre = (hi + lo) / 2;
    this.halfWidth = (hi - lo) / 2;
    this.lo = lo;
    int n = s.size();
    t = new double[3][n];
    z = new double[3][n];
    t2 = new double[3][2 * n];
    z2 = new double[3][2 * n];
  }

  /** The bottom of the damped interval. */
  double lo() {
    return lo;
  }

  /** Wall time spent in {@link #apply} and {@link #applyBlock} so far. */
  long nanos() {
    return nanos;
  }

  @Override
  public int size() {
    return s.size();
  }

  @Override
  public void apply(double[] x, double[] y) {
    long t0 = System.nanoTime();
    int n = size();
    Adjacency a = s.adjacency();
    double[] dinv = s.dinv();
    double inv = 1 / halfWidth;
    int prev = 0;
    int cur = 1;
    System.arraycopy(x, 0, t[prev], 0, n);
    for (int i = 0; i < n; i++) z[prev][i] = dinv[i] * x[i];
    // T_1 = (S - c) x / e; T_{j+1} = 2 (S - c) T_j / e - T_{j-1}, each one fused pass.
    s.countMatVecs(degree);
    s.loops().chebyshevStep(t[cur], z[cur], a.rowPtr(), a.col(), dinv, z[prev], t[prev],
        null, inv, centre, 0, s.bounds(), s.parallel());
    for (int j = 2; j <= degree; j++) {
      int next = 3 - prev - cur;
      s.loops().chebyshevStep(t[next], z[next], a.rowPtr(), a.col(), dinv, z[cur], t[cur],
          t[prev], 2 * inv, centre, 1, s.bounds(), s.parallel());
      prev = cur;
      cur = next;
    }
    System.arraycopy(t[cur], 0, y, 0, n);
    nanos += System.nanoTime() - t0;
  }

  /**
   * p'(s) at the s where p(s) = theta: T_q'(x) / e = q sinh(q u) / (e sinh u) with
   * x = cosh u, and sinh(q u) = sqrt(theta^2 - 1). For a Ritz vector mixing the wanted
   * eigenvector with close ones, ||p(S) v - theta v|| is about p' times ||S v - s v||. At or
   * below 1 (the damped range) it returns 1.
   */
  @Override
  public double residualScale(double theta) {
    if (!(theta > 1)) return 1;
    double u = acosh(theta) / degree;
    double slope = degree * Math.sqrt(theta * theta - 1) / (halfWidth * Math.sinh(u));
    return Math.max(1, slope);
  }

  private static double acosh(double x) {
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  /** Two or four vectors per pass over A (interleaved), the rest one at a time. */
  @Override
  public void applyBlock(double[][] x, double[][] y, int count) {
    long t0 = System.nanoTime();
    int c = 0;
    for (; c + 3 < count; c += 4) applyInterleaved(x, y, c, 4);
    for (; c + 1 < count; c += 2) applyInterleaved(x, y, c, 2);
    long before = nanos;
    for (; c < count; c++) apply(x[c], y[c]);
    nanos = before + System.nanoTime() - t0;
  }

  /** y[first + c] = p(S) x[first + c], c < width (2 or 4), on [n, width] interleaved copies. */
  private void applyInterleaved(double[][] x, double[][] y, int first, int width) {
    int n = size();
    Adjacency a = s.adjacency();
    double[] dinv = s.dinv();
    double inv = 1 / halfWidth;
    if (width == 4 && t4 == null) {
      t4 = new double[3][4 * n];
      z4 = new double[3][4 * n];
    }
    s.countMatVecs(width * degree);
    double[][] tw = width == 2 ? t2 : t4;
    double[][] zw = width == 2 ? z2 : z4;
    int prev = 0;
    int cur = 1;
    double[] tp = tw[prev];
    double[] zp = zw[prev];
    for (int c = 0; c < width; c++) {
      double[] xc = x[first + c];
      for (int i = 0; i < n; i++) {
        tp[width * i + c] = xc[i];
        zp[width * i + c] = dinv[i] * xc[i];
      }
    }
    step(width, tw[cur], zw[cur], a, dinv, zw[prev], tw[prev], null, inv, 0);
    for (int j = 2; j <= degree; j++) {
      int next = 3 - prev - cur;
      step(width, tw[next], zw[next], a, dinv, zw[cur], tw[cur], tw[prev], 2 * inv, 1);
      prev = cur;
      cur = next;
    }
    double[] tc = tw[cur];
    for (int c = 0; c < width; c++) {
      double[] yc = y[first + c];
      for (int i = 0; i < n; i++) yc[i] = tc[width * i + c];
    }
  }

  private void step(int width, double[] out, double[] zOut, Adjacency a, double[] dinv,
                    double[] z, double[] q, double[] p, double scale, double b) {
    if (width == 2) {
      s.loops().chebyshevStep2(out, zOut, a.rowPtr(), a.col(), dinv, z, q, p, scale, centre,
          b, s.bounds(), s.parallel());
    } else {
      s.loops().chebyshevStep4(out, zOut, a.rowPtr(), a.col(), dinv, z, q, p, scale, centre,
          b, s.bounds(), s.parallel());
    }
  }
}
