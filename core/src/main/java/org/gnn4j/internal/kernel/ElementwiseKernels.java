package org.gnn4j.internal.kernel;

/**
 * Plain-Java loops behind the element-wise ops (broadcast binary arithmetic, activations and
 * scalar ops, axis reductions, strided copies for transpose/permute): static, allocation-free
 * per element, dispatched once per call (or per row) on an op code, and split over the context's
 * {@link Parallel} in fixed contiguous ranges of about {@link #GRAIN} elements so results are
 * deterministic. Broadcasting arrives pre-planned as output dims plus one stride per operand
 * (0 on a broadcast dim). The transcendental loops (exp, tanh, gelu...) are delegated to a
 * {@link MathKernels} (Vector API when available). Callers (the ops) validate; these trust
 * their input.
 */
public final class ElementwiseKernels {
  private ElementwiseKernels() {}

  /** Elements per parallel chunk: below this, threading costs more than it saves. */
  public static final int GRAIN = 32_768;

  public static final int ADD = 0;
  public static final int SUB = 1;
  public static final int MUL = 2;
  public static final int DIV = 3;

  public static final int EXP = 0;
  public static final int LOG = 1;
  public static final int RELU = 2;
  public static final int LEAKY_RELU = 3;
  public static final int ELU = 4;
  public static final int GELU = 5;
  public static final int SIGMOID = 6;
  public static final int TANH = 7;
  public static final int NEG = 8;
  public static final int ADD_SCALAR = 9;
  public static final int MUL_SCALAR = 10;
  public static final int POW = 11;
  public static final int SQRT = 12;

  // ---- broadcast binary ------------------------------------------------------------------------

  /**
   * out[idx] = a[idx . aStrides] op b[idx . bStrides] over the row-major index space
   * {@code dims} (rank >= 1, numel > 0, numel == out.length).
   */
  public static void binary(int op, float[] out, float[] a, int[] aStrides, float[] b,
                            int[] bStrides, int[] dims, Parallel par) {
    int r = dims.length;
    int inner = dims[r - 1];
    int sa = aStrides[r - 1];
    int sb = bStrides[r - 1];
    if (r == 1) { // one long row (the same-shape case): split the row itself
      par.forRange(inner, GRAIN, (c, from, to) ->
          binaryRow(op, out, from, a, from * sa, sa, b, from * sb, sb, to - from));
      return;
    }
    int rows = out.length / inner;
    par.forRange(rows, Math.max(1, GRAIN / inner), (c, from, to) -> {
      int[] idx = new int[r - 1];                          // idx: odometer over the outer dims
      int ao = 0;
      int bo = 0;
      for (int d = r - 2, rem = from; d >= 0; d--) {
        idx[d] = rem % dims[d];
        rem /= dims[d];
        ao += idx[d] * aStrides[d];
        bo += idx[d] * bStrides[d];
      }
      for (int row = from; row < to; row++) {
        binaryRow(op, out, row * inner, a, ao, sa, b, bo, sb, inner);
        for (int d = r - 2; d >= 0; d--) {
          ao += aStrides[d];
          bo += bStrides[d];
          if (++idx[d] < dims[d]) break;
          ao -= aStrides[d] * dims[d];
          bo -= bStrides[d] * dims[d];
          idx[d] = 0;
        }
      }
    });
  }

  private static void binaryRow(int op, float[] out, int o, float[] a, int ao, int sa,
                                float[] b, int bo, int sb, int n) {
    boolean dense = sa == 1 && sb == 1;                    // lets C2 vectorize the common case
    switch (op) {
      case ADD -> {
        if (dense) for (int j = 0; j < n; j++) out[o + j] = a[ao + j] + b[bo + j];
        else for (int j = 0; j < n; j++) out[o + j] = a[ao + j * sa] + b[bo + j * sb];
      }
      case SUB -> {
        if (dense) for (int j = 0; j < n; j++) out[o + j] = a[ao + j] - b[bo + j];
        else for (int j = 0; j < n; j++) out[o + j] = a[ao + j * sa] - b[bo + j * sb];
      }
      case MUL -> {
        if (dense) for (int j = 0; j < n; j++) out[o + j] = a[ao + j] * b[bo + j];
        else for (int j = 0; j < n; j++) out[o + j] = a[ao + j * sa] * b[bo + j * sb];
      }
      case DIV -> {
        if (dense) for (int j = 0; j < n; j++) out[o + j] = a[ao + j] / b[bo + j];
        else for (int j = 0; j < n; j++) out[o + j] = a[ao + j * sa] / b[bo + j * sb];
      }
      default -> throw new AssertionError("binary op " + op);
    }
  }

  /**
   * dst[idx . dstStrides] = scale * sum of src[idx] over the index space {@code dims}: the
   * backward of broadcasting (sums the gradient over the dims where dst has stride 0), with
   * double accumulators. When dst is small next to src (a bias gradient [F] from [N, F]), the
   * rows are split over threads into per-chunk partials combined in chunk order, so results are
   * fixed for a given thread count; otherwise one thread walks all rows in order.
   */
  public static void reduceBroadcast(float[] dst, int[] dstStrides, float[] src, int[] dims,
                                     float scale, Parallel par) {
    int inner = dims[dims.length - 1];
    int rows = src.length / inner;
    int slots = par.threads();
    boolean split = slots > 1 && src.length >= 2 * GRAIN
        && (long) dst.length * slots * 8 <= src.length;  // partials stay small next to src
    double[] acc = new double[split ? slots * dst.length : dst.length];  // acc: [chunk, dst]
    if (split) {
      par.forRange(rows, Math.max(1, GRAIN / inner), (c, from, to) ->
          reduceRows(acc, c * dst.length, dstStrides, src, dims, from, to));
    } else {
      reduceRows(acc, 0, dstStrides, src, dims, 0, rows);
    }
    for (int i = 0; i < dst.length; i++) {
      double v = acc[i];
      for (int c = 1; split && c < slots; c++) v += acc[c * dst.length + i];
      dst[i] = (float) (scale * v);
    }
  }

  /** acc[base + idx . dstStrides] += src[idx] for the rows [from, to) of src. */
  private static void reduceRows(double[] acc, int base, int[] dstStrides, float[] src,
                                 int[] dims, int from, int to) {
    int r = dims.length;
    int inner = dims[r - 1];
    int sd = dstStrides[r - 1];
    int[] idx = new int[Math.max(1, r - 1)];                // idx: odometer over the outer dims
    int dof = base;
    for (int d = r - 2, rem = from; d >= 0; d--) {
      idx[d] = rem % dims[d];
      rem /= dims[d];
      dof += idx[d] * dstStrides[d];
    }
    for (int row = from; row < to; row++) {
      int so = row * inner;
      if (sd == 0) {
        double s = 0;
        for (int j = 0; j < inner; j++) s += src[so + j];
        acc[dof] += s;
      } else {
        for (int j = 0; j < inner; j++) acc[dof + j * sd] += src[so + j];
      }
      for (int d = r - 2; d >= 0; d--) {
        dof += dstStrides[d];
        if (++idx[d] < dims[d]) break;
        dof -= dstStrides[d] * dims[d];
        idx[d] = 0;
      }
    }
  }

  /** out[idx] = x[idx . xStrides] over row-major {@code dims}: transpose/permute as a copy. */
  public static void gather(float[] out, float[] x, int[] xStrides, int[] dims, Parallel par) {
    int r = dims.length;
    int inner = dims[r - 1];
    int sx = xStrides[r - 1];
    int rows = out.length / inner;
    par.forRange(rows, Math.max(1, GRAIN / inner), (c, from, to) -> {
      int[] idx = new int[Math.max(1, r - 1)];
      int xo = 0;
      for (int d = r - 2, rem = from; d >= 0; d--) {
        idx[d] = rem % dims[d];
        rem /= dims[d];
        xo += idx[d] * xStrides[d];
      }
      // Strided reads (a real transpose) go in tiles of TILE rows x TILE columns, so the cache
      // lines a tile reads from x serve all its rows instead of one element each.
      int[] rowOff = new int[TILE];                        // rowOff: x offset of each tile row
      for (int row0 = from; row0 < to; row0 += TILE) {
        int nb = Math.min(TILE, to - row0);
        for (int b = 0; b < nb; b++) {
          rowOff[b] = xo;
          for (int d = r - 2; d >= 0; d--) {
            xo += xStrides[d];
            if (++idx[d] < dims[d]) break;
            xo -= xStrides[d] * dims[d];
            idx[d] = 0;
          }
        }
        if (sx == 1) {
          for (int b = 0; b < nb; b++) {
            System.arraycopy(x, rowOff[b], out, (row0 + b) * inner, inner);
          }
        } else {
          gatherTile(out, x, rowOff, nb, row0, inner, sx);
        }
      }
    });
  }

  private static final int TILE = 16;

  private static void gatherTile(float[] out, float[] x, int[] rowOff, int nb, int row0,
                                 int inner, int sx) {
    for (int j0 = 0; j0 < inner; j0 += TILE) {
      int j1 = Math.min(inner, j0 + TILE);
      for (int b = 0; b < nb; b++) {
        int o = (row0 + b) * inner;
        int xb = rowOff[b];
        for (int j = j0; j < j1; j++) out[o + j] = x[xb + j * sx];
      }
    }
  }

  // ---- unary -----------------------------------------------------------------------------------

  /**
   * out[i] = f(x[i]) for i in [0, n); {@code p} is the op's parameter (slope, alpha, c,
   * exponent). Transcendental ops run on {@code math} (Vector API or scalar).
   */
  public static void unary(MathKernels math, int op, float[] out, float[] x, float p, int n,
                           Parallel par) {
    par.forRange(n, GRAIN, (c, from, to) -> {
      switch (op) {
        case EXP, LOG, RELU, LEAKY_RELU, ELU, GELU, SIGMOID, TANH ->
            math.activation(op, out, x, p, from, to);
        case NEG -> { for (int i = from; i < to; i++) out[i] = -x[i]; }
        case ADD_SCALAR -> { for (int i = from; i < to; i++) out[i] = x[i] + p; }
        case MUL_SCALAR -> { for (int i = from; i < to; i++) out[i] = x[i] * p; }
        case POW -> pow(out, x, p, from, to);
        case SQRT -> { for (int i = from; i < to; i++) out[i] = (float) Math.sqrt(x[i]); }
        default -> throw new AssertionError("unary op " + op);
      }
    });
  }

  private static void pow(float[] out, float[] x, float p, int from, int to) {
    if (p == 2f) for (int i = from; i < to; i++) out[i] = x[i] * x[i];
    else if (p == 1f) System.arraycopy(x, from, out, from, to - from);
    else if (p == 0.5f) for (int i = from; i < to; i++) out[i] = (float) Math.sqrt(x[i]);
    else for (int i = from; i < to; i++) out[i] = (float) Math.pow(x[i], p);
  }

  /**
   * dx[i] = g[i] * f'(x[i]) for i in [0, n), from the saved input {@code x} and/or output
   * {@code y} (whichever the derivative is cheapest in; the other may be null).
   */
  public static void unaryBackward(MathKernels math, int op, float[] dx, float[] g, float[] x,
                                   float[] y, float p, int n, Parallel par) {
    par.forRange(n, GRAIN, (c, from, to) -> {
      switch (op) {
        case EXP -> { for (int i = from; i < to; i++) dx[i] = g[i] * y[i]; }
        case LOG -> { for (int i = from; i < to; i++) dx[i] = g[i] / x[i]; }
        case RELU, LEAKY_RELU, ELU, GELU ->
            math.activationBackward(op, dx, g, x, y, p, from, to);
        case SIGMOID -> { for (int i = from; i < to; i++) dx[i] = g[i] * y[i] * (1f - y[i]); }
        case TANH -> { for (int i = from; i < to; i++) dx[i] = g[i] * (1f - y[i] * y[i]); }
        case NEG -> { for (int i = from; i < to; i++) dx[i] = -g[i]; }
        case ADD_SCALAR -> System.arraycopy(g, from, dx, from, to - from);
        case MUL_SCALAR -> { for (int i = from; i < to; i++) dx[i] = g[i] * p; }
        // (x^p)' = p x^(p-1); p = 0 gives 0 everywhere, as in torch
        case POW -> {
          if (p == 0f) java.util.Arrays.fill(dx, from, to, 0f);
          else if (p == 2f) for (int i = from; i < to; i++) dx[i] = 2f * g[i] * x[i];
          else for (int i = from; i < to; i++) dx[i] = (float) (g[i] * p * Math.pow(x[i], p - 1.0));
        }
        case SQRT -> { for (int i = from; i < to; i++) dx[i] = g[i] / (2f * y[i]); }
        default -> throw new AssertionError("unary backward op " + op);
      }
    });
  }

  // ---- erf -------------------------------------------------------------------------------------

  private static final double INV_SQRT_2 = 0.7071067811865476;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  /** Phi(x) = P(N(0,1) <= x) = erfc(-x / sqrt 2) / 2. */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x * INV_SQRT_2);
  }

  /**
   * The error function. For |x| < 0.5 a 9-term Taylor series (truncation < 1e-10); otherwise
   * 1 - {@link #erfc}. Absolute error < 1.3e-7 everywhere, relative error small near 0 too.
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

  // ---- axis reductions -------------------------------------------------------------------------

  /**
   * out[o, i] = scale * sum_k x[o, k, i] for x viewed as [outer, d, inner], out as
   * [outer, inner]. Every output sums its d terms in k order in double, whatever the split.
   */
  public static void sumAxis(float[] out, float[] x, int outer, int d, int inner, float scale,
                             Parallel par) {
    if (inner == 1) {
      par.forRange(outer, Math.max(1, GRAIN / Math.max(1, d)), (c, from, to) -> {
        for (int o = from; o < to; o++) {
          double s = 0;
          int base = o * d;
          for (int k = 0; k < d; k++) s += x[base + k];
          out[o] = (float) (scale * s);
        }
      });
      return;
    }
    boolean byOuter = outer >= par.threads();
    int n = byOuter ? outer : inner;
    int work = byOuter ? d * inner : d * outer;
    par.forRange(n, Math.max(1, GRAIN / Math.max(1, work)), (c, from, to) -> {
      int o0 = byOuter ? from : 0;
      int o1 = byOuter ? to : outer;
      int i0 = byOuter ? 0 : from;
      int i1 = byOuter ? inner : to;
      double[] acc = new double[i1 - i0];                  // acc: [i1 - i0] one output row slice
      for (int o = o0; o < o1; o++) {
        java.util.Arrays.fill(acc, 0);
        for (int k = 0; k < d; k++) {
          int base = (o * d + k) * inner + i0;
          for (int i = 0; i < acc.length; i++) acc[i] += x[base + i];
        }
        for (int i = 0; i < acc.length; i++) out[o * inner + i0 + i] = (float) (scale * acc[i]);
      }
    });
  }

  /** dx[o, k, i] = scale * g[o, i]: the backward of {@link #sumAxis}. */
  public static void expandAxis(float[] dx, float[] g, int outer, int d, int inner, float scale,
                                Parallel par) {
    if (inner == 1) { // reduced over the last dim: fill each row of d with one value
      par.forRange(outer, Math.max(1, GRAIN / Math.max(1, d)), (c, from, to) -> {
        for (int o = from; o < to; o++) java.util.Arrays.fill(dx, o * d, (o + 1) * d, scale * g[o]);
      });
      return;
    }
    par.forRange(outer * d, Math.max(1, GRAIN / Math.max(1, inner)), (c, from, to) -> {
      for (int row = from; row < to; row++) {
        int go = (row / d) * inner;
        int xo = row * inner;
        for (int i = 0; i < inner; i++) dx[xo + i] = scale * g[go + i];
      }
    });
  }

  /**
   * The sum of x[0, n) in double: fixed blocks of {@link #GRAIN} summed in parallel, then the
   * block sums in order, so the result does not depend on the thread count.
   */
  public static double sumAll(float[] x, int n, Parallel par) {
    int blocks = (n + GRAIN - 1) / GRAIN;
    double[] partial = new double[blocks];
    par.forRange(blocks, 1, (c, from, to) -> {
      for (int bl = from; bl < to; bl++) {
        double s = 0;
        int end = Math.min(n, (bl + 1) * GRAIN);
        for (int i = bl * GRAIN; i < end; i++) s += x[i];
        partial[bl] = s;
      }
    });
    double s = 0;
    for (double v : partial) s += v;
    return s;
  }

  /** dx[i] = v for all i: the backward of sumAll/meanAll (v = g or g / n). */
  public static void fill(float[] dx, float v, int n, Parallel par) {
    par.forRange(n, GRAIN, (c, from, to) -> java.util.Arrays.fill(dx, from, to, v));
  }
}
