package org.gnn4j.data;

import java.util.Arrays;

/**
 * Whole-file readers for the plain format's column files (one per node, edge or graph), each
 * turning a short or long file into a {@link DataFormatException} with the file and line.
 */
final class PlainFiles {
  private PlainFiles() {}

  /**
   * One integer per line in [lo, hi).
   *
   * @param lines the exact number of lines expected, or -1 for any
   * @param per what one line is about (node, edge, graph), for messages
   */
  static int[] ints(DataSource src, String file, String what, int lo, int hi, int lines,
                    String per) {
    if (lines >= 0) HeapBudget.require(4L * lines, src.describe(file) + ": " + lines + " " + per + "s");
    int[] v = new int[lines >= 0 ? lines : 256];
    int k = 0;
    String[] names = {what};
    int[] buf = new int[1];
    try (LineReader r = new LineReader(src, file)) {
      for (; r.nextInts('\t', names, buf); k++) {
        if (lines >= 0 && k >= lines) {
          throw r.error("more lines than expected: expected " + lines + " (one per " + per + ")");
        }
        if (k == v.length) v = Arrays.copyOf(v, 2 * k);
        v[k] = r.check(buf[0], what, lo, hi);
      }
      if (lines >= 0 && k < lines) {
        throw r.error("missing lines: found " + k + ", expected " + lines + " (one per " + per
            + ")");
      }
    }
    return lines >= 0 ? v : Arrays.copyOf(v, k);
  }

  /** One real number per line, exactly {@code lines} lines. */
  static float[] floats(DataSource src, String file, String what, int lines, String per) {
    HeapBudget.require(4L * lines, src.describe(file) + ": " + lines + " " + per + "s");
    float[] v = new float[lines];
    int k = 0;
    try (LineReader r = new LineReader(src, file)) {
      for (String[] p; (p = r.next('\t', 1)) != null; k++) {
        if (k >= lines) {
          throw r.error("more lines than expected: expected " + lines + " (one per " + per + ")");
        }
        v[k] = r.parseFloat(p[0], what);
      }
      if (k < lines) {
        throw r.error("missing lines: found " + k + ", expected " + lines + " (one per " + per
            + ")");
      }
    }
    return v;
  }

  /** {@code lines} rows of {@code columns} reals separated by {@code sep}, row-major. */
  static float[] floatRows(DataSource src, String file, char sep, int columns, int lines) {
    float[] v = new float[HeapBudget.arrayLength(lines, columns, src.describe(file) + ": " + lines
        + " rows of " + columns + " values")];
    int k = 0;
    try (LineReader r = new LineReader(src, file)) {
      for (String[] p; (p = r.next(sep, columns)) != null; k++) {
        if (k >= lines) throw r.error("more lines than expected: expected " + lines);
        for (int c = 0; c < columns; c++) v[k * columns + c] = r.parseFloat(p[c], "column " + (c + 1));
      }
      if (k < lines) throw r.error("missing lines: found " + k + ", expected " + lines);
    }
    return v;
  }

  /** The number of {@code sep}-separated fields on the first line (0 for an empty file). */
  static int columnsOfFirstLine(DataSource src, String file, char sep) {
    try (LineReader r = new LineReader(src, file)) {
      String first = r.nextRaw();
      return first == null ? 0 : first.split(String.valueOf(sep), -1).length;
    }
  }

  /** A split file: ids in [0, n), optional (empty when absent), no id twice. */
  static int[] split(DataSource src, String file, String what, int n) {
    if (!src.has(file)) return new int[0];
    int[] ids = ints(src, file, what + " id", 0, n, -1, what);
    boolean[] seen = new boolean[n];
    for (int i = 0; i < ids.length; i++) {
      if (seen[ids[i]]) {
        throw new DataFormatException(src.describe(file), i + 1, what + " " + ids[i]
            + " is listed twice");
      }
      seen[ids[i]] = true;
    }
    return ids;
  }

  /** Rejects an id present in two splits, naming the later file and its line. */
  static void checkDisjoint(DataSource src, int[] a, String fa, int[] b, String fb, int n,
                            String what) {
    boolean[] inA = new boolean[n];
    for (int v : a) inA[v] = true;
    for (int i = 0; i < b.length; i++) {
      if (inA[b[i]]) {
        throw new DataFormatException(src.describe(fb), i + 1, what + " " + b[i]
            + " is also in " + fa + " (splits must not overlap)");
      }
    }
  }

  static void checkSplits(DataSource src, int[] train, int[] val, int[] test, int n, String what) {
    checkDisjoint(src, train, "train.txt", val, "val.txt", n, what);
    checkDisjoint(src, train, "train.txt", test, "test.txt", n, what);
    checkDisjoint(src, val, "val.txt", test, "test.txt", n, what);
  }
}
