package org.gnn4j.io;

/**
 * A problem in a file the user gave us (data, config, checkpoint): the message always names the
 * file, the line or key, what was found and what was expected, so the CLI can print it as one
 * line without a stack trace. Not final so that {@code data.DataFormatException} can narrow it.
 */
public class Gnn4jConfigException extends IllegalArgumentException {
  private final String source;
  private final int line;

  /** @param line 1-based line number, or 0 when the problem is not tied to a line */
  public Gnn4jConfigException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  public Gnn4jConfigException(String source, int line, String message, Throwable cause) {
    this(source, line, message);
    initCause(cause);
  }

  /** The file (or resource) the problem is in. */
  public String source() {
    return source;
  }

  /** 1-based line, or 0. */
  public int line() {
    return line;
  }
}
