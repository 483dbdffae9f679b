package org.gnn4j.cli.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * {@code gnn4j bench --kernel sgemm}: C = A * B for [m, k] x [k, n] (square n by default) with
 * gnn4j's dense kernel and, in the same process and on the same number of threads, OpenBLAS's
 * {@code cblas_sgemm} (JavaCPP preset) on native copies of the same data, and once more through
 * the preset's float[] overload (what a product call on Java arrays would cost, JNI copies
 * included). Timed rounds run in blocks (gnn4j's, OpenBLAS's, a pause; three times) so that
 * OpenBLAS's spinning idle workers never overlap gnn4j's rounds. The line reports both medians, their GFLOP/s, the
 * ratio (ours / OpenBLAS) and the largest difference between the two results. When OpenBLAS
 * cannot load, reference is null and reference_error says why.
 */
public final class SgemmBench implements KernelBench {
  @Override
  public String name() {
    return "sgemm";
  }

  @Override
  public JsonLine run(Args args) {
    int n = args.intOption("n", 1024, "columns of C (and m, k unless given)");
    int m = args.intOption("m", 0, "rows of C; 0 = same as --n");
    int k = args.intOption("k", 0, "inner dimension; 0 = same as --n");
    int threads = args.intOption("threads", 2, "threads for gnn4j and for OpenBLAS");
    int warmup = args.intOption("warmup", 10, "untimed rounds (each of gnn4j and OpenBLAS)");
    int repeats = args.intOption("repeats", 15, "timed rounds (median reported)");
    String kernelsOpt = args.option("kernels", "vector",
        "gnn4j dense kernel: vector, scalar, or openblas (SgemmOpenBlas: gnn4j's threads, one"
        + " OpenBLAS thread each)");
    boolean noReference = args.flag("no-reference", "skip OpenBLAS");
    if (args.wantsHelp()) return null;  // options declared; the command prints them
    args.checkNoUnknown();
    if (m == 0) m = n;
    if (k == 0) k = n;
    if (m < 1 || n < 1 || k < 1 || threads < 1 || warmup < 0 || repeats < 1) {
      throw new CliException("bench sgemm: sizes and --threads/--repeats must be >= 1, --warmup"
          + " >= 0 (got m=" + m + " n=" + n + " k=" + k + " threads=" + threads + ")");
    }
    Kernels kernels = switch (kernelsOpt) {
      // "vector" means gnn4j's own kernel: keep VectorDense from handing the product to OpenBLAS
      case "vector" -> Kernels.vector(Kernels.DenseChoice.OWN);
      case "openblas" -> Kernels.vector();
      case "scalar" -> Kernels.scalar();
      default -> throw new CliException("bench sgemm: --kernels must be vector or scalar (got '"
          + kernelsOpt + "')");
    };
    SplittableRandom rng = new SplittableRandom(42);
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c = new float[m * n];
    boolean viaOpenBlas = kernelsOpt.equals("openblas");
    DenseKernels dense = viaOpenBlas ? loadOpenBlas(kernels.dense()) : kernels.dense();
    final int fm = m, fn = n, fk = k;

    JsonLine line = new JsonLine().put("kernel", name()).put("m", m).put("n", n).put("k", k)
        .put("threads", threads).put("kernels", viaOpenBlas ? "openblas-in-gnn4j" : kernels.name()).put("species", vectorBits(kernels));
    double[] ours = new double[repeats];
    double[] theirs = new double[repeats];
    double[] theirsHeap = new double[repeats];
    float[] cHeap = new float[m * n];
    // Blocks of rounds: gnn4j's, then OpenBLAS's, then a pause, three times. Back-to-back rounds
    // within a block; OpenBLAS is loaded only after gnn4j's first block and paused after, since
    // its idle workers spin for a while and would steal the cores from gnn4j. Three blocks give
    // both sides a chance at a quiet moment on a shared machine (see ms_min, ratio_min).
    Reference ref = null;
    String refError = noReference ? "skipped (--no-reference)" : null;
    int blocks = Math.min(3, repeats);
    try (Parallel par = new Parallel(threads)) {
      Runnable step = () -> dense.sgemm(c, 0, fn, 0f, a, 0, fk, false, b, 0, fn, false, 1f,
          fm, fn, fk, par);
      for (int blk = 0; blk < blocks; blk++) {
        int from = repeats * blk / blocks, to = repeats * (blk + 1) / blocks;
        // the reference sets OpenBLAS's global thread count; SgemmOpenBlas wants 1 back
        if (viaOpenBlas && blk > 0) loadOpenBlas(kernels.dense());
        timeRounds(blk == 0 ? warmup : 1, ours, from, to, step);
        if (blk == 0 && !noReference) {
          try {
            ref = new Reference(a, b, m, n, k, threads);
          } catch (LinkageError | RuntimeException e) {
            refError = "OpenBLAS could not load: " + e;
          }
        }
        if (ref != null) {
          Reference r = ref;
          r.useThreads();
          timeRounds(blk == 0 ? warmup : 1, theirs, from, to, r::run);
          timeRounds(blk == 0 ? warmup : 1, theirsHeap, from, to, () -> r.runOnHeap(a, b, cHeap));
          pause();
        }
      }
    }
    double flop = 2.0 * m * n * k;
    double ms = median(ours);
    double gflops = flop / (ms * 1e6);
    line.put("gflops", gflops).put("ms_median", ms).put("ms_min", Arrays.stream(ours).min().orElse(0));
    if (ref != null) {
      double refMs = median(theirs);
      double refGflops = flop / (refMs * 1e6);
      double refMin = Arrays.stream(theirs).min().orElse(0);
      line.put("reference", ref.version()).put("reference_gflops", refGflops)
          .put("reference_ms_median", refMs).put("reference_ms_min", refMin)
          .put("ratio", gflops / refGflops)
          // best-of-N ratio: the least disturbed round of each, robust on a shared machine
          .put("ratio_min", refMin / Arrays.stream(ours).min().orElse(Double.NaN))
          // what a product call on Java float[] would get: JNI copies A, B and C in and C out
          .put("reference_heap_gflops", flop / (median(theirsHeap) * 1e6))
          .put("ratio_heap", median(theirsHeap) / ms)
          .put("max_abs_diff", ref.maxAbsDiff(c));
      ref.close();
    } else {
      line.put("reference", null).put("reference_gflops", null).put("ratio", null)
          .put("reference_error", refError);
    }
    return line.put("peak_rss_mb", ProcessMemory.peakRssMb()).put("loadavg_1m", loadAverage());
  }

  private static float[] random(SplittableRandom rng, int len) {
    float[] x = new float[len];
    for (int i = 0; i < len; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
    return x;
  }

  /** The 1-minute load average (other processes compete for the cores), or null. */
  private static Double loadAverage() {
    try {
      String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"));
      return Double.parseDouble(s.trim().split("\\s+")[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static DenseKernels loadOpenBlas(DenseKernels fallback) {
    try {
      return org.gnn4j.internal.kernel.SgemmOpenBlas.load(fallback);
    } catch (UnsupportedOperationException e) {
      throw new CliException("bench sgemm: --kernels openblas: " + e.getMessage());
    }
  }

  /** Runs {@code step} {@code warmup} times, then once per slot ms[from..to), timed. */
  private static void timeRounds(int warmup, double[] ms, int from, int to, Runnable step) {
    for (int i = 0; i < warmup; i++) step.run();
    for (int i = from; i < to; i++) ms[i] = timeMs(step);
  }

  /** Long enough for OpenBLAS's idle workers to stop spinning (its thread timeout, ~0.1 s). */
  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double timeMs(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** "vector(512-bit)" -> 512; the scalar set -> 0. */
  private static int vectorBits(Kernels kernels) {
    String digits = kernels.name().replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }

  /**
   * OpenBLAS on native (off-heap) copies of A and B, so its timing has no JNI array copies.
   * Touching the org.bytedeco classes happens only here: a missing or broken native library
   * surfaces as a LinkageError from the constructor, which the caller reports.
   */
  private static final class Reference implements AutoCloseable {
    private final org.bytedeco.javacpp.FloatPointer a;
    private final org.bytedeco.javacpp.FloatPointer b;
    private final org.bytedeco.javacpp.FloatPointer c;
    private final int m;
    private final int n;
    private final int k;
    private final int threads;

    Reference(float[] a, float[] b, int m, int n, int k, int threads) {
      org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
      this.a = new org.bytedeco.javacpp.FloatPointer(a);
      this.b = new org.bytedeco.javacpp.FloatPointer(b);
      this.c = new org.bytedeco.javacpp.FloatPointer((long) m * n);
      this.m = m;
      this.n = n;
      this.k = k;
      this.threads = threads;
    }

    void useThreads() {
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    void run() {
      org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm(
          org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor,
          org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
          org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
          m, n, k, 1f, a, k, b, n, 0f, c, n);
    }

    /** The same product on Java arrays, through the preset's float[] overload. */
    void runOnHeap(float[] a, float[] b, float[] c) {
      org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm(
          org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor,
          org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
          org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
          m, n, k, 1f, a, k, b, n, 0f, c, n);
    }

    /** "openblas 0.3.28 (2 threads)": the version the preset was built from, threads in force. */
    String version() {
      String[] words = org.bytedeco.openblas.global.openblas_nolapack.OPENBLAS_VERSION.trim()
          .split("\\s+");
      return "openblas " + words[words.length - 1] + " ("
          + org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads() + " threads)";
    }

    double maxAbsDiff(float[] ours) {
      float[] theirs = new float[ours.length];
      c.get(theirs);
      double max = 0;
      for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(theirs[i] - ours[i]));
      return max;
    }

    @Override
    public void close() {
      a.close();
      b.close();
      c.close();
    }
  }
}
