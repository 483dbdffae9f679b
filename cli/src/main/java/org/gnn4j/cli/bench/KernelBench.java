package org.gnn4j.cli.bench;

import org.gnn4j.cli.Args;

/**
 * One micro-benchmark of a hot kernel behind {@code gnn4j bench --kernel NAME}: reads its
 * options from {@link Args} (declared with defaults, so --help lists them) and returns the one
 * JSON line to print.
 */
public interface KernelBench {
  /** The value of {@code --kernel} that selects this benchmark. */
  String name();

  /**
   * Declares and reads options, runs, and returns the result line; when {@code args.wantsHelp()}
   * it returns null right after declaring its options, without running.
   */
  JsonLine run(Args args);
}
