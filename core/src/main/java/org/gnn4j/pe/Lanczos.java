package org.gnn4j.pe;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.DoubleKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Thick-restart Lanczos (Wu and Simon, SIAM J. Matrix Anal. Appl. 22, 2000) for the largest
 * eigenvalues of a large sparse symmetric operator, in double precision with full
 * reorthogonalisation (classical Gram-Schmidt, twice). It builds an orthonormal Krylov basis
 * V [n, m] with the projected matrix H = V^T A V, decomposes H with {@link DenseEigen}, and
 * when the basis is full keeps the best Ritz vectors plus the last residual direction and
 * continues from there (the "thick" restart: nothing learned is thrown away). A Ritz pair
 * (theta, x) has residual ||A x - theta x|| = |beta_m y_m|, which is the stopping test.
 * Known eigenvectors (the trivial ones of a Laplacian) are kept out of the basis by a
 * {@link Deflation}. Deterministic for a seed and thread count.
 */
public final class Lanczos {
  /** A symmetric linear operator y = A x on vectors of length {@link #size()}. */
  public interface Operator {
    int size();

    /** Writes A x into y (both of length size(); x is not modified). */
    void apply(double[] x, double[] y);
  }

  /** Removes from w its components along known orthonormal vectors (in place). */
  @FunctionalInterface
  public interface Deflation {
    void project(double[] w);

    /** No known vectors. */
    static Deflation none() {
      return w -> { };
    }
  }

  /**
   * @param subspace basis size m before a restart (at least nev + 2; capped by the dimension)
   * @param tol stop when every wanted pair has ||A x - theta x|| <= tol
   * @param maxRestarts give up (with {@link Result#converged()} false) after this many
   */
  public record Options(int subspace, double tol, int maxRestarts) {
    public Options {
      if (subspace < 3 || !(tol > 0) || maxRestarts < 0) {
        throw new IllegalArgumentException("Lanczos: need subspace >= 3, tol > 0, maxRestarts >= 0"
            + " (got " + subspace + ", " + tol + ", " + maxRestarts + ")");
      }
    }

    /** A basis of max(2 nev + 20, 40) vectors, tol 1e-6, 1000 restarts. */
    public static Options defaults(int nev) {
      return new Options(Math.max(2 * nev + 20, 40), 1e-6, 1000);
    }
  }

  /**
   * Wanted eigenpairs, largest eigenvalue first.
   *
   * @param values [nev] descending
   * @param vectors [nev][n] orthonormal Ritz vectors
   * @param residuals [nev] ||A x - theta x|| as estimated by the Lanczos relation
   */
  public record Result(double[] values, double[][] vectors, double[] residuals, int matVecs,
                       int restarts, boolean converged) {}

  private Lanczos() {}

  /**
   * The {@code nev} largest eigenpairs of {@code op} in the complement of the deflated space.
   *
   * @param dim dimension of that complement (n minus the number of deflated vectors); nev must
   *     not exceed it
   * @throws IllegalArgumentException if nev < 1 or nev > dim
   */
  public static Result largest(Operator op, int nev, int dim, Deflation deflation, Options opt,
                               SplittableRandom rng, Parallel par) {
    int n = op.size();
    if (nev < 1 || nev > dim || dim > n) {
      throw new IllegalArgumentException("Lanczos: need 1 <= nev <= dim <= n (got nev = " + nev
          + ", dim = " + dim + ", n = " + n + ")");
    }
    Result best = run(op, nev, dim, deflation, opt, rng, par);
    int matVecs = best.matVecs();
    int restarts = best.restarts();
    // A single start vector sees one direction per eigenspace, so a repeated eigenvalue shows up
    // once. Check: lock what was found, look for the top pair of the rest, merge, until the rest
    // has nothing above the nev-th value.
    while (dim - best.values().length > 0) {
      double[][] locked = best.vectors();
      Deflation both = w -> {
        deflation.project(w);
        for (int pass = 0; pass < 2; pass++) {
          for (double[] f : locked) {
            double c = DoubleKernels.dot(f, w, n, par);
            for (int i = 0; i < n; i++) w[i] -= c * f[i];
          }
        }
      };
      Result more = run(op, 1, dim - locked.length, both, opt, rng, par);
      matVecs += more.matVecs();
      restarts += more.restarts();
      double last = best.values()[nev - 1];
      if (!(more.values()[0] > last + opt.tol())) break;
      best = merge(best, more, nev);
    }
    return new Result(best.values(), best.vectors(), best.residuals(), matVecs, restarts,
        best.converged());
  }

  /** The nev largest pairs of a and b (b's vectors are orthogonal to a's). */
  private static Result merge(Result a, Result b, int nev) {
    int na = a.values().length;
    int nb = b.values().length;
    double[] values = new double[nev];
    double[][] vectors = new double[nev][];
    double[] residuals = new double[nev];
    int i = 0;
    int j = 0;
    for (int t = 0; t < nev; t++) {
      boolean fromA = j >= nb || (i < na && a.values()[i] >= b.values()[j]);
      Result r = fromA ? a : b;
      int idx = fromA ? i++ : j++;
      values[t] = r.values()[idx];
      vectors[t] = r.vectors()[idx];
      residuals[t] = r.residuals()[idx];
    }
    return new Result(values, vectors, residuals, 0, 0, a.converged() && b.converged());
  }

  private static Result run(Operator op, int nev, int dim, Deflation deflation, Options opt,
                            SplittableRandom rng, Parallel par) {
    int n = op.size();
    int m = Math.min(Math.max(opt.subspace(), nev + 2), dim);
    int ld = m;
    double[] v = new double[n * ld];          // v: [n, m] row-major basis
    double[][] h = new double[m][m];          // projected matrix
    double[] w = new double[n];
    double[] x = new double[n];
    double[] coef = new double[ld];
    double[] coef2 = new double[ld];
    double[] partial = new double[par.threads() * ld];
    int matVecs = 0;
    int kept = 0;
    double beta = fill(v, ld, 0, 0, n, deflation, rng, coef, partial, par, w);
    for (int restart = 0; ; restart++) {
      for (int j = kept; j < m; j++) {
        column(v, ld, j, x, n);
        op.apply(x, w);
        matVecs++;
        deflation.project(w);
        orthogonalize(w, v, ld, j + 1, n, coef, coef2, partial, par);
        for (int i = 0; i <= j; i++) {
          h[i][j] = coef[i];
          h[j][i] = coef[i];
        }
        beta = Math.sqrt(DoubleKernels.dot(w, w, n, par));
        if (j + 1 == m) break;
        double scale = Math.max(1, Math.abs(coef[j]));
        if (beta <= 1e-12 * scale) {
          // The basis spans an invariant subspace: continue with a fresh direction, no coupling.
          fill(v, ld, j + 1, j + 1, n, deflation, rng, coef, partial, par, w);
          beta = 0;
        } else {
          setColumn(v, ld, j + 1, w, 1 / beta, n);
        }
        h[j + 1][j] = beta;
        h[j][j + 1] = beta;
      }
      DenseEigen.Result eig = DenseEigen.symmetric(h);
      double[] res = new double[m];
      for (int i = 0; i < m; i++) res[i] = Math.abs(beta * eig.vectors()[m - 1][i]);
      boolean done = m == dim || beta <= 1e-14;
      if (!done) {
        done = true;
        for (int t = 0; t < nev; t++) done &= res[m - 1 - t] <= opt.tol();
      }
      if (done || restart >= opt.maxRestarts()) {
        return finish(v, ld, m, n, nev, eig, res, matVecs, restart, done, par);
      }
      kept = Math.min(m - 1, nev + (m - nev) / 2);
      restartBasis(v, ld, m, n, kept, eig, w, beta, h, par);
      // Rounding leaves the residual direction slightly off the rotated basis: clean it.
      orthogonalize(w, v, ld, kept, n, coef, coef2, partial, par);
      deflation.project(w);
      setColumn(v, ld, kept, w, 1 / Math.sqrt(DoubleKernels.dot(w, w, n, par)), n);
    }
  }

  /** CGS2: w -= V c twice; coef receives the total projection. */
  private static void orthogonalize(double[] w, double[] v, int ld, int cols, int n,
                                    double[] coef, double[] coef2, double[] partial, Parallel par) {
    DoubleKernels.basisDots(coef, v, ld, cols, w, n, partial, par);
    DoubleKernels.basisSubtract(w, v, ld, cols, coef, n, par);
    DoubleKernels.basisDots(coef2, v, ld, cols, w, n, partial, par);
    DoubleKernels.basisSubtract(w, v, ld, cols, coef2, n, par);
    for (int i = 0; i < cols; i++) coef[i] += coef2[i];
  }

  /** A seeded random unit vector orthogonal to the deflated space and columns [0, cols). */
  private static double fill(double[] v, int ld, int col, int cols, int n, Deflation deflation,
                             SplittableRandom rng, double[] coef, double[] partial, Parallel par,
                             double[] w) {
    double[] coef2 = new double[coef.length];
    for (int attempt = 0; attempt < 10; attempt++) {
      for (int i = 0; i < n; i++) w[i] = rng.nextDouble() * 2 - 1;
      deflation.project(w);
      if (cols > 0) orthogonalize(w, v, ld, cols, n, coef, coef2, partial, par);
      deflation.project(w);
      double norm = Math.sqrt(DoubleKernels.dot(w, w, n, par));
      if (norm > 1e-8 * Math.sqrt(n)) {
        setColumn(v, ld, col, w, 1 / norm, n);
        return norm;
      }
    }
    throw new IllegalStateException("Lanczos: cannot find a direction outside the current basis"
        + " (dimension smaller than stated?)");
  }

  private static void restartBasis(double[] v, int ld, int m, int n, int kept,
                                   DenseEigen.Result eig, double[] w, double beta, double[][] h,
                                   Parallel par) {
    double[] y = new double[m * kept];        // y: [m, kept], the top `kept` Ritz vectors of H
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < kept; i++) y[j * kept + i] = eig.vectors()[j][m - 1 - i];
    }
    DoubleKernels.basisRotate(v, ld, m, y, kept, n, par);
    // The residual direction w / beta becomes column `kept`.
    setColumn(v, ld, kept, w, 1 / beta, n);
    for (double[] row : h) java.util.Arrays.fill(row, 0);
    for (int i = 0; i < kept; i++) {
      h[i][i] = eig.values()[m - 1 - i];
      double b = beta * eig.vectors()[m - 1][m - 1 - i];
      h[i][kept] = b;
      h[kept][i] = b;
    }
  }

  private static Result finish(double[] v, int ld, int m, int n, int nev, DenseEigen.Result eig,
                               double[] res, int matVecs, int restarts, boolean converged,
                               Parallel par) {
    double[] values = new double[nev];
    double[] residuals = new double[nev];
    double[][] vectors = new double[nev][n];
    for (int t = 0; t < nev; t++) {
      int idx = m - 1 - t;
      values[t] = eig.values()[idx];
      residuals[t] = res[idx];
      double[] y = new double[m];
      for (int j = 0; j < m; j++) y[j] = eig.vectors()[j][idx];
      double[] out = vectors[t];
      par.forRange(n, 1 << 12, (c, from, to) -> {
        for (int r = from; r < to; r++) {
          double s = 0;
          int base = r * ld;
          for (int j = 0; j < m; j++) s += v[base + j] * y[j];
          out[r] = s;
        }
      });
    }
    return new Result(values, vectors, residuals, matVecs, restarts, converged);
  }

  private static void column(double[] v, int ld, int j, double[] out, int n) {
    for (int r = 0; r < n; r++) out[r] = v[r * ld + j];
  }

  private static void setColumn(double[] v, int ld, int j, double[] src, double scale, int n) {
    for (int r = 0; r < n; r++) v[r * ld + j] = src[r] * scale;
  }
}
