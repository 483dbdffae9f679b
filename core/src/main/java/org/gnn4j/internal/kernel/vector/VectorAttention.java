package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.ScalarKernels;

/** Fused graph attention on the Vector API. */
final class VectorAttention {
  private VectorAttention() {}

  static AttentionKernels create(VectorSpecies<Float> species) {
    return ScalarKernels.attentionReference();
  }
}
