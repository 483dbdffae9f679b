package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.internal.kernel.ScalarKernels;
import org.gnn4j.internal.kernel.SgemmOpenBlas;

/**
 * Dense kernels on the Vector API: SGEMM goes to the packed, register-blocked
 * {@link SgemmVector} (the matmul behind every linear layer), tiny products and unusual species
 * to the scalar reference. With {@code -Dgnn4j.dense=openblas} and the OpenBLAS preset on the
 * class path, products of at least {@link SgemmOpenBlas#MIN_WORK} go to {@link SgemmOpenBlas}
 * instead (logged once; without the preset the reason is logged and SgemmVector stays).
 */
final class VectorDense implements DenseKernels {
  /** m * n * k below which packing costs more than it saves. */
  static final long SGEMM_MIN_WORK = 16L * 16 * 16;
  private final VectorSpecies<Float> species;
  private final SgemmOpenBlas openBlas;   // null unless -Dgnn4j.dense=openblas and it loads

  VectorDense(VectorSpecies<Float> species) {
    this.species = species;
    this.openBlas = loadOpenBlas(System.getProperty("gnn4j.dense", "vector").trim());
  }

  private static SgemmOpenBlas loadOpenBlas(String choice) {
    if (choice.equals("vector")) return null;
    if (!choice.equals("openblas")) {
      throw new IllegalArgumentException(
          "-Dgnn4j.dense: unknown value '" + choice + "' (expected vector or openblas)");
    }
    System.Logger log = System.getLogger("org.gnn4j.kernels");
    try {
      SgemmOpenBlas blas = SgemmOpenBlas.load(ScalarKernels.denseReference());
      log.log(System.Logger.Level.INFO, "gnn4j sgemm: " + blas.version() + " for large products");
      return blas;
    } catch (UnsupportedOperationException e) {
      log.log(System.Logger.Level.INFO, "gnn4j sgemm: Vector API kernel, because " + e.getMessage());
      return null;
    }
  }

  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    if (openBlas != null && (long) m * n * k >= SgemmOpenBlas.MIN_WORK) {
      openBlas.sgemm(c, cOff, ldc, beta, a, aOff, lda, transA, b, bOff, ldb, transB,
          alpha, m, n, k, par);
      return;
    }
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
