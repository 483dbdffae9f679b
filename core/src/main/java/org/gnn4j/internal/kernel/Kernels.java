package org.gnn4j.internal.kernel;

import java.lang.System.Logger.Level;

/**
 * The seam between ops and hot loops: one implementation in plain Java ({@link ScalarKernels},
 * the readable reference and the fallback) and one on the Vector API
 * ({@code vector.VectorKernels}). {@link #detect()} picks once per process and logs why;
 * {@code -Dgnn4j.kernels=scalar|vector} overrides. Kernels trust their arguments: the ops that
 * call them validate shapes and indices first.
 */
public interface Kernels extends org.gnn4j.tensor.KernelSet {
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

  /** Broadcast arithmetic, activations, axis reductions, transposes (on {@link #math()}). */
  ElementwiseKernels elementwise();

  /** Softmax rows, layer and batch norm, dropout masks (on {@link #math()}). */
  NormKernels norm();

  /** Performer linear attention (on {@link #dense()} and {@link #math()}). */
  LinearAttentionKernels linearAttention();

  /** Fused GINE messages; kernel sets without their own get the scalar reference. */
  default GineKernels gine() {
    return GineKernels.scalar();
  }

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
   * Which SGEMM the Vector API set uses for large products, from {@code -Dgnn4j.dense}:
   * {@code auto} (the default) OpenBLAS when its preset is on the class path and loads, else
   * gnn4j's own; {@code openblas} the same, but logged at INFO when OpenBLAS cannot load;
   * {@code vector} gnn4j's own {@code SgemmVector} always.
   */
  enum DenseChoice {
    AUTO, OPENBLAS, OWN;

    static DenseChoice parse(String value) {
      return switch (value) {
        case "", "auto" -> AUTO;
        case "openblas" -> OPENBLAS;
        case "vector" -> OWN;
        default -> throw new IllegalArgumentException("-Dgnn4j.dense: unknown value '" + value
            + "' (expected auto, vector or openblas)");
      };
    }
  }

  /**
   * The Vector API kernels, with OpenBLAS for large products when it loads.
   *
   * @throws UnsupportedOperationException with the reason when the JVM cannot provide them
   */
  static Kernels vector() {
    return vector(DenseChoice.AUTO);
  }

  /**
   * The Vector API kernels with the given SGEMM choice.
   *
   * @throws UnsupportedOperationException with the reason when the JVM cannot provide them
   */
  static Kernels vector(DenseChoice sgemm) {
    return Detection.loadVector(sgemm);
  }

  /**
   * The process-wide choice, made once and logged once: scalar or vector
   * ({@code -Dgnn4j.kernels}), and for the vector set its SGEMM ({@code -Dgnn4j.dense}).
   */
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
      DenseChoice sgemm = DenseChoice.parse(System.getProperty("gnn4j.dense", "").trim());
      if (forced.equals("scalar")) {
        log.log(Level.INFO, "gnn4j kernels: scalar (forced by -Dgnn4j.kernels=scalar)");
        return scalar();
      }
      if (!forced.isEmpty() && !forced.equals("vector")) {
        throw new IllegalArgumentException(
            "-Dgnn4j.kernels: unknown value '" + forced + "' (expected scalar or vector)");
      }
      try {
        Kernels k = loadVector(sgemm);
        String dense = k.dense().name();
        // asked for OpenBLAS and did not get it: say why where the user will see it
        boolean missed = sgemm == DenseChoice.OPENBLAS && !dense.startsWith("OpenBLAS");
        log.log(missed ? Level.INFO : Level.DEBUG,
            "gnn4j kernels: " + k.name() + ", sgemm: " + dense);
        return k;
      } catch (UnsupportedOperationException e) {
        if (forced.equals("vector")) throw e;
        log.log(Level.INFO, "gnn4j kernels: scalar fallback, because " + e.getMessage());
        return scalar();
      }
    }

    static Kernels loadVector(DenseChoice sgemm) {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        throw new UnsupportedOperationException("the JVM was started without"
            + " --add-modules=jdk.incubator.vector (the ./gnn4j launcher adds it)");
      }
      try {
        Class<?> c = Class.forName(VECTOR_CLASS);
        return (Kernels) c.getMethod("create", DenseChoice.class).invoke(null, sgemm);
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
