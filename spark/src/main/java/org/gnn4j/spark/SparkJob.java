package org.gnn4j.spark;

import java.io.PrintStream;

/**
 * One job of {@code ./gnn4j spark}: parses its own options (after the job name), writes its
 * result to {@code out} and progress to {@code err}, and returns the exit code. It reports bad
 * input by throwing {@link IllegalArgumentException} with one line naming the table, column and
 * row, the option or the layer; {@link SparkMain} prints it.
 */
@FunctionalInterface
public interface SparkJob {
  int run(String[] args, PrintStream out, PrintStream err);
}
