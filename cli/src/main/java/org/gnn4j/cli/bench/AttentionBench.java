package org.gnn4j.cli.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code gnn4j bench --kernel attention}: forward + backward of the fused graph-attention op on
 * a seeded uniform random graph, with q, k, v {@code [n, heads, channels]} requiring gradients.
 * Reports median forward, backward and total milliseconds, and the memory the steps add on top
 * of the inputs: {@code extra_peak_mb = peak_rss_mb - baseline_rss_mb}, where the baseline is the
 * resident set once the graph (with both CSR views) and the inputs exist.
 */
public final class AttentionBench implements KernelBench {
  @Override
  public String name() {
    return "attention";
  }

  @Override
  public JsonLine run(Args args) {
    int n = args.intOption("n", 200_000, "number of nodes");
    int e = args.intOption("e", 4_000_000, "number of edges (src, dst uniform)");
    int heads = args.intOption("heads", 4, "attention heads H");
    int channels = args.intOption("channels", 16, "channels per head C");
    int threads = args.intOption("threads", 2, "worker threads");
    int warmup = args.intOption("warmup", 1, "untimed forward+backward steps");
    int repeats = args.intOption("repeats", 5, "timed forward+backward steps");
    int seed = args.intOption("seed", 1, "seed of the graph and the inputs");
    String impl = args.option("impl", "auto", "kernels: auto, scalar or vector");
    boolean withEdgeKv = args.flag("edge-kv",
        "add edge features edgeKv [e, heads, channels] (TransformerConv with edge_dim)");
    boolean withBias = args.flag("bias", "add a score bias [e, heads] (Graphormer-style)");
    if (args.wantsHelp()) {
      return null;
    }
    args.checkNoUnknown();
    if (n < 1 || e < 0 || heads < 1 || channels < 1 || threads < 1 || warmup < 0 || repeats < 1) {
      throw new CliException("bench attention: sizes must be positive (got n=" + n + ", e=" + e
          + ", heads=" + heads + ", channels=" + channels + ", threads=" + threads + ", warmup="
          + warmup + ", repeats=" + repeats + ")");
    }
    Kernels kernels = switch (impl) {
      case "auto" -> Kernels.detect();
      case "scalar" -> Kernels.scalar();
      case "vector" -> Kernels.vector();
      default -> throw new CliException("bench attention: --impl must be auto, scalar or vector"
          + " (got '" + impl + "')");
    };

    try (Context ctx = Context.builder().threads(threads).seed(seed).kernels(kernels).build()) {
      SplittableRandom r = new SplittableRandom(seed);
      EdgeIndex g = RandomGraph.uniform(n, e, r);
      g.csrByDst();
      g.csrBySrc();
      Tensor q = ctx.randn(r, n, heads, channels).requiresGrad(true);
      Tensor k = ctx.randn(r, n, heads, channels).requiresGrad(true);
      Tensor v = ctx.randn(r, n, heads, channels).requiresGrad(true);
      Tensor edgeKv = withEdgeKv ? ctx.randn(r, e, heads, channels).requiresGrad(true) : null;
      Tensor bias = withBias ? ctx.randn(r, e, heads).requiresGrad(true) : null;
      float[] gradOut = ctx.randn(r, n, heads, channels).data();
      float scale = (float) (1.0 / Math.sqrt(channels));
      System.gc();
      double baseline = ProcessMemory.rssMb();

      double[] fwd = new double[repeats];
      double[] bwd = new double[repeats];
      // CPU time of the whole process per phase: robust to sharing the machine, unlike wall time.
      double[] fwdCpu = new double[repeats];
      double[] bwdCpu = new double[repeats];
      double checksum = 0;
      var os = (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      var threadBean = (com.sun.management.ThreadMXBean)
          java.lang.management.ManagementFactory.getThreadMXBean();
      // Heap allocated by the calling thread (which allocates all tensors) in the last step; the
      // first steps also box vectors until C2 has compiled the kernels.
      double allocMb = 0;
      for (int step = 0; step < warmup + repeats; step++) {
        for (Tensor t : new Tensor[] {q, k, v, edgeKv, bias}) {
          if (t != null) t.zeroGrad();
        }
        // Each step starts from a collected heap (untimed): otherwise the previous steps' dead
        // outputs and gradients pile up in the old generation and the peak measures the GC's
        // patience, not the op. The step's own transient memory still counts in full.
        System.gc();
        long a0 = threadBean.getCurrentThreadAllocatedBytes();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Tensor out = GraphAttention.apply(g, q, k, v, edgeKv, bias, scale);
        long t1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        Autograd.backward(out, gradOut);
        long t2 = System.nanoTime();
        long c2 = os.getProcessCpuTime();
        allocMb = (threadBean.getCurrentThreadAllocatedBytes() - a0) / 1048576.0;
        if (step >= warmup) {
          fwd[step - warmup] = (t1 - t0) / 1e6;
          bwd[step - warmup] = (t2 - t1) / 1e6;
          fwdCpu[step - warmup] = (c1 - c0) / 1e6;
          bwdCpu[step - warmup] = (c2 - c1) / 1e6;
        }
        checksum = out.data()[0] + q.gradArray()[0] + k.gradArray()[0] + v.gradArray()[0];
      }
      double peak = ProcessMemory.peakRssMb();
      double[] total = new double[repeats];
      for (int i = 0; i < repeats; i++) total[i] = fwd[i] + bwd[i];
      return new JsonLine()
          .put("kernel", name())
          .put("impl", ctx.kernelsName())
          .put("n", n)
          .put("e", e)
          .put("heads", heads)
          .put("channels", channels)
          .put("threads", threads)
          .put("edge_kv", withEdgeKv)
          .put("bias", withBias)
          .put("fwd_ms_median", median(fwd))
          .put("bwd_ms_median", median(bwd))
          .put("ms_median", median(total))
          .put("fwd_ms_min", Arrays.stream(fwd).min().orElse(Double.NaN))
          .put("bwd_ms_min", Arrays.stream(bwd).min().orElse(Double.NaN))
          .put("fwd_cpu_ms_median", median(fwdCpu))
          .put("bwd_cpu_ms_median", median(bwdCpu))
          .put("peak_rss_mb", peak)
          .put("baseline_rss_mb", baseline)
          .put("extra_peak_mb", peak - baseline)
          .put("step_alloc_mb", allocMb)
          .put("checksum", checksum);
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length;
    return m % 2 == 1 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  }
}
