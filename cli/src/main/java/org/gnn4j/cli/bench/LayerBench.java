package org.gnn4j.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code gnn4j bench --layer L --size S}: one training step of one layer, repeated, on the
 * shared workloads (forward on the whole graph, loss = mean(out^2), backward to x and every
 * parameter, gradients cleared before each step), printing the JSON line of
 * {@code shared/bench/README.md}. Several cases ({@code all} or comma lists) run each in a fresh
 * JVM with this JVM's flags, so each peak RSS is the case's own.
 */
public final class LayerBench {
  private LayerBench() {}

  public static int run(String[] argv, PrintStream out) {
    Args a = new Args("bench", argv, 1);
    String layers = a.option("layer", "gcn", "layer: " + String.join(", ", LayerWorkloads.LAYERS)
        + ", a comma list, or all");
    String sizes = a.option("size", "10k", "size: cora, 10k, 100k, 200k, a comma list, or all");
    int threads = a.intOption("threads", 2, "worker threads");
    int warmup = a.intOption("warmup", 3, "untimed steps");
    int repeats = a.intOption("repeats", 10, "timed steps");
    int seed = a.intOption("seed", 0, "seed of the graph, features and parameters");
    if (a.wantsHelp()) {
      out.println("usage: gnn4j bench --layer L --size S [options]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (threads < 1 || warmup < 0 || repeats < 1) {
      throw new CliException("bench: need --threads >= 1, --warmup >= 0, --repeats >= 1");
    }
    List<String> ls = layers.equals("all") ? LayerWorkloads.LAYERS : List.of(layers.split(","));
    List<String> ss = sizes.equals("all")
        ? LayerWorkloads.SIZES.stream().map(LayerWorkloads.Size::name).toList()
        : List.of(sizes.split(","));
    for (String l : ls) {
      if (!LayerWorkloads.LAYERS.contains(l)) {
        throw new CliException("bench: unknown --layer '" + l + "' (valid: "
            + String.join(", ", LayerWorkloads.LAYERS) + ", all)");
      }
    }
    ss.forEach(LayerWorkloads::size);
    if (ls.size() == 1 && ss.size() == 1) {
      out.println(measure(ls.get(0), LayerWorkloads.size(ss.get(0)), threads, warmup, repeats, seed));
      return 0;
    }
    for (String s : ss) {
      for (String l : ls) {
        runFresh(out, List.of("bench", "--layer", l, "--size", s, "--threads", "" + threads,
            "--warmup", "" + warmup, "--repeats", "" + repeats, "--seed", "" + seed), l, s);
      }
    }
    return 0;
  }

  /** Runs one case in a new JVM with this JVM's flags and copies its JSON line to out. */
  private static void runFresh(PrintStream out, List<String> benchArgs, String layer, String size) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.gnn4j.cli.Main");
    cmd.addAll(benchArgs);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String last = null;
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) last = line;
      }
      int code = p.waitFor();
      if (code == 0 && last != null && last.startsWith("{")) {
        out.println(last);
      } else {
        out.println(new JsonLine().put("layer", layer).put("size", size).put("status", "failed")
            .put("reason", "case process exited with " + code));
      }
      out.flush();
    } catch (IOException e) {
      throw new CliException("bench: cannot start a JVM for " + layer + "/" + size + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("bench: interrupted");
    }
  }

  static JsonLine measure(String layer, LayerWorkloads.Size size, int threads, int warmup,
                          int repeats, long seed) {
    JsonLine line = new JsonLine().put("layer", layer).put("size", size.name())
        .put("N", size.n()).put("E", size.e()).put("F_in", size.fIn()).put("threads", threads);
    String why = LayerWorkloads.unsupported(layer, size);
    if (why != null) return line.put("status", "skipped").put("reason", why);
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      SplittableRandom rng = new SplittableRandom(seed);
      Tensor x = ctx.randn(rng, size.n(), size.fIn());
      EdgeIndex edges = RandomGraph.uniform(size.n(), size.e(), rng);
      LayerWorkloads.Built b = LayerWorkloads.build(ctx, layer, size.fIn(), rng);
      Tensor edgeAttr = b.usesEdgeAttr() ? ctx.randn(rng, size.e(), LayerWorkloads.EDGE_DIM) : null;
      if (b.gradToX()) x.requiresGrad(true);
      LayerWorkloads.Inputs in = new LayerWorkloads.Inputs(x, Graph.of(edges), edgeAttr);
      line.put("kernels", ctx.kernelsName()).put("params", b.module().numParameters());
      double[] fwd = new double[repeats];
      double[] tot = new double[repeats];
      for (int i = -warmup; i < repeats; i++) {
        for (Tensor p : b.module().parameters()) p.zeroGrad();
        if (b.gradToX()) x.zeroGrad();
        long t0 = System.nanoTime();
        long t1;
        try (var step = ctx.step()) {       // a training step: its buffers serve the next one
          Tensor out = b.forward().apply(in);
          Tensor loss = out.mul(out).mean();
          t1 = System.nanoTime();
          loss.backward();
        }
        long t2 = System.nanoTime();
        if (i >= 0) {
          fwd[i] = (t1 - t0) / 1e6;
          tot[i] = (t2 - t0) / 1e6;
        }
      }
      double[] bwd = new double[repeats];
      for (int i = 0; i < repeats; i++) bwd[i] = tot[i] - fwd[i];
      return line.put("status", "ok").put("repeats", repeats).put("warmup", warmup)
          .put("fwd_bwd_ms_median", median(tot)).put("fwd_bwd_ms_min", min(tot))
          .put("fwd_bwd_ms_max", max(tot)).put("fwd_ms_median", median(fwd))
          .put("bwd_ms_median", median(bwd)).put("peak_rss_mb", ProcessMemory.peakRssMb());
    } catch (OutOfMemoryError e) {
      return line.put("status", "failed").put("reason", "OutOfMemoryError: " + e.getMessage())
          .put("peak_rss_mb", ProcessMemory.peakRssMb());
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(Double.NaN);
  }
}
