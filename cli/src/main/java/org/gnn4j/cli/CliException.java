package org.gnn4j.cli;

/** A user-facing error: printed as one line without a stack trace (unless --debug). */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}
