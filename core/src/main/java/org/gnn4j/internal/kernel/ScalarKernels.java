package org.gnn4j.internal.kernel;

/**
 * The plain-Java kernel set: readable reference for every fast path, and the fallback. The
 * families built on other families ({@link #elementwise()}, {@link #norm()},
 * {@link #linearAttention()}) run on this set's scalar dense and math kernels.
 */
public record ScalarKernels(DenseKernels dense, GraphKernels graph, AttentionKernels attention,
                            MathKernels math, ElementwiseKernels elementwise, NormKernels norm,
                            LinearAttentionKernels linearAttention) implements Kernels {
  static final ScalarKernels INSTANCE = create();

  private static ScalarKernels create() {
    DenseKernels dense = new ScalarDense();
    MathKernels math = ScalarMath.INSTANCE;
    return new ScalarKernels(dense, new ScalarGraph(), new ScalarAttention(), math,
        ElementwiseKernels.on(math), NormKernels.on(math), LinearAttentionKernels.on(dense, math));
  }

  /** Scalar dense kernel, for Vector API kernel sets that keep a family scalar. */
  public static DenseKernels denseReference() {
    return INSTANCE.dense;
  }

  public static GraphKernels graphReference() {
    return INSTANCE.graph;
  }

  public static AttentionKernels attentionReference() {
    return INSTANCE.attention;
  }

  @Override
  public String name() {
    return "scalar";
  }
}
