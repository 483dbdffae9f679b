package org.gnn4j.pe;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix by cyclic Jacobi rotations, in
 * double precision. Used for the Lanczos projected matrix and for whole graphs below about a
 * hundred nodes, where it is exact to rounding and simpler than any sparse method. O(m^3) per
 * sweep; converges quadratically, typically in under ten sweeps.
 */
public final class DenseEigen {
  private static final int MAX_SWEEPS = 60;

  /** Eigenpairs in ascending eigenvalue order: values [m], vectors [m][m] column j = pair j. */
  public record Result(double[] values, double[][] vectors) {}

  private DenseEigen() {}

  /**
   * Decomposes the symmetric matrix {@code a} (only read, never modified; m x m, row-major
   * {@code a[i][j]}). The upper triangle is used.
   *
   * @throws IllegalArgumentException if a is not square
   */
  public static Result symmetric(double[][] a) {
    int m = a.length;
    double[][] s = new double[m][];
    for (int i = 0; i < m; i++) {
      if (a[i].length != m) {
        throw new IllegalArgumentException("DenseEigen: row " + i + " has " + a[i].length
            + " entries (expected " + m + " for a square matrix)");
      }
      s[i] = new double[m];
      for (int j = 0; j < m; j++) s[i][j] = j >= i ? a[i][j] : a[j][i];
    }
    double[][] v = new double[m][m];
    for (int i = 0; i < m; i++) v[i][i] = 1;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < m; i++) {
        diag += s[i][i] * s[i][i];
        for (int j = i + 1; j < m; j++) off += s[i][j] * s[i][j];
      }
      if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL)) break;
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) rotate(s, v, p, q);
      }
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) order[i] = i;
    Arrays.sort(order, (x, y) -> Double.compare(s[x][x], s[y][y]));
    double[] values = new double[m];
    double[][] vectors = new double[m][m];
    for (int j = 0; j < m; j++) {
      int src = order[j];
      values[j] = s[src][src];
      for (int i = 0; i < m; i++) vectors[i][j] = v[i][src];
    }
    return new Result(values, vectors);
  }

  /** Zeroes s[p][q] by one rotation applied on both sides; v accumulates the rotations. */
  private static void rotate(double[][] s, double[][] v, int p, int q) {
    double apq = s[p][q];
    if (apq == 0) return;
    double app = s[p][p];
    double aqq = s[q][q];
    // tan of the rotation angle as the smaller root of t^2 + 2 theta t - 1 = 0 (stable form).
    double theta = (aqq - app) / (2 * apq);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) t = 1;
    double c = 1 / Math.sqrt(t * t + 1);
    double sn = t * c;
    int m = s.length;
    for (int k = 0; k < m; k++) {
      double skp = s[k][p];
      double skq = s[k][q];
      s[k][p] = c * skp - sn * skq;
      s[k][q] = sn * skp + c * skq;
    }
    for (int k = 0; k < m; k++) {
      double spk = s[p][k];
      double sqk = s[q][k];
      s[p][k] = c * spk - sn * sqk;
      s[q][k] = sn * spk + c * sqk;
    }
    s[p][q] = 0;
    s[q][p] = 0;
    for (int k = 0; k < m; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - sn * vkq;
      v[k][q] = sn * vkp + c * vkq;
    }
  }
}
