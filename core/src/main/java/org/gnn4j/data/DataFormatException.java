package org.gnn4j.data;

import org.gnn4j.io.Gnn4jConfigException;

/**
 * A dataset file that does not follow gnn4j's data format (wrong column count, a value that is
 * not a number, an id out of range, a missing line, overlapping splits, a damaged copy). The
 * message is {@code FILE:LINE: what is wrong (got ..., expected ...)}, so the CLI prints it as
 * one line. It is a {@link Gnn4jConfigException}, so code that handles bad user files in
 * general handles it too.
 */
public final class DataFormatException extends Gnn4jConfigException {
  /** @param line 1-based line number, or 0 when the problem concerns the whole file */
  public DataFormatException(String file, int line, String message) {
    super(file, line, message);
  }

  public DataFormatException(String file, int line, String message, Throwable cause) {
    super(file, line, message, cause);
  }
}
