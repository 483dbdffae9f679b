package org.gnn4j.internal.kernel;

import java.lang.System.Logger.Level;

/**
 * The seam between ops and hot loops: one implementation in plain Java ({@link ScalarKernels},
 * the readable reference and the fallback) and one on the Vector API
 * ({@code vector.VectorKernels}). {@link #detect()} picks once per process and logs why;
 * {@code -Dgnn4j.kernels=scalar|vector} overrides. Kernels trust their arguments: the ops that
 * call them validate shapes and indices first.
 */
public interface Kernels {
  /** "scalar" or "vector(&lt;species&gt;)", for logs and benchmark output. */
  String name();

  /** Dense linear algebra (matmul). */
  DenseKernels dense();

  /** Sparse/graph kernels: gather, scatter, SpMM, SDDMM, edge softmax. */
  GraphKernels graph();

  /** Fused graph attention (online softmax + aggregation), forward and backward. */
  AttentionKernels attention();

  /** Fused GAT / GATv2 attention; kernel sets without their own get the scalar reference. */
  default GatKernels gat() {
    return GatKernels.scalar();
  }

  /** Max aggregation along edges with PyG's tie rule; the scalar reference unless overridden. */
  default NeighborMaxKernels neighborMax() {
    return NeighborMaxKernels.scalar();
  }

  /** Transcendental and row-statistics loops (activations, softmax rows, layer norm rows). */
  MathKernels math();

  /** Double-precision loops of the encodings (Lanczos basis, random-walk block products). */
  default DoubleLoops doubles() {
    return DoubleLoops.scalar();
  }

  /**
   * Exact within-graph attention in O(N) memory; the blocked reference on {@link #math()} unless
   * a kernel set has register-blocked micro-kernels.
   */
  default BlockAttentionKernels blockAttention() {
    return BlockAttentionKernels.reference(math());
  }

  /** The plain-Java reference kernels. */
  static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The Vector API kernels.
   *
   * @throws UnsupportedOperationException with the reason when the JVM cannot provide them
   */
  static Kernels vector() {
    return Detection.loadVector();
  }

  /** The process-wide choice: made once, logged once. */
  static Kernels detect() {
    return Detection.DETECTED;
  }

  /** Holder idiom: the one allowed static, computed lazily and never changed. */
  final class Detection {
    static final Kernels DETECTED = choose();
    private static final String VECTOR_CLASS = "org.gnn4j.internal.kernel.vector.VectorKernels";

    private Detection() {}

    private static Kernels choose() {
      System.Logger log = System.getLogger("org.gnn4j.kernels");
      String forced = System.getProperty("gnn4j.kernels", "").trim();
      if (forced.equals("scalar")) {
        log.log(Level.INFO, "gnn4j kernels: scalar (forced by -Dgnn4j.kernels=scalar)");
        return scalar();
      }
      if (!forced.isEmpty() && !forced.equals("vector")) {
        throw new IllegalArgumentException(
            "-Dgnn4j.kernels: unknown value '" + forced + "' (expected scalar or vector)");
      }
      try {
        Kernels k = loadVector();
        log.log(Level.DEBUG, "gnn4j kernels: " + k.name());
        return k;
      } catch (UnsupportedOperationException e) {
        if (forced.equals("vector")) throw e;
        log.log(Level.INFO, "gnn4j kernels: scalar fallback, because " + e.getMessage());
        return scalar();
      }
    }

    static Kernels loadVector() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        throw new UnsupportedOperationException("the JVM was started without"
            + " --add-modules=jdk.incubator.vector (the ./gnn4j launcher adds it)");
      }
      try {
        Class<?> c = Class.forName(VECTOR_CLASS);
        return (Kernels) c.getMethod("create").invoke(null);
      } catch (java.lang.reflect.InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnsupportedOperationException u) throw u;
        throw new UnsupportedOperationException("Vector API kernels failed to start: " + cause, e);
      } catch (ReflectiveOperationException | LinkageError e) {
        throw new UnsupportedOperationException("Vector API kernels could not load: " + e, e);
      }
    }
  }
}
