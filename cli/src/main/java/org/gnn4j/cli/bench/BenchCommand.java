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
  private static final List<KernelBench> KERNELS = List.of(new SgemmBench());

  private BenchCommand() {}

  public static int run(String[] argv, PrintStream out) {
    Args args = new Args("bench", argv, 1);
    String kernel = args.option("kernel", null,
        "kernel micro-benchmark: " + String.join(", ", KERNELS.stream().map(KernelBench::name).toList()));
    if (args.wantsHelp() || kernel == null) {
      out.println("usage: gnn4j bench --kernel NAME [options]");
      out.print(args.usage());
      out.println("Each kernel takes its own options; try gnn4j bench --kernel NAME --help.");
      return kernel == null && !args.wantsHelp() ? 2 : 0;
    }
    KernelBench bench = KERNELS.stream().filter(k -> k.name().equals(kernel)).findFirst()
        .orElseThrow(() -> new CliException("bench: unknown --kernel '" + kernel + "' (valid: "
            + String.join(", ", KERNELS.stream().map(KernelBench::name).toList()) + ")"));
    if (args.wantsHelp()) {
      bench.run(args);
      return 0;
    }
    JsonLine line = bench.run(args);
    out.println(line);
    return 0;
  }
}
