package org.gnn4j.internal.kernel;

/**
 * Reference dense kernels in plain Java: simple loop orders that C2 auto-vectorizes where it
 * can. The correctness reference for the Vector API kernels and the fallback without them.
 */
final class ScalarDense implements DenseKernels {
  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    par.forRange(m, Math.max(1, 4096 / Math.max(1, n * Math.max(1, k) / 64)), (chunk, i0, i1) -> {
      float[] row = new float[n];                          // row: [n] accumulator for one row of C
      for (int i = i0; i < i1; i++) {
        java.util.Arrays.fill(row, 0f);
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          if (av == 0f) continue;
          if (!transB) {
            int bRow = bOff + p * ldb;
            for (int j = 0; j < n; j++) row[j] += av * b[bRow + j];
          } else {
            for (int j = 0; j < n; j++) row[j] += av * b[bOff + j * ldb + p];
          }
        }
        int cRow = cOff + i * ldc;
        if (beta == 0f) {
          for (int j = 0; j < n; j++) c[cRow + j] = alpha * row[j];
        } else {
          for (int j = 0; j < n; j++) c[cRow + j] = beta * c[cRow + j] + alpha * row[j];
        }
      }
    });
  }
}
