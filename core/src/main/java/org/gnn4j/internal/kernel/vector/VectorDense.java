package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.internal.kernel.ScalarKernels;

/** Dense kernels on the Vector API. */
final class VectorDense implements DenseKernels {
  private final VectorSpecies<Float> species;

  VectorDense(VectorSpecies<Float> species) {
    this.species = species;
  }

  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    // Placeholder until the blocked kernel lands: the reference keeps results right meanwhile.
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
