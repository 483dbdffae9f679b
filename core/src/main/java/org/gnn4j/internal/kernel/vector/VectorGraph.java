package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.ScalarKernels;

/** Graph kernels on the Vector API. */
final class VectorGraph {
  private VectorGraph() {}

  static GraphKernels create(VectorSpecies<Float> species) {
    return ScalarKernels.graphReference();
  }
}
