package org.gnn4j.internal.kernel;

import static org.gnn4j.internal.kernel.ElementwiseKernels.ELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.EXP;
import static org.gnn4j.internal.kernel.ElementwiseKernels.GELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LEAKY_RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LOG;
import static org.gnn4j.internal.kernel.ElementwiseKernels.RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.SIGMOID;
import static org.gnn4j.internal.kernel.ElementwiseKernels.TANH;

/**
 * The reference {@link MathKernels}: java.lang.Math in double, rounded once to float, and gelu
 * through {@link ElementwiseKernels#normalCdf}. The accuracy baseline for the Vector API one.
 */
final class ScalarMath implements MathKernels {
  static final ScalarMath INSTANCE = new ScalarMath();

  private static final double INV_SQRT_2PI = 0.3989422804014327;

  private ScalarMath() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void activation(int op, float[] out, float[] x, float p, int from, int to) {
    switch (op) {
      // max / min instead of a branch: no mispredictions on mixed signs, and NaN stays NaN
      case RELU -> { for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f); }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f) + p * Math.min(x[i], 0f);
      }
      case EXP -> { for (int i = from; i < to; i++) out[i] = (float) Math.exp(x[i]); }
      case LOG -> { for (int i = from; i < to; i++) out[i] = (float) Math.log(x[i]); }
      case TANH -> { for (int i = from; i < to; i++) out[i] = (float) Math.tanh(x[i]); }
      case SIGMOID -> {
        for (int i = from; i < to; i++) out[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
      }
      case ELU -> {
        for (int i = from; i < to; i++) out[i] = x[i] > 0f ? x[i] : (float) (p * Math.expm1(x[i]));
      }
      case GELU -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) (x[i] * Erf.normalCdf(x[i]));
        }
      }
      default -> throw new AssertionError("activation op " + op);
    }
  }

  @Override
  public void activationBackward(int op, float[] dx, float[] g, float[] x, float[] y, float p,
                                 int from, int to) {
    switch (op) {
      case RELU -> { for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : 0f; }
      case LEAKY_RELU -> { for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : g[i] * p; }
      // for x <= 0: y = a (e^x - 1), so y' = a e^x = y + a
      case ELU -> {
        for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : g[i] * (y[i] + p);
      }
      // (x Phi(x))' = Phi(x) + x phi(x)
      case GELU -> {
        for (int i = from; i < to; i++) {
          double xi = x[i];
          dx[i] = (float) (g[i] * (Erf.normalCdf(xi)
              + xi * INV_SQRT_2PI * Math.exp(-0.5 * xi * xi)));
        }
      }
      default -> throw new AssertionError("activation backward op " + op);
    }
  }

  @Override
  public void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    for (int j = 0; j < n; j++) y[yOff + j] += a * x[xOff + j];
  }

  @Override
  public double sum(float[] x, int off, int n) {
    double s = 0;
    for (int j = 0; j < n; j++) s += x[off + j];
    return s;
  }

  @Override
  public double sumSquaredDeviations(float[] x, int off, int n, float mean) {
    double v = 0;
    for (int j = 0; j < n; j++) {
      double d = x[off + j] - mean;
      v += d * d;
    }
    return v;
  }

  @Override
  public void normalizeRow(float[] y, float[] x, int off, int n, float mean, float rstd,
                           float[] w, float[] b) {
    for (int j = 0; j < n; j++) {
      float h = (x[off + j] - mean) * rstd;
      y[off + j] = (w == null ? h : h * w[j]) + (b == null ? 0f : b[j]);
    }
  }

  @Override
  public void layerNormRowBackward(float[] dx, float[] fw, float[] fb, float[] g, float[] x,
                                   int off, int n, float mean, float rstd, float[] w) {
    if (dx != null) {
      double s1 = 0;
      double s2 = 0;
      for (int j = 0; j < n; j++) {
        float dh = w == null ? g[off + j] : g[off + j] * w[j];
        s1 += dh;
        s2 += dh * ((x[off + j] - mean) * rstd);
      }
      float c1 = (float) (s1 / n);
      float c2 = (float) (s2 / n);
      for (int j = 0; j < n; j++) {
        float dh = w == null ? g[off + j] : g[off + j] * w[j];
        dx[off + j] = rstd * (dh - c1 - (x[off + j] - mean) * rstd * c2);
      }
    }
    if (fw != null) {
      for (int j = 0; j < n; j++) fw[j] += g[off + j] * ((x[off + j] - mean) * rstd);
    }
    if (fb != null) for (int j = 0; j < n; j++) fb[j] += g[off + j];
  }

  @Override
  public float max(float[] x, int off, int n) {
    float m = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) m = Math.max(m, x[off + j]);
    return m;
  }

  @Override
  public double expSum(float[] y, float[] x, int off, int n, float shift, boolean store) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp(x[off + j] - shift);
      if (store) y[off + j] = e;
      sum += e;
    }
    return sum;
  }
}
