package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.internal.kernel.ScalarKernels;

/**
 * Dense kernels on the Vector API: SGEMM goes to the packed, register-blocked
 * {@link SgemmVector} (the matmul behind every linear layer), tiny products and unusual species
 * to the scalar reference.
 */
final class VectorDense implements DenseKernels {
  /** m * n * k below which packing costs more than it saves. */
  static final long SGEMM_MIN_WORK = 16L * 16 * 16;
  private final VectorSpecies<Float> species;

  VectorDense(VectorSpecies<Float> species) {
    this.species = species;
  }

  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    // Tiny products do not repay packing; a species other than the JIT-constant one cannot use
    // the register-blocked micro-kernel. Both go to the simple reference loops.
    if (species.equals(SgemmVector.S) && (long) m * n * k >= SGEMM_MIN_WORK
        && SgemmVector.fits(m, n, k)) {
      SgemmVector.sgemm(c, cOff, ldc, beta, a, aOff, lda, transA, b, bOff, ldb, transB,
          alpha, m, n, k, par);
      return;
    }
    ScalarKernels.denseReference().sgemm(c, cOff, ldc, beta, a, aOff, lda, transA,
        b, bOff, ldb, transB, alpha, m, n, k, par);
  }

  static float dot(VectorSpecies<Float> s, float[] x, int xo, float[] y, int yo, int len) {
    FloatVector acc = FloatVector.zero(s);
    int i = 0;
    for (int upper = s.loopBound(len); i < upper; i += s.length()) {
      acc = FloatVector.fromArray(s, x, xo + i).fma(FloatVector.fromArray(s, y, yo + i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) sum += x[xo + i] * y[yo + i];
    return sum;
  }
}
