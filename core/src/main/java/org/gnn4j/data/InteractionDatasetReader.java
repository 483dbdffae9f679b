package org.gnn4j.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a user-item interaction dataset in the MovieLens layout: {@code ratings.csv[.gz]} with a
 * header naming at least {@code userId}, {@code movieId} and {@code rating} (other columns, such
 * as {@code timestamp}, are ignored), and optionally {@code movies.csv[.gz]} ({@code
 * movieId,title,...}, titles with commas in double quotes) for item titles. Every rating at or
 * above {@code minRating} is one implicit interaction; a pair rated twice counts once. Users and
 * items without a kept rating are left out, and the rest are numbered in ascending id order.
 */
public final class InteractionDatasetReader {
  private InteractionDatasetReader() {}

  /**
   * Whether {@code src} looks like interaction data: a ratings table and no edge list (a graph
   * dataset that happens to carry a ratings file is still read as a graph).
   */
  public static boolean isInteractions(DataSource src) {
    return ratingsFile(src) != null && !src.has("edge_index.tsv.gz") && !src.has("edge_index.tsv");
  }

  private static String ratingsFile(DataSource src) {
    return src.has("ratings.csv.gz") ? "ratings.csv.gz" : src.has("ratings.csv") ? "ratings.csv" : null;
  }

  /**
   * @param minRating keep ratings {@code >= minRating} (0 keeps all)
   * @throws DataFormatException naming the file and line of a malformed row, or the file when
   *     it is missing or keeps no interaction
   */
  public static InteractionDataset read(String name, DataSource src, double minRating) {
    String file = ratingsFile(src);
    if (file == null) {
      throw new DataFormatException(src.describe("ratings.csv.gz"), 0, "file is missing (an"
          + " interaction dataset needs ratings.csv[.gz] with columns userId,movieId,rating)");
    }
    long[] pairs = readPairs(src, file, minRating);     // (userId << 32 | movieId), sorted
    if (pairs.length == 0) {
      throw new DataFormatException(src.describe(file), 0, "keeps no interaction"
          + (minRating > 0 ? " with rating >= " + minRating : ""));
    }
    int[] userIds = distinct(pairs, true);
    int[] itemIds = distinct(pairs, false);
    int[] users = new int[pairs.length];
    int[] items = new int[pairs.length];
    for (int m = 0; m < pairs.length; m++) {
      users[m] = Arrays.binarySearch(userIds, (int) (pairs[m] >>> 32));
      items[m] = Arrays.binarySearch(itemIds, (int) pairs[m]);
    }
    String[] titles = readTitles(src, itemIds);
    String describe = name + (minRating > 0
        ? " (ratings >= " + String.format(Locale.ROOT, "%.1f", minRating) + ")" : " (all ratings)");
    return new InteractionDataset(name, src, userIds, itemIds, users, items, titles, describe);
  }

  private static long[] readPairs(DataSource src, String file, double minRating) {
    try (LineReader r = new LineReader(src, file)) {
      String header = r.nextRaw();
      if (header == null) throw r.error("file is empty (expected a header userId,movieId,rating,...)");
      String[] cols = header.split(",", -1);
      int cu = column(r, cols, "userId");
      int ci = column(r, cols, "movieId");
      int cr = column(r, cols, "rating");
      long[] out = new long[1 << 16];
      int n = 0;
      for (String[] f; (f = r.next(',', cols.length)) != null; ) {
        int user = r.parseInt(f[cu], "userId", 0, Integer.MAX_VALUE);
        int item = r.parseInt(f[ci], "movieId", 0, Integer.MAX_VALUE);
        float rating = r.parseFloat(f[cr], "rating");
        if (rating < minRating) continue;
        if (n == out.length) out = Arrays.copyOf(out, 2 * n);
        out[n++] = (long) user << 32 | item;
      }
      long[] pairs = Arrays.copyOf(out, n);
      Arrays.sort(pairs);
      int k = 0;
      for (int m = 0; m < n; m++) if (k == 0 || pairs[m] != pairs[k - 1]) pairs[k++] = pairs[m];
      return Arrays.copyOf(pairs, k);
    }
  }

  private static int column(LineReader r, String[] header, String name) {
    for (int c = 0; c < header.length; c++) if (header[c].trim().equals(name)) return c;
    throw r.error("header has no column '" + name + "' (got " + String.join(",", header)
        + ", expected userId,movieId,rating[,timestamp])");
  }

  private static int[] distinct(long[] sortedPairs, boolean users) {
    int[] ids = new int[sortedPairs.length];
    for (int m = 0; m < ids.length; m++) ids[m] = users ? (int) (sortedPairs[m] >>> 32) : (int) sortedPairs[m];
    return Arrays.stream(ids).sorted().distinct().toArray();
  }

  /** Titles by local item from movies.csv[.gz], or null when the data has no such table. */
  private static String[] readTitles(DataSource src, int[] itemIds) {
    String file = src.has("movies.csv.gz") ? "movies.csv.gz" : src.has("movies.csv") ? "movies.csv" : null;
    if (file == null) return null;
    Map<Integer, String> byId = new HashMap<>();
    try (LineReader r = new LineReader(src, file)) {
      String header = r.nextRaw();
      if (header == null || !header.startsWith("movieId,title")) {
        throw r.error("header must start with movieId,title (got '" + header + "')");
      }
      for (String line; (line = r.nextRaw()) != null; ) {
        int first = line.indexOf(',');
        int last = line.lastIndexOf(',');
        if (first < 0) throw r.error("expected movieId,title,genres (got '" + line + "')");
        int id = r.parseInt(line.substring(0, first), "movieId", 0, Integer.MAX_VALUE);
        // genres never hold a comma, so the title is everything between the first and last one
        String title = last > first ? line.substring(first + 1, last) : line.substring(first + 1);
        byId.put(id, unquote(title));
      }
    }
    String[] titles = new String[itemIds.length];
    for (int i = 0; i < itemIds.length; i++) titles[i] = byId.get(itemIds[i]);
    return titles;
  }

  /** A CSV field without its surrounding quotes, doubled quotes made single. */
  static String unquote(String field) {
    String s = field.trim();
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }
    return s;
  }
}
