package org.gnn4j.cli.plot;

import java.util.SplittableRandom;

/**
 * Node positions for a drawing, by Fruchterman and Reingold's force-directed placement
 * ("Graph drawing by force-directed placement", 1991): every pair of nodes repels with force
 * k^2 / d, every edge attracts with d^2 / k, and each step moves a node at most a temperature
 * that cools linearly to zero. A weak pull to the centre keeps separate components in view.
 * Starts from seeded random positions, so a seed gives the same picture every time. O(n^2) per
 * step: meant for drawings of up to a few hundred nodes.
 */
public final class ForceLayout {
  private static final double GRAVITY = 0.05;

  private ForceLayout() {}

  /**
   * @param n number of nodes
   * @param a one end of each edge; b the other (direction is ignored)
   * @return [n][2] positions scaled into [0, 1] x [0, 1]
   */
  public static double[][] layout(int n, int[] a, int[] b, long seed, int iterations) {
    double[][] p = new double[n][2];
    SplittableRandom rng = new SplittableRandom(seed);
    for (double[] q : p) {
      q[0] = rng.nextDouble();
      q[1] = rng.nextDouble();
    }
    if (n < 2) return center(p);
    double k = Math.sqrt(1.0 / n);
    double[][] disp = new double[n][2];
    for (int it = 0; it < iterations; it++) {
      double temperature = 0.1 * (1 - (double) it / iterations);
      for (double[] d : disp) d[0] = d[1] = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dx = p[i][0] - p[j][0];
          double dy = p[i][1] - p[j][1];
          double d2 = Math.max(dx * dx + dy * dy, 1e-9);
          double f = k * k / d2;                 // (k^2 / d) along the unit vector (dx, dy) / d
          disp[i][0] += dx * f;
          disp[i][1] += dy * f;
          disp[j][0] -= dx * f;
          disp[j][1] -= dy * f;
        }
      }
      for (int e = 0; e < a.length; e++) {
        int i = a[e];
        int j = b[e];
        if (i == j) continue;
        double dx = p[i][0] - p[j][0];
        double dy = p[i][1] - p[j][1];
        double d = Math.sqrt(dx * dx + dy * dy);
        double f = d / k;                        // (d^2 / k) along the unit vector
        disp[i][0] -= dx * f;
        disp[i][1] -= dy * f;
        disp[j][0] += dx * f;
        disp[j][1] += dy * f;
      }
      for (int i = 0; i < n; i++) {
        disp[i][0] += GRAVITY * (0.5 - p[i][0]) / k;
        disp[i][1] += GRAVITY * (0.5 - p[i][1]) / k;
        double len = Math.sqrt(disp[i][0] * disp[i][0] + disp[i][1] * disp[i][1]);
        if (len > 0) {
          double step = Math.min(len, temperature) / len;
          p[i][0] += disp[i][0] * step;
          p[i][1] += disp[i][1] * step;
        }
      }
    }
    return center(p);
  }

  /** Scales the positions into [0, 1] x [0, 1], keeping the aspect ratio. */
  private static double[][] center(double[][] p) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] q : p) {
      minX = Math.min(minX, q[0]);
      maxX = Math.max(maxX, q[0]);
      minY = Math.min(minY, q[1]);
      maxY = Math.max(maxY, q[1]);
    }
    double span = Math.max(maxX - minX, maxY - minY);
    if (!(span > 0)) {
      for (double[] q : p) q[0] = q[1] = 0.5;
      return p;
    }
    double ox = (span - (maxX - minX)) / 2;
    double oy = (span - (maxY - minY)) / 2;
    for (double[] q : p) {
      q[0] = (q[0] - minX + ox) / span;
      q[1] = (q[1] - minY + oy) / span;
    }
    return p;
  }
}
