package org.gnn4j.cli.bench;

import java.io.PrintStream;
import java.util.List;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;

/**
 * {@code gnn4j bench}: kernel micro-benchmarks ({@code --kernel}) that print one JSON line each.
 * Timing lives here and in JMH, never in unit tests.
 */
public final class BenchCommand {
  private static final List<KernelBench> KERNELS =
      List.of(new SgemmBench(), new SpmmBench(), new AttentionBench(), new DenseOpsBench());

  private BenchCommand() {}

  public static int run(String[] argv, PrintStream out) {
    if (java.util.Arrays.asList(argv).contains("--layer")) return LayerBench.run(argv, out);
    if (java.util.Arrays.asList(argv).contains("--transform")) return TransformBench.run(argv, out);
    if (java.util.Arrays.asList(argv).contains("--task")) return ExplainBench.run(argv, out, System.err);
    if (java.util.Arrays.asList(argv).contains("--serve")) return ServeBench.run(argv, out, System.err);
    Args args = new Args("bench", argv, 1);
    String kernel = args.option("kernel", null,
        "kernel micro-benchmark: " + String.join(", ", KERNELS.stream().map(KernelBench::name).toList()));
    if (kernel == null) {
      out.println("usage: gnn4j bench --kernel NAME [options]   (kernel micro-benchmarks)");
      out.println("       gnn4j bench --layer L --size S [options]  (layer workloads; --layer gcn --help)");
      out.println("       gnn4j bench --transform lappe|rwse --size S --k K  (positional encodings)");
      out.println("       gnn4j bench --task explain-bashapes [--seed N]  (GNNExplainer on BA-Shapes)");
      out.println("       gnn4j bench --serve CONFIG_OR_CHECKPOINT [--threads N]  (molecule inference latency)");
      out.print(args.usage());
      out.println("Each kernel takes its own options; try gnn4j bench --kernel NAME --help.");
      return kernel == null && !args.wantsHelp() ? 2 : 0;
    }
    KernelBench bench = KERNELS.stream().filter(k -> k.name().equals(kernel)).findFirst()
        .orElseThrow(() -> new CliException("bench: unknown --kernel '" + kernel + "' (valid: "
            + String.join(", ", KERNELS.stream().map(KernelBench::name).toList()) + ")"));
    JsonLine line = bench.run(args);
    if (args.wantsHelp()) {
      // A bench declares its options, sees --help and returns without running.
      out.println("usage: gnn4j bench --kernel " + kernel + " [options]");
      out.print(args.usage());
      return 0;
    }
    out.println(line);
    return 0;
  }
}
