package org.gnn4j.internal.kernel;

/** The plain-Java kernel set: readable reference for every fast path, and the fallback. */
public record ScalarKernels(DenseKernels dense, GraphKernels graph, AttentionKernels attention,
                            MathKernels math) implements Kernels {
  static final ScalarKernels INSTANCE =
      new ScalarKernels(new ScalarDense(), new ScalarGraph(), new ScalarAttention(),
          ScalarMath.INSTANCE);

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
