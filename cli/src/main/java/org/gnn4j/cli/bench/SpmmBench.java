package org.gnn4j.cli.bench;

import org.gnn4j.internal.kernel.ContextAccess;

import java.util.SplittableRandom;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.tensor.Context;

/**
 * {@code gnn4j bench --kernel spmm}: forward SpMM sum aggregation {@code out[i] = sum_{j->i}
 * x[j]} on a seeded uniform random graph, compared with the machine's streaming copy bandwidth
 * measured in the same process. The byte model (documented in docs/bench/spmm.md) counts what
 * the kernel must touch at minimum: rowPtr, col (plus edge ids and weights with --weighted),
 * one full gathered x row per edge (rounded up to 64-byte cache lines) and the output written
 * once; {@code ratio = ms_median / (bytes_moved / bandwidth)}. A second, stricter model counts
 * every x row only once ({@code bytes_unique}), the floor if x stayed in cache.
 */
public final class SpmmBench implements KernelBench {
  @Override
  public String name() {
    return "spmm";
  }

  @Override
  public JsonLine run(Args args) {
    int n = args.intOption("n", 200_000, "nodes");
    int e = args.intOption("e", 4_000_000, "edges (src, dst uniform)");
    int f = args.intOption("f", 64, "feature width");
    int threads = args.intOption("threads", 2, "worker threads");
    int warmup = args.intOption("warmup", 3, "untimed runs");
    int repeats = args.intOption("repeats", 10, "timed runs");
    int seed = args.intOption("seed", 1, "graph and feature seed");
    boolean weighted = args.flag("weighted", "one weight per edge instead of a plain sum");
    int copyMb = args.intOption("copy-mb", 256, "size of each buffer of the bandwidth copy");
    if (args.wantsHelp()) {
      return null;
    }
    args.checkNoUnknown();
    if (n < 1 || e < 0 || f < 1 || threads < 1 || repeats < 1 || warmup < 0 || copyMb < 1) {
      throw new CliException("bench spmm: need n >= 1, e >= 0, f >= 1, threads >= 1,"
          + " repeats >= 1, warmup >= 0, copy-mb >= 1");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    EdgeIndex edges = RandomGraph.uniform(n, e, rnd);
    Csr csr = edges.csrByDst();
    float[] x = new float[n * f];                          // x: [N, F]
    for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
    float[] w = null;
    if (weighted) {
      w = new float[e];
      for (int i = 0; i < e; i++) w[i] = (float) rnd.nextDouble();
    }
    float[] out = new float[n * f];                        // out: [N, F]
    final float[] weights = w;
    Timing t;
    String kernels;
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      GraphKernels gk = ContextAccess.kernels(ctx).graph();
      kernels = ctx.kernelsName();
      Parallel par = ContextAccess.parallel(ctx);
      t = Timing.measure(warmup, repeats, () -> gk.spmmCsr(out, csr.rowPtr(), csr.col(),
          csr.edge(), weights, 1, x, n, f, par));
    }
    double peakRss = ProcessMemory.peakRssMb();
    double gbps = copyBandwidthGbps(threads, copyMb);

    long rowBytes = ((long) f * 4 + 63) / 64 * 64;         // a gathered row in whole cache lines
    long indexBytes = (long) (n + 1) * 4 + (long) e * 4 + (weighted ? (long) e * 8 : 0);
    long bytes = indexBytes + (long) e * rowBytes + (long) n * f * 4;
    long unique = indexBytes + 2L * n * f * 4;
    double boundMs = bytes / (gbps * 1e9) * 1e3;
    double uniqueMs = unique / (gbps * 1e9) * 1e3;
    return new JsonLine().put("kernel", "spmm").put("n", n).put("e", e).put("f", f)
        .put("threads", threads).put("weighted", weighted).put("kernels", kernels)
        .put("ms_median", t.median()).put("ms_min", t.min()).put("peak_rss_mb", peakRss)
        .put("bandwidth_gbps", gbps).put("bytes_moved", bytes)
        .put("bandwidth_bound_ms", boundMs).put("ratio", t.median() / boundMs)
        .put("bytes_unique", unique).put("ratio_unique", t.median() / uniqueMs)
        .put("checksum", checksum(out));
  }

  /**
   * Best of five streaming copies of a {@code mb}-MiB float[] split over {@code threads}
   * threads, counted STREAM-style as bytes read + bytes written per second.
   */
  static double copyBandwidthGbps(int threads, int mb) {
    int len = (int) Math.min(Integer.MAX_VALUE - 8, mb * (1L << 20) / 4);
    float[] a = new float[len];
    float[] b = new float[len];
    java.util.Arrays.fill(a, 1f);
    java.util.Arrays.fill(b, 2f);                           // touch every page before timing
    double best = 0;
    try (Parallel par = new Parallel(threads)) {
      for (int rep = 0; rep < 5; rep++) {
        long t0 = System.nanoTime();
        par.forRange(len, 1 << 16, (chunk, from, to) -> System.arraycopy(a, from, b, from,
            to - from));
        long ns = System.nanoTime() - t0;
        best = Math.max(best, 2.0 * 4 * len / ns);          // bytes per ns = GB/s
      }
    }
    return best;
  }

  private static double checksum(float[] v) {
    double s = 0;
    for (int i = 0; i < v.length; i += 97) s += v[i];
    return s;
  }
}
