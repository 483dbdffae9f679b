package org.gnn4j.internal.kernel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Optional SGEMM on OpenBLAS, for when it beats the Vector API kernel: large products go to
 * {@code cblas_sgemm}, everything else to the kernel it wraps. OpenBLAS is found only at run
 * time, reflectively, through the JavaCPP preset (org.bytedeco:openblas with its platform jar on
 * the class path), and called through the FFM API as a critical downcall that reads the Java
 * arrays in place (no JNI copies, offsets as array slices). OpenBLAS's own threads are not used:
 * it is set to one thread, and each of our {@link Parallel} threads calls it on its own rows of
 * C, so the split is the usual static one (same thread count, same bits) and no OpenBLAS worker
 * spins on the cores after a call, stealing them from the graph kernels that run next.
 */
public final class SgemmOpenBlas implements DenseKernels {
  /**
   * m * n * k from which OpenBLAS is used; smaller products stay on the fallback kernel. Low,
   * because native code needs no warm-up, where the Vector API fallback runs many times slower
   * until C2 has compiled it: with 64^3 here, rgcn's small basis products slowed a run's first
   * steps, while at steady state the layer workloads measured the same either way
   * (docs/bench/layers.md, session 12).
   */
  public static final long MIN_WORK = 16L * 16 * 16;
  /** Fewest rows of C one thread takes. */
  private static final int MIN_ROWS = 32;
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final FunctionDescriptor CBLAS_SGEMM = FunctionDescriptor.ofVoid(
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,          // order, ta, tb
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,          // m, n, k
      ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,         // alpha, A, lda
      ValueLayout.ADDRESS, ValueLayout.JAVA_INT,                                 // B, ldb
      ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);        // beta, C, ldc

  private final MethodHandle sgemm;
  private final DenseKernels fallback;
  private final String version;

  private SgemmOpenBlas(MethodHandle sgemm, DenseKernels fallback, String version) {
    this.sgemm = sgemm;
    this.fallback = fallback;
    this.version = version;
  }

  /**
   * Loads OpenBLAS and returns the kernel, with {@code fallback} for small products.
   *
   * @throws UnsupportedOperationException with the reason when OpenBLAS cannot be loaded
   */
  public static SgemmOpenBlas load(DenseKernels fallback) {
    try {
      Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
      Class<?> global = Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
      loader.getMethod("load", Class.class).invoke(null, global);
      Class.forName("org.bytedeco.openblas.presets.openblas_nolapack")
          .getMethod("blas_set_num_threads", int.class).invoke(null, 1);
      Object symbol = loader.getMethod("addressof", String.class).invoke(null, "cblas_sgemm");
      long address = symbol == null ? 0 : (long) symbol.getClass().getMethod("address").invoke(symbol);
      if (address == 0) {
        throw new UnsupportedOperationException("OpenBLAS loaded but cblas_sgemm was not found");
      }
      MethodHandle h = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address),
          CBLAS_SGEMM, Linker.Option.critical(true));
      String v = String.valueOf(global.getField("OPENBLAS_VERSION").get(null)).trim();
      return new SgemmOpenBlas(h, fallback, v);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new UnsupportedOperationException("OpenBLAS could not load: " + e.getCause(), e);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      if (e instanceof UnsupportedOperationException u) throw u;
      throw new UnsupportedOperationException("OpenBLAS is not available: " + e, e);
    }
  }

  /** "OpenBLAS 0.3.28", as the library reports it. */
  public String version() {
    return version;
  }

  @Override
  public void sgemm(float[] c, int cOff, int ldc, float beta,
                    float[] a, int aOff, int lda, boolean transA,
                    float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k, Parallel par) {
    // OpenBLAS rejects a leading dimension below the stored row length (it prints an error and
    // leaves C alone); such views stay on the fallback, which accepts them
    boolean ldOk = lda >= Math.max(1, transA ? m : k) && ldb >= Math.max(1, transB ? k : n)
        && ldc >= Math.max(1, n);
    if ((long) m * n * k < MIN_WORK || !ldOk) {
      fallback.sgemm(c, cOff, ldc, beta, a, aOff, lda, transA, b, bOff, ldb, transB,
          alpha, m, n, k, par);
      return;
    }
    // A thread gets at least 32 rows and 4 MFLOP (B is packed inside each call, and a fork
    // costs microseconds): small products run on the calling thread alone. 32, not more, so a
    // weight gradient (m = the layer width, k = the batch's rows: [96, 3k] x [3k, 96] in a ZINC
    // step) still splits over two threads; packing B then costs 1/(2 * rows) of the product.
    long flopsPerRow = 2L * n * k;
    int grain = (int) Math.min(m, Math.max(MIN_ROWS, 4_000_000L / flopsPerRow));
    par.forRange(m, grain, (chunk, i0, i1) -> {
      // rows i0..i1 of op(A): A stored [m, k] starts at row i0; stored [k, m], at column i0
      int aStart = aOff + (transA ? i0 : i0 * lda);
      call(c, cOff + i0 * ldc, ldc, beta, a, aStart, lda, transA, b, bOff, ldb, transB,
          alpha, i1 - i0, n, k);
    });
  }

  private void call(float[] c, int cOff, int ldc, float beta, float[] a, int aOff, int lda,
                    boolean transA, float[] b, int bOff, int ldb, boolean transB,
                    float alpha, int m, int n, int k) {
    try {
      sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS,
          m, n, k, alpha, slice(a, aOff), lda, slice(b, bOff), ldb, beta, slice(c, cOff), ldc);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("SgemmOpenBlas: cblas_sgemm failed", t);
    }
  }

  /** The heap array from element {@code off} on, as a segment a critical downcall may read. */
  private static MemorySegment slice(float[] x, int off) {
    return MemorySegment.ofArray(x).asSlice((long) off * Float.BYTES);
  }
}
