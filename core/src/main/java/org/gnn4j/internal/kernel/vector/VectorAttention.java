package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.ScalarKernels;

/**
 * Fused graph attention on the Vector API: {@link VectorAttentionKernels} on the preferred
 * species (the only one it is compiled for), the scalar reference for any other.
 */
final class VectorAttention {
  private VectorAttention() {}

  static AttentionKernels create(VectorSpecies<Float> species) {
    if (species.equals(VectorAttentionKernels.S)) return new VectorAttentionKernels();
    return ScalarKernels.attentionReference();
  }
}
