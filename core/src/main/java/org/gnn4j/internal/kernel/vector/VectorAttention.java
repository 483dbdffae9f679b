package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.ScalarKernels;

/**
 * Fused graph attention on the Vector API: {@link VectorAttentionKernels} on the preferred
 * species (the only one it is compiled for), the scalar reference for any other
 * (or for vectors wider than 512 bits).
 */
final class VectorAttention {
  private VectorAttention() {}

  static AttentionKernels create(VectorSpecies<Float> species) {
    int lanes = species.length();
    // The fixed-order lane sum is written for 4 to 16 float lanes (128- to 512-bit).
    if (species.equals(VectorAttentionKernels.S) && lanes >= 4 && lanes <= 16) {
      return new VectorAttentionKernels();
    }
    return ScalarKernels.attentionReference();
  }
}
