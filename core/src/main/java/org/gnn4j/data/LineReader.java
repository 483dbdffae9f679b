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
    String s = nextRaw();
    return s == null ? null : split(s, separator, columns);
  }

  private String[] split(String s, char separator, int columns) {
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

  /**
   * The next line's {@code what.length} integer fields (no range check) in {@code out}, or false
   * at EOF. Parses digits in place, without splitting the line into strings (the readers spend
   * their time here on large files); any irregular line goes through {@link #next} and
   * {@link #parseInt}, so the error message is the same as on the slow path.
   */
  boolean nextInts(char separator, String[] what, int[] out) {
    String s = nextRaw();
    if (s == null) return false;
    int pos = 0;
    int len = s.length();
    boolean ok = true;
    for (int c = 0; c < what.length && ok; c++) {
      while (pos < len && s.charAt(pos) == ' ') pos++;
      boolean neg = pos < len && s.charAt(pos) == '-';
      if (neg) pos++;
      int start = pos;
      int v = 0;
      while (pos < len && pos - start < 9 && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        v = v * 10 + (s.charAt(pos++) - '0');
      }
      while (pos < len && s.charAt(pos) == ' ') pos++;
      ok = pos > start && (c == what.length - 1 ? pos == len : pos < len && s.charAt(pos++) == separator);
      out[c] = neg ? -v : v;
    }
    if (!ok) {
      String[] p = split(s, separator, what.length);
      for (int c = 0; c < what.length; c++) out[c] = parseInt(p[c], what[c], Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    return true;
  }

  /** {@code v} if in [lo, hi), else the error naming {@code what}, the value and the range. */
  int check(int v, String what, int lo, int hiExclusive) {
    if (v < lo || v >= hiExclusive) {
      throw error(what + " " + v + " is out of range [" + lo + ", " + hiExclusive + ")");
    }
    return v;
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
