package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.ScalarKernels;

/** Graph kernels on the Vector API: the factory the kernel set calls. */
final class VectorGraph {
  private VectorGraph() {}

  static GraphKernels create(VectorSpecies<Float> species) {
    return new VectorGraphKernels(species, ScalarKernels.graphReference());
  }
}
