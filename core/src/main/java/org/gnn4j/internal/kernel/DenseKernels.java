package org.gnn4j.internal.kernel;

/** Dense kernels on flat row-major arrays with offsets. Outputs first, sizes last. */
public interface DenseKernels {
  /** What serves the products, for the one log line of {@link Kernels#detect()}. */
  default String name() {
    return "scalar";
  }

  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major, where op(X) is X or its transpose.
   * C: [m, n] with row stride ldc at cOff; op(A): [m, k]; op(B): [k, n]. A stored untransposed
   * is [m, k] with row stride lda, transposed it is [k, m]; likewise B. beta = 0 ignores C's
   * previous contents (even NaN). Rows of C are partitioned over {@code par}.
   */
  void sgemm(float[] c, int cOff, int ldc, float beta,
             float[] a, int aOff, int lda, boolean transA,
             float[] b, int bOff, int ldb, boolean transB,
             float alpha, int m, int n, int k, Parallel par);
}
