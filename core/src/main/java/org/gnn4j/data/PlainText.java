package org.gnn4j.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/** How the dataset writers spell numbers and write their gzip-compressed text files. */
final class PlainText {
  private PlainText() {}

  /** Shortest decimal that reads back to the same float. */
  static String real(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e7 ? Integer.toString((int) v)
        : Float.toString(v).toLowerCase(Locale.ROOT);
  }

  /** One integer per line. */
  static StringBuilder lines(int[] v) {
    StringBuilder sb = new StringBuilder(v.length * 3);
    for (int x : v) sb.append(x).append('\n');
    return sb;
  }

  /** Writes {@code text} gzip-compressed to {@code dir/file}; returns the file name. */
  static String gz(Path dir, String file, CharSequence text) throws IOException {
    try (Writer w = new BufferedWriter(new OutputStreamWriter(
        new GZIPOutputStream(Files.newOutputStream(dir.resolve(file)), 1 << 16),
        StandardCharsets.US_ASCII))) {
      w.append(text);
    }
    return file;
  }
}
