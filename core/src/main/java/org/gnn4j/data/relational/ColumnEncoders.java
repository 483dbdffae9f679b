package org.gnn4j.data.relational;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one column of a {@link RawTable} into a block of feature columns, by {@link ColumnKind}:
 * numbers standardised to mean 0 and deviation 1 (a missing value becomes the mean, with a 0/1
 * "missing" column when any is missing); categories one-hot and sets of categories multi-hot over
 * the {@code maxValues} most frequent values (the rest share an "other" column); text as a bag of
 * words hashed into {@code dims} buckets (FNV-1a of each lower-cased word, L2-normalised per row,
 * so a vocabulary is never stored); timestamps as standardised seconds plus sine and cosine of
 * the hour of the day and of the day of the week (UTC). The statistics are taken over all rows of
 * the table. Values that cannot be read name their row and column.
 */
public final class ColumnEncoders {
  private ColumnEncoders() {}

  /**
   * One encoded column.
   *
   * @param data [rows, names.size()] row-major
   * @param names a name per feature column ({@code rating}, {@code genres=Drama}, {@code title#17})
   */
  public record Block(int rows, List<String> names, float[] data) {
    public int cols() {
      return names.size();
    }
  }

  /** The features of {@code column} as its spec says. */
  public static Block encode(RawTable t, ColumnSpec column) {
    return switch (column.kind()) {
      case NUMERIC -> numeric(t, column.name());
      case CATEGORICAL -> categorical(t, column.name(), column.maxValues());
      case MULTI -> multi(t, column.name(), column.separator(), column.maxValues());
      case TEXT -> text(t, column.name(), column.dims());
      case TIMESTAMP -> timestamp(t, column.name());
    };
  }

  /** The numbers of a column, NaN where missing; text that is not a number names its row. */
  public static double[] numbers(RawTable t, String column) {
    String[] v = t.column(column);
    double[] x = new double[v.length];
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) {
        x[r] = Double.NaN;
        continue;
      }
      try {
        x[r] = Double.parseDouble(v[r].strip());
      } catch (NumberFormatException e) {
        throw t.error(r, column, "'" + v[r] + "' is not a number");
      }
      if (!Double.isFinite(x[r])) throw t.error(r, column, "'" + v[r] + "' is not a finite number");
    }
    return x;
  }

  public static Block numeric(RawTable t, String column) {
    return standardised(numbers(t, column), column);
  }

  private static Block standardised(double[] x, String name) {
    double sum = 0;
    int n = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    double mean = n == 0 ? 0 : sum / n;
    double ss = 0;
    for (double v : x) if (!Double.isNaN(v)) ss += (v - mean) * (v - mean);
    double std = n < 2 || ss == 0 ? 1 : Math.sqrt(ss / n);
    boolean missing = n < x.length;
    int cols = missing ? 2 : 1;
    float[] out = new float[x.length * cols];
    for (int r = 0; r < x.length; r++) {
      boolean m = Double.isNaN(x[r]);
      out[r * cols] = m ? 0f : (float) ((x[r] - mean) / std);
      if (missing) out[r * cols + 1] = m ? 1f : 0f;
    }
    return new Block(x.length, missing ? List.of(name, name + ":missing") : List.of(name), out);
  }

  public static Block categorical(RawTable t, String column, int maxValues) {
    String[] v = t.column(column);
    String[][] sets = new String[v.length][];
    for (int r = 0; r < v.length; r++) sets[r] = v[r] == null ? new String[0] : new String[] {v[r]};
    return hot(sets, column, maxValues);
  }

  public static Block multi(RawTable t, String column, String separator, int maxValues) {
    return hot(values(t, column, separator), column, maxValues);
  }

  /** The values of a multi-valued column per row (trimmed, empty ones dropped). */
  static String[][] values(RawTable t, String column, String separator) {
    String[] v = t.column(column);
    String[][] out = new String[v.length][];
    String sep = java.util.regex.Pattern.quote(separator);
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) {
        out[r] = new String[0];
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (String p : v[r].split(sep)) if (!p.strip().isEmpty()) parts.add(p.strip());
      out[r] = parts.toArray(String[]::new);
    }
    return out;
  }

  /** One column per kept value (most frequent first, ties by value), plus "other" when any was cut. */
  private static Block hot(String[][] sets, String name, int maxValues) {
    Map<String, Integer> count = new TreeMap<>();
    for (String[] s : sets) for (String v : s) count.merge(v, 1, Integer::sum);
    List<String> kept = new ArrayList<>(count.keySet());
    kept.sort(Comparator.comparing((String k) -> -count.get(k)).thenComparing(k -> k));
    boolean other = kept.size() > maxValues;
    if (other) kept = new ArrayList<>(kept.subList(0, maxValues));
    Map<String, Integer> slot = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (String k : kept) {
      slot.put(k, names.size());
      names.add(name + "=" + k);
    }
    if (other) names.add(name + ":other");
    int cols = names.size();
    float[] out = new float[sets.length * cols];
    for (int r = 0; r < sets.length; r++) {
      for (String v : sets[r]) out[r * cols + slot.getOrDefault(v, cols - 1)] = 1f;
    }
    return new Block(sets.length, names, out);
  }

  public static Block text(RawTable t, String column, int dims) {
    String[] v = t.column(column);
    float[] out = new float[v.length * dims];
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) continue;
      for (String w : v[r].toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (!w.isEmpty()) out[r * dims + Integer.remainderUnsigned(fnv1a(w), dims)] += 1f;
      }
      double ss = 0;
      for (int j = 0; j < dims; j++) ss += out[r * dims + j] * out[r * dims + j];
      if (ss > 0) {
        float inv = (float) (1 / Math.sqrt(ss));
        for (int j = 0; j < dims; j++) out[r * dims + j] *= inv;
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < dims; j++) names.add(column + "#" + j);
    return new Block(v.length, names, out);
  }

  /** 32-bit FNV-1a over the UTF-16 code units: fixed across runs and JVMs, unlike a seeded hash. */
  static int fnv1a(String s) {
    int h = 0x811C9DC5;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x01000193;
    }
    return h;
  }

  public static Block timestamp(RawTable t, String column) {
    long[] s = seconds(t, column);
    double[] x = new double[s.length];
    for (int r = 0; r < s.length; r++) x[r] = s[r] == Long.MIN_VALUE ? Double.NaN : s[r];
    Block z = standardised(x, column);
    int zc = z.cols();
    int cols = zc + 4;
    float[] out = new float[s.length * cols];
    for (int r = 0; r < s.length; r++) {
      System.arraycopy(z.data(), r * zc, out, r * cols, zc);
      if (s[r] == Long.MIN_VALUE) continue;
      double hour = Math.floorMod(s[r], 86_400L) / 86_400.0;
      DayOfWeek d = Instant.ofEpochSecond(s[r]).atOffset(ZoneOffset.UTC).getDayOfWeek();
      double day = (d.getValue() - 1) / 7.0;
      out[r * cols + zc] = (float) Math.sin(2 * Math.PI * hour);
      out[r * cols + zc + 1] = (float) Math.cos(2 * Math.PI * hour);
      out[r * cols + zc + 2] = (float) Math.sin(2 * Math.PI * day);
      out[r * cols + zc + 3] = (float) Math.cos(2 * Math.PI * day);
    }
    List<String> names = new ArrayList<>(z.names());
    names.addAll(List.of(column + ":hour_sin", column + ":hour_cos", column + ":weekday_sin", column + ":weekday_cos"));
    return new Block(s.length, names, out);
  }

  /**
   * The times of a column in seconds since 1970-01-01 UTC, {@code Long.MIN_VALUE} where missing:
   * integer seconds, or ISO-8601 dates ({@code 2018-09-24}), date-times ({@code
   * 2018-09-24T10:00:00}, UTC unless an offset is given) or instants.
   */
  public static long[] seconds(RawTable t, String column) {
    String[] v = t.column(column);
    long[] out = new long[v.length];
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) {
        out[r] = Long.MIN_VALUE;
        continue;
      }
      out[r] = parseSeconds(v[r].strip());
      if (out[r] == Long.MIN_VALUE) {
        throw t.error(r, column, "'" + v[r] + "' is not a time (expected seconds since 1970, or an ISO-8601"
            + " date or date-time such as 2018-09-24T10:00:00Z)");
      }
    }
    return out;
  }

  private static long parseSeconds(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      // not an integer: one of the ISO forms below
    }
    try {
      double d = Double.parseDouble(s);
      if (Double.isFinite(d) && Math.abs(d) < 1e17) return (long) Math.floor(d);
    } catch (NumberFormatException e) {
      // not a number either
    }
    String iso = s.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toEpochSecond();
    } catch (DateTimeParseException e) {
      // no offset
    }
    try {
      return LocalDateTime.parse(iso).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // no time of day
    }
    try {
      return LocalDate.parse(iso).toEpochDay() * 86_400L;
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }
}
