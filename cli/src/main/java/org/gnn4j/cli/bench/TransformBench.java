package org.gnn4j.cli.bench;

import java.io.PrintStream;
import java.util.SplittableRandom;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.LaplacianPe;
import org.gnn4j.pe.RandomWalkPe;
import org.gnn4j.tensor.Context;

/**
 * {@code gnn4j bench --transform lappe|rwse --size S --k K}: the positional-encoding workloads
 * of {@code shared/bench/README.md}. The random graph of the size (as the layer workloads draw
 * it) is made undirected, deduplicated and free of self-loops, then one transform is timed
 * (graph building excluded, as on PyG's side). lappe reports {@code max_residual}
 * = max ||L v - lambda v|| over the returned pairs and {@code mat_vecs}, the products with S the
 * solve took (the work, which the machine's load does not change); rwse reports the {@code method} and the
 * {@code max_abs_error} against exact values of 100 seeded sampled nodes.
 */
final class TransformBench {
  private TransformBench() {}

  static int run(String[] argv, PrintStream out) {
    Args a = new Args("bench", argv, 1);
    String transform = a.option("transform", "lappe", "positional encoding: lappe or rwse");
    String size = a.option("size", "100k", "size: cora, 10k, 100k, 200k");
    int k = a.intOption("k", 8, "encoding width (eigenvectors, or walk lengths)");
    int threads = a.intOption("threads", 2, "worker threads");
    int seed = a.intOption("seed", 0, "seed of the graph and the transform");
    int repeats = a.intOption("repeats", 1, "timed runs (ms is their median; 1 = a cold run)");
    String method = a.option("method", "auto", "rwse: auto, exact or estimated");
    int walks = a.intOption("walks", RandomWalkPe.Options.defaults().walks(), "rwse: walks per node");
    String tol = a.option("tol", "1e-4", "lappe: residual tolerance asked for (the targets' 1e-4)");
    int filter = a.intOption("filter", LaplacianPe.Options.defaults().filterDegree(),
        "lappe: Chebyshev filter degree (0 = plain Lanczos)");
    int subspace = a.intOption("subspace", 0, "lappe: Lanczos basis size (0 = default)");
    int block = a.intOption("block", 0, "lappe: Lanczos block size (0 = default)");
    if (a.wantsHelp()) {
      out.println("usage: gnn4j bench --transform lappe|rwse --size S --k K [options]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (!transform.equals("lappe") && !transform.equals("rwse")) {
      throw new CliException("bench: unknown --transform '" + transform + "' (valid: lappe, rwse)");
    }
    if (threads < 1 || repeats < 1 || k < 1) {
      throw new CliException("bench: need --threads >= 1, --repeats >= 1, --k >= 1");
    }
    LayerWorkloads.Size s;
    try {
      s = LayerWorkloads.size(size);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    Adjacency adj = Adjacency.undirected(RandomGraph.uniform(s.n(), s.e(),
        new SplittableRandom(seed)));
    JsonLine line = new JsonLine().put("transform", transform).put("size", s.name())
        .put("N", s.n()).put("E_directed", adj.nnz()).put("k", k).put("threads", threads);
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      if (transform.equals("lappe")) {
        LaplacianPe.Options opt = new LaplacianPe.Options(Double.parseDouble(tol), subspace, 100,
            seed, filter, block);
        LaplacianPe.Result[] r = new LaplacianPe.Result[1];
        long cpu0 = cpuNanos();
        Timing t = Timing.measure(0, repeats,
            () -> r[0] = LaplacianPe.compute(adj, new int[] {s.n()}, k, opt, ctx));
        line.put("ms", t.median()).put("cpu_ms", (cpuNanos() - cpu0) / 1e6 / repeats)
            .put("peak_rss_mb", ProcessMemory.peakRssMb())
            .put("max_residual", sci(r[0].maxResidual()))
            .put("mat_vecs", r[0].matVecs()[0])
            .put("valid", r[0].valid()[0])
            .put("lambda_1", r[0].values()[0]).put("lambda_k", r[0].values()[k - 1]);
      } else {
        RandomWalkPe.Options opt = new RandomWalkPe.Options(
            RandomWalkPe.Method.valueOf(method.toUpperCase(java.util.Locale.ROOT)),
            RandomWalkPe.Options.defaults().exactLimit(), walks,
            RandomWalkPe.Options.defaults().exactHops(), seed);
        RandomWalkPe.Result[] r = new RandomWalkPe.Result[1];
        long cpu0 = cpuNanos();
        Timing t = Timing.measure(0, repeats,
            () -> r[0] = RandomWalkPe.compute(adj, new int[] {s.n()}, k, opt, ctx));
        double cpuMs = (cpuNanos() - cpu0) / 1e6 / repeats;
        double peak = ProcessMemory.peakRssMb();
        SplittableRandom pick = new SplittableRandom(seed + 1L);
        int[] nodes = new int[Math.min(100, s.n())];
        for (int i = 0; i < nodes.length; i++) nodes[i] = pick.nextInt(s.n());
        double[] exact = RandomWalkPe.exactForNodes(adj, nodes, k, ctx);
        double err = 0;
        for (int p = 0; p < nodes.length; p++) {
          for (int j = 0; j < k; j++) {
            err = Math.max(err, Math.abs(exact[p * k + j] - r[0].values()[nodes[p] * k + j]));
          }
        }
        line.put("method", r[0].method()).put("walks", r[0].method().equals("exact") ? 0 : walks)
            .put("ms", t.median()).put("cpu_ms", cpuMs).put("peak_rss_mb", peak)
            .put("max_abs_error", sci(err));
      }
      line.put("kernels", ctx.kernelsName()).put("status", "ok");
    } catch (IllegalArgumentException e) {
      throw new CliException("bench: " + e.getMessage());
    }
    out.println(line);
    return 0;
  }

  /** A number with 4 significant digits that stays readable when tiny (JSON allows 1.2E-6). */
  private static java.math.BigDecimal sci(double x) {
    return new java.math.BigDecimal(x).round(new java.math.MathContext(4));
  }

  /**
   * CPU time of the whole process (all threads, JIT and GC included): on a shared machine it
   * moves less than wall time, so it helps to tell a real change from the neighbours' load.
   */
  private static long cpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
