package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.BlockAttentionKernels;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.MathKernels;
import org.gnn4j.internal.kernel.NeighborMaxKernels;

/**
 * The Vector API kernel set, on the widest float species the CPU offers. Loaded by class name
 * from {@link Kernels#detect()} only, so the rest of gnn4j never links against the incubator
 * module.
 */
public record VectorKernels(String name, DenseKernels dense, GraphKernels graph,
                            AttentionKernels attention, MathKernels math) implements Kernels {
  /** Fused GAT/GATv2 kernels on this species (the scalar reference for shapes it does not fit). */
  @Override
  public GatKernels gat() {
    return VectorGatKernels.INSTANCE;
  }

  @Override
  public NeighborMaxKernels neighborMax() {
    return VectorNeighborMax.INSTANCE;
  }

  /** Called reflectively by {@code Kernels}. */
  public static Kernels create() {
    VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
    if (species.vectorBitSize() < 128) {
      // Lucene's threshold: narrower vectors do not pay for their overhead.
      throw new UnsupportedOperationException(
          "the preferred float vector is only " + species.vectorBitSize() + " bits");
    }
    return new VectorKernels("vector(" + species.vectorBitSize() + "-bit)",
        new VectorDense(species), VectorGraph.create(species), VectorAttention.create(species),
        VectorMath.create());
  }

  @Override
  public DoubleLoops doubles() {
    return VectorDoubleLoops.create();
  }

  /** Register-blocked micro-kernels instead of the reference's vector axpys. */
  @Override
  public BlockAttentionKernels blockAttention() {
    return VectorBlockAttention.INSTANCE;
  }
}
