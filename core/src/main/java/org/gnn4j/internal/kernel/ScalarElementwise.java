package org.gnn4j.internal.kernel;

import java.util.Arrays;

/**
 * {@link ElementwiseKernels} in plain Java: loops split over the context's {@link Parallel} in
 * fixed contiguous ranges of about {@link ElementwiseKernels#GRAIN} elements (so results are
 * deterministic), dispatched once per call (or per row) on the op code; the transcendental loops go to the
 * kernel set's {@link MathKernels}, so the Vector API set reuses these loops with its own math.
 */
final class ScalarElementwise implements ElementwiseKernels {
  private final MathKernels math;

  ScalarElementwise(MathKernels math) {
    this.math = math;
  }

  // ---- broadcast binary ------------------------------------------------------------------------

  @Override
  public void binary(int op, float[] out, float[] a, int[] aStrides, float[] b, int[] bStrides,
      int[] dims, Parallel par) {
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
    // A broadcast scalar (stride 0: x * (1 + eps), a bias over rows of one) is read once, so
    // that the loop is dense and C2 vectorizes it like the same-shape case.
    if (sb == 0 && sa == 1) {
      binaryRowScalarB(op, out, o, a, ao, b[bo], n);
      return;
    }
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

  /** out[o + j] = a[ao + j] (op) v: the same operation, in the same order, as binaryRow's. */
  private static void binaryRowScalarB(int op, float[] out, int o, float[] a, int ao, float v,
                                       int n) {
    switch (op) {
      case ADD -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j] + v; }
      case SUB -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j] - v; }
      case MUL -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j] * v; }
      case DIV -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j] / v; }
      default -> throw new AssertionError("binary op " + op);
    }
  }

  @Override
  public void reduceBroadcast(float[] dst, int[] dstStrides, float[] src, int[] dims, float scale,
      Parallel par) {
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
      } else if (sd == 1) {
        // a bias gradient's column sums: with the stride known, C2 unrolls and vectorizes it
        for (int j = 0; j < inner; j++) acc[dof + j] += src[so + j];
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

  @Override
  public void gather(float[] out, float[] x, int[] xStrides, int[] dims, Parallel par) {
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

  @Override
  public void unary(int op, float[] out, float[] x, float p, int n, Parallel par) {
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

  @Override
  public void unaryBackward(int op, float[] dx, float[] g, float[] x, float[] y, float p, int n,
      Parallel par) {
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
          if (p == 0f) Arrays.fill(dx, from, to, 0f);
          else if (p == 2f) for (int i = from; i < to; i++) dx[i] = 2f * g[i] * x[i];
          else for (int i = from; i < to; i++) dx[i] = (float) (g[i] * p * Math.pow(x[i], p - 1.0));
        }
        case SQRT -> { for (int i = from; i < to; i++) dx[i] = g[i] / (2f * y[i]); }
        default -> throw new AssertionError("unary backward op " + op);
      }
    });
  }

  // ---- axis reductions -------------------------------------------------------------------------

  @Override
  public void sumAxis(float[] out, float[] x, int outer, int d, int inner, float scale,
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
        Arrays.fill(acc, 0);
        for (int k = 0; k < d; k++) {
          int base = (o * d + k) * inner + i0;
          for (int i = 0; i < acc.length; i++) acc[i] += x[base + i];
        }
        for (int i = 0; i < acc.length; i++) out[o * inner + i0 + i] = (float) (scale * acc[i]);
      }
    });
  }

  @Override
  public void expandAxis(float[] dx, float[] g, int outer, int d, int inner, float scale,
      Parallel par) {
    if (inner == 1) { // reduced over the last dim: fill each row of d with one value
      par.forRange(outer, Math.max(1, GRAIN / Math.max(1, d)), (c, from, to) -> {
        for (int o = from; o < to; o++) Arrays.fill(dx, o * d, (o + 1) * d, scale * g[o]);
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

  @Override
  public double sumAll(float[] x, int n, Parallel par) {
    int blocks = (n + GRAIN - 1) / GRAIN;
    double[] partial = new double[blocks];
    par.forRange(blocks, 1, (c, from, to) -> {
      for (int bl = from; bl < to; bl++) {
        // four running sums: one was a chain of dependent double additions, at a few cycles each
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = bl * GRAIN;
        int end = Math.min(n, (bl + 1) * GRAIN);
        for (; i + 4 <= end; i += 4) {
          s0 += x[i];
          s1 += x[i + 1];
          s2 += x[i + 2];
          s3 += x[i + 3];
        }
        for (; i < end; i++) s0 += x[i];
        partial[bl] = (s0 + s1) + (s2 + s3);
      }
    });
    double s = 0;
    for (double v : partial) s += v;
    return s;
  }

  @Override
  public void fill(float[] dx, float v, int n, Parallel par) {
    par.forRange(n, GRAIN, (c, from, to) -> Arrays.fill(dx, from, to, v));
  }
}
