package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.internal.kernel.ScalarKernels;
import org.gnn4j.internal.kernel.SgemmOpenBlas;

/**
 * Dense kernels on the Vector API: SGEMM goes to the packed, register-blocked
 * {@link SgemmVector} (the matmul behind every linear layer), tiny products and unusual species
 * to the scalar reference. When the OpenBLAS preset (org.bytedeco:openblas) is on the class path,
 * products of at least {@link SgemmOpenBlas#MIN_WORK} go to {@link SgemmOpenBlas} instead: it
 * measured 1.25x faster than SgemmVector at 1024^3 on 2 threads (docs/bench/sgemm.md), so by
 * the project's rule the faster one serves and SgemmVector is the fallback.
 * {@link Kernels.DenseChoice#OWN} ({@code -Dgnn4j.dense=vector}) keeps SgemmVector for
 * everything; {@link Kernels#detect()} makes that choice and logs {@link #name()}.
 */
final class VectorDense implements DenseKernels {
  /** m * n * k below which packing costs more than it saves. */
  static final long SGEMM_MIN_WORK = 16L * 16 * 16;
  private final VectorSpecies<Float> species;
  private final SgemmOpenBlas openBlas;   // null when OpenBLAS is absent or not wanted
  private final String name;

  VectorDense(VectorSpecies<Float> species, Kernels.DenseChoice choice) {
    this.species = species;
    SgemmOpenBlas blas = null;
    String why = "not wanted (-Dgnn4j.dense=vector)";
    if (choice != Kernels.DenseChoice.OWN) {
      try {
        blas = SgemmOpenBlas.load(this::own);
      } catch (UnsupportedOperationException e) {
        why = e.getMessage();
      }
    }
    this.openBlas = blas;
    this.name = blas != null
        ? blas.version() + " for large products, SgemmVector below"
        : "SgemmVector, because OpenBLAS is " + (choice == Kernels.DenseChoice.OWN ? why
            : "unavailable: " + why);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    // A linear layer on one small graph: dot products beat both packing and a native call.
    if (species.equals(SgemmSmallRows.S) && SgemmSmallRows.applies(m, transA, transB)
        && (long) m * n * k >= SGEMM_MIN_WORK) {
      SgemmSmallRows.sgemm(c, cOff, ldc, beta, a, aOff, lda, b, bOff, ldb, alpha, m, n, k);
      return;
    }
    if (openBlas != null && (long) m * n * k >= SgemmOpenBlas.MIN_WORK) {
      openBlas.sgemm(c, cOff, ldc, beta, a, aOff, lda, transA, b, bOff, ldb, transB,
          alpha, m, n, k, par);
      return;
    }
    own(c, cOff, ldc, beta, a, aOff, lda, transA, b, bOff, ldb, transB, alpha, m, n, k, par);
  }

  /** gnn4j's own SGEMM: {@link SgemmVector}, or the scalar reference for tiny products. */
  private void own(float[] c, int cOff, int ldc, float beta,
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
}
