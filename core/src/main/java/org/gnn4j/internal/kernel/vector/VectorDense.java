package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DenseKernels;
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
 * {@code -Dgnn4j.dense=vector} keeps SgemmVector for everything.
 */
final class VectorDense implements DenseKernels {
  /** m * n * k below which packing costs more than it saves. */
  static final long SGEMM_MIN_WORK = 16L * 16 * 16;
  private final VectorSpecies<Float> species;
  private final SgemmOpenBlas openBlas;   // null when OpenBLAS is absent or -Dgnn4j.dense=vector

  VectorDense(VectorSpecies<Float> species) {
    this.species = species;
    this.openBlas = loadOpenBlas(System.getProperty("gnn4j.dense", "auto").trim(), this::own);
  }

  /**
   * auto (default): OpenBLAS when its preset is on the class path and loads, else nothing;
   * openblas: the same, but say why not when it cannot; vector: never.
   */
  private static SgemmOpenBlas loadOpenBlas(String choice, DenseKernels own) {
    if (choice.equals("vector")) return null;
    if (!choice.equals("auto") && !choice.equals("openblas")) {
      throw new IllegalArgumentException(
          "-Dgnn4j.dense: unknown value '" + choice + "' (expected auto, vector or openblas)");
    }
    System.Logger log = System.getLogger("org.gnn4j.kernels");
    try {
      SgemmOpenBlas blas = SgemmOpenBlas.load(own);
      log.log(System.Logger.Level.DEBUG, "gnn4j sgemm: " + blas.version() + " for large products");
      return blas;
    } catch (UnsupportedOperationException e) {
      log.log(choice.equals("auto") ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
          "gnn4j sgemm: Vector API kernel, because " + e.getMessage());
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
