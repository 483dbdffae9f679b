package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.internal.kernel.BlockAttentionKernels;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.ElementwiseKernels;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.internal.kernel.GineKernels;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.LinearAttentionKernels;
import org.gnn4j.internal.kernel.MathKernels;
import org.gnn4j.internal.kernel.NeighborMaxKernels;
import org.gnn4j.internal.kernel.NormKernels;

/**
 * The Vector API kernel set, on the widest float species the CPU offers. Loaded by class name
 * from {@link Kernels#detect()} only, so the rest of gnn4j never links against the incubator
 * module.
 */
public record VectorKernels(String name, DenseKernels dense, GraphKernels graph,
                            AttentionKernels attention, MathKernels math,
                            ElementwiseKernels elementwise, NormKernels norm,
                            LinearAttentionKernels linearAttention) implements Kernels {
  /** Fused GAT/GATv2 kernels on this species (the scalar reference for shapes it does not fit). */
  @Override
  public GatKernels gat() {
    return VectorGatKernels.INSTANCE;
  }

  /** GINE's message loops and inference pass vectorised over channels (the reference's bits). */
  @Override
  public GineKernels gine() {
    return VectorGine.INSTANCE;
  }

  @Override
  public NeighborMaxKernels neighborMax() {
    return VectorNeighborMax.INSTANCE;
  }

  /**
   * Called reflectively by {@code Kernels}; {@code sgemm} says whether large products may go to
   * OpenBLAS.
   */
  public static Kernels create(DenseChoice sgemm) {
    VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
    if (species.vectorBitSize() < 128) {
      // Lucene's threshold: narrower vectors do not pay for their overhead.
      throw new UnsupportedOperationException(
          "the preferred float vector is only " + species.vectorBitSize() + " bits");
    }
    DenseKernels dense = new VectorDense(species, sgemm);
    MathKernels math = VectorMath.create();
    // the loop families built on dense and math reuse the plain-Java loops on the vector ones
    return new VectorKernels("vector(" + species.vectorBitSize() + "-bit)", dense,
        VectorGraph.create(species), VectorAttention.create(species), math,
        ElementwiseKernels.on(math), NormKernels.on(math), LinearAttentionKernels.on(dense, math));
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
