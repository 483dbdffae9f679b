package org.gnn4j.internal.kernel;

/**
 * The inner loops whose cost is transcendental math, data-dependent branches or row
 * reductions: activations (exp, log, tanh, sigmoid, elu, gelu, relu, leaky relu), the
 * max/exp-sum of softmax rows and the row statistics of layer norm. Per element, Java's scalar
 * {@code Math.exp} costs ~10-20 ns and a mispredicted relu branch ~4 ns, while a Vector API
 * {@code lanewise(EXP)} or a lane blend costs well under 1 ns. A kernel set's {@link Kernels#math()} is
 * the Vector API version for the Vector API set and the plain-Java reference ({@link ScalarMath})
 * otherwise. Methods work on one range or row; the callers in
 * {@link ElementwiseKernels} and {@link NormKernels} split and thread.
 */
public interface MathKernels {
  /** "scalar" or "vector(&lt;bits&gt;-bit)". */
  String name();

  /**
   * out[i] = f(x[i]) for i in [from, to), f one of {@link ElementwiseKernels#EXP}, LOG, TANH,
   * SIGMOID, RELU, LEAKY_RELU (slope = p), ELU (alpha = p) or GELU. Each element's value does
   * not depend on the range bounds.
   */
  void activation(int op, float[] out, float[] x, float p, int from, int to);

  /**
   * dx[i] = g[i] f'(x[i]) for i in [from, to), f one of RELU, LEAKY_RELU, ELU (uses the saved
   * output y) or GELU; torch's choice at the kink: relu'(0) = 0, leaky'(0) = p, elu'(0) = p.
   */
  void activationBackward(int op, float[] dx, float[] g, float[] x, float[] y, float p, int from,
                          int to);

  /** max of x[off, off + n) (NaN if any is NaN, -inf if n = 0). */
  float max(float[] x, int off, int n);

  /**
   * Returns sum_j exp(x[off + j] - shift) over j in [0, n) and, when {@code store}, also writes
   * each term to y[off + j].
   */
  double expSum(float[] y, float[] x, int off, int n, float shift, boolean store);

  /** y[yOff + j] += a * x[xOff + j] for j in [0, n): the inner step of blocked attention. */
  void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n);

  /** sum of x[off, off + n). */
  double sum(float[] x, int off, int n);

  /** sum of (x[off + j] - mean)^2 over j in [0, n). */
  double sumSquaredDeviations(float[] x, int off, int n, float mean);

  /**
   * y[off + j] = (x[off + j] - mean) * rstd * w[j] + b[j] for j in [0, n); w and b may be null
   * (1 and 0): one normalised row of layer norm.
   */
  void normalizeRow(float[] y, float[] x, int off, int n, float mean, float rstd, float[] w,
                    float[] b);

  /**
   * One row of the layer norm backward, xhat = (x - mean) rstd, dxhat = g w:
   * dx = rstd (dxhat - mean_j dxhat - xhat mean_j(dxhat xhat)) (when dx is not null), and
   * fw[j] += g xhat, fb[j] += g (each when not null). w may be null (1).
   */
  void layerNormRowBackward(float[] dx, float[] fw, float[] fb, float[] g, float[] x, int off,
                            int n, float mean, float rstd, float[] w);

  /** The plain-Java reference. */
  static MathKernels scalar() {
    return ScalarMath.INSTANCE;
  }

  /**
   * Rows [from, to) of width f: {@code out = max((x - mean) * scale + shift, 0) + res}, an
   * eval-mode batch norm (scale = rstd * weight per column), ReLU and residual in one pass that
   * rounds exactly as the three steps do apart. With {@code mean} null no norm ({@code max(x, 0)});
   * with {@code res} null no residual.
   */
  default void normReluAdd(float[] out, float[] x, float[] mean, float[] scale, float[] shift,
      float[] res, int f, int from, int to) {
    for (int r = from; r < to; r++) {
      int o = r * f;
      for (int j = 0; j < f; j++) {
        float v = mean == null ? x[o + j] : (x[o + j] - mean[j]) * scale[j] + shift[j];
        v = Math.max(v, 0f);
        out[o + j] = res == null ? v : v + res[o + j];
      }
    }
  }
}
