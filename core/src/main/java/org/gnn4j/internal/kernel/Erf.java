package org.gnn4j.internal.kernel;

/**
 * The error function, its complement and the standard normal CDF in double precision: what
 * exact GELU (x Phi(x), torch's default) needs, and what its Vector API version is checked
 * against. Pure functions, no state.
 */
public final class Erf {
  private Erf() {}

  // ---- erf -------------------------------------------------------------------------------------

  private static final double INV_SQRT_2 = 0.7071067811865476;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  /** Phi(x) = P(N(0,1) &lt;= x) = erfc(-x / sqrt 2) / 2. */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x * INV_SQRT_2);
  }

  /**
   * The error function. For |x| &lt; 0.5 a 9-term Taylor series (truncation &lt; 1e-10); otherwise
   * 1 - {@link #erfc}. Absolute error &lt; 1.3e-7 everywhere, relative error small near 0 too.
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 0.5) {
      // erf x = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
      double x2 = x * x;
      double term = x;
      double sum = x;
      for (int n = 1; n <= 8; n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      return TWO_OVER_SQRT_PI * sum;
    }
    return x > 0 ? 1.0 - erfc(x) : erfc(-x) - 1.0;
  }

  /**
   * The complementary error function by the Chebyshev-fitted formula of Numerical Recipes
   * (Press et al., "erfcc"): erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z/2), with a fractional
   * error below 1.2e-7 for every z >= 0; erfc(-z) = 2 - erfc(z). Relative accuracy in the tail
   * keeps gelu(x) = x Phi(x) accurate for large negative x, where 1 + erf(x) would cancel.
   */
  public static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))));
    double r = t * Math.exp(-z * z + poly);
    return x >= 0 ? r : 2.0 - r;
  }
}
