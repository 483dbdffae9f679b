package org.gnn4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one plain-format data file line by line and turns every parse problem into a
 * {@link DataFormatException} naming the file, the 1-based line and what was expected.
 */
final class LineReader implements AutoCloseable {
  private final BufferedReader in;
  private final String name;
  private int line;

  LineReader(DataSource source, String file) {
    this.name = source.describe(file);
    if (!source.has(file)) throw new DataFormatException(name, 0, "file is missing");
    try {
      this.in = new BufferedReader(new InputStreamReader(source.open(file), StandardCharsets.UTF_8),
          1 << 16);
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "cannot open: " + e.getMessage(), e);
    }
  }

  /** The next line split on {@code separator} into exactly {@code columns} fields, or null at EOF. */
  String[] next(char separator, int columns) {
    String s;
    try {
      s = in.readLine();
    } catch (IOException e) {
      throw new DataFormatException(name, line, "read failed: " + e.getMessage(), e);
    }
    if (s == null) return null;
    line++;
    String[] parts = columns == 1 && s.indexOf(separator) < 0
        ? new String[] {s} : s.split(String.valueOf(separator), -1);
    if (parts.length != columns) {
      throw error("expected " + columns + " " + (separator == '\t' ? "tab" : "'" + separator + "'")
          + "-separated columns, found " + parts.length);
    }
    return parts;
  }

  /** The next line as it is, or null at EOF. */
  String nextRaw() {
    try {
      String s = in.readLine();
      if (s != null) line++;
      return s;
    } catch (IOException e) {
      throw new DataFormatException(name, line, "read failed: " + e.getMessage(), e);
    }
  }

  int parseInt(String field, String what, int lo, int hiExclusive) {
    int v;
    try {
      v = Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw error(what + " is not an integer (got '" + field + "')");
    }
    if (v < lo || v >= hiExclusive) {
      throw error(what + " " + v + " is out of range [" + lo + ", " + hiExclusive + ")");
    }
    return v;
  }

  float parseFloat(String field, String what) {
    try {
      float v = Float.parseFloat(field.trim());
      if (!Float.isFinite(v)) throw error(what + " is not finite (got '" + field + "')");
      return v;
    } catch (NumberFormatException e) {
      throw error(what + " is not a number (got '" + field + "')");
    }
  }

  int line() {
    return line;
  }

  DataFormatException error(String message) {
    return new DataFormatException(name, line, message);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
