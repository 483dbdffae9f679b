package org.gnn4j.cli;

import java.io.PrintStream;

/** {@code gnn4j train}: placeholder wired in by the demo commit later this session. */
final class TrainCommand {
  private TrainCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    throw new CliException("train: not available yet");
  }
}
