package org.gnn4j.cli.plot;

import java.util.SplittableRandom;

/**
 * Node positions for a drawing, by Fruchterman and Reingold's force-directed placement
 * ("Graph drawing by force-directed placement", 1991): every pair of nodes repels with force
 * k^2 / d, every edge attracts with d^2 / k, and each step moves a node at most a temperature
 * that cools linearly to zero. A weak pull to the centre keeps separate components in view.
 * Starts from seeded random positions, so a seed gives the same picture every time; since a
 * start can fold a ring over itself, {@link #untangled} keeps the best of a few starts by edge
 * crossings. O(n^2) per step: meant for drawings of up to a few hundred nodes.
 */
public final class ForceLayout {
  private static final double GRAVITY = 0.05;

  private ForceLayout() {}

  /**
   * The layout with the fewest crossing edges among {@code tries} starts drawn from the seed
   * (the first start wins ties).
   */
  public static double[][] untangled(int n, int[] a, int[] b, long seed, int iterations,
                                     int tries) {
    SplittableRandom seeds = new SplittableRandom(seed);
    double[][] best = null;
    long fewest = Long.MAX_VALUE;
    for (int t = 0; t < tries; t++) {
      double[][] p = layout(n, a, b, seeds.nextLong(), iterations);
      long c = crossings(p, a, b);
      if (c < fewest) {
        fewest = c;
        best = p;
      }
    }
    return best;
  }

  /** Pairs of edges without a shared end whose segments intersect. */
  static long crossings(double[][] p, int[] a, int[] b) {
    long c = 0;
    for (int e = 0; e < a.length; e++) {
      for (int f = e + 1; f < a.length; f++) {
        if (a[e] == a[f] || a[e] == b[f] || b[e] == a[f] || b[e] == b[f]) continue;
        if (java.awt.geom.Line2D.linesIntersect(p[a[e]][0], p[a[e]][1], p[b[e]][0], p[b[e]][1],
            p[a[f]][0], p[a[f]][1], p[b[f]][0], p[b[f]][1])) {
          c++;
        }
      }
    }
    return c;
  }

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
      double temperature = 0.2 * (1 - (double) it / iterations);
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
