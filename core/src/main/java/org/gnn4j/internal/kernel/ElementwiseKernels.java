package org.gnn4j.internal.kernel;

/**
 * The loops behind the element-wise ops: broadcast binary arithmetic, activations and scalar
 * ops, axis reductions, and strided copies for transpose/permute. Broadcasting arrives
 * pre-planned as output dims plus one stride per operand (0 on a broadcast dim). Ops are named
 * by the int codes below, so one call dispatches once per call (or per row), not per element.
 * Reached through {@link Kernels#elementwise()}; {@link ScalarElementwise} is the plain-Java
 * implementation, on the kernel set's {@link MathKernels}. Callers (the ops) validate; these
 * trust their input.
 */
public interface ElementwiseKernels {
  /** Elements per parallel chunk: below this, threading costs more than it saves. */
  int GRAIN = 32_768;

  /** Binary op codes of {@link #binary}. */
  int ADD = 0;
  int SUB = 1;
  int MUL = 2;
  int DIV = 3;

  /** Unary op codes of {@link #unary}; EXP .. TANH are also {@link MathKernels} activations. */
  int EXP = 0;
  int LOG = 1;
  int RELU = 2;
  int LEAKY_RELU = 3;
  int ELU = 4;
  int GELU = 5;
  int SIGMOID = 6;
  int TANH = 7;
  int NEG = 8;
  int ADD_SCALAR = 9;
  int MUL_SCALAR = 10;
  int POW = 11;
  int SQRT = 12;

  /**
   * out[idx] = a[idx . aStrides] op b[idx . bStrides] over the row-major index space
   * {@code dims} (rank >= 1, numel > 0, numel == out.length).
   */
  void binary(int op, float[] out, float[] a, int[] aStrides, float[] b, int[] bStrides,
      int[] dims, Parallel par);

  /**
   * dst[idx . dstStrides] = scale * sum of src[idx] over the index space {@code dims}: the
   * backward of broadcasting (sums the gradient over the dims where dst has stride 0), with
   * double accumulators. When dst is small next to src (a bias gradient [F] from [N, F]), the
   * rows are split over threads into per-chunk partials combined in chunk order, so results are
   * fixed for a given thread count; otherwise one thread walks all rows in order.
   */
  void reduceBroadcast(float[] dst, int[] dstStrides, float[] src, int[] dims, float scale,
      Parallel par);

  /** out[idx] = x[idx . xStrides] over row-major {@code dims}: transpose/permute as a copy. */
  void gather(float[] out, float[] x, int[] xStrides, int[] dims, Parallel par);

  /**
   * out[i] = f(x[i]) for i in [0, n); {@code p} is the op's parameter (slope, alpha, c,
   * exponent). Transcendental ops run on the kernel set's {@link MathKernels}.
   */
  void unary(int op, float[] out, float[] x, float p, int n, Parallel par);

  /**
   * dx[i] = g[i] * f'(x[i]) for i in [0, n), from the saved input {@code x} and/or output
   * {@code y} (whichever the derivative is cheapest in; the other may be null).
   */
  void unaryBackward(int op, float[] dx, float[] g, float[] x, float[] y, float p, int n,
      Parallel par);

  /**
   * out[o, i] = scale * sum_k x[o, k, i] for x viewed as [outer, d, inner], out as
   * [outer, inner]. Every output sums its d terms in k order in double, whatever the split.
   */
  void sumAxis(float[] out, float[] x, int outer, int d, int inner, float scale, Parallel par);

  /** dx[o, k, i] = scale * g[o, i]: the backward of {@link #sumAxis}. */
  void expandAxis(float[] dx, float[] g, int outer, int d, int inner, float scale, Parallel par);

  /**
   * The sum of x[0, n) in double: fixed blocks of {@link #GRAIN} summed in parallel, then the
   * block sums in order, so the result does not depend on the thread count.
   */
  double sumAll(float[] x, int n, Parallel par);

  /** dx[i] = v for all i: the backward of sumAll/meanAll (v = g or g / n). */
  void fill(float[] dx, float v, int n, Parallel par);

  /** The plain-Java loops on {@code math}'s transcendental kernels. */
  static ElementwiseKernels on(MathKernels math) {
    return new ScalarElementwise(math);
  }
}
