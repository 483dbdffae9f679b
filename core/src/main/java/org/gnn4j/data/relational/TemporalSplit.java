package org.gnn4j.data.relational;

import java.util.Arrays;

/**
 * A split of a timed table's rows by time: the last {@code testFraction} of the rows by time are
 * test, the {@code valFraction} before them validation, the rest training. The cut points are
 * times, so rows with one timestamp never straddle two parts: training is {@code time <
 * valStart}, validation {@code valStart <= time < testStart}, test {@code time >= testStart}
 * (each part's size is its fraction up to the rows sharing a boundary's timestamp).
 *
 * @param train row ids in ascending order (val and test likewise)
 */
public record TemporalSplit(int[] train, int[] val, int[] test, long valStart, long testStart) {
  /**
   * @param times [N] the time of every row
   * @throws IllegalArgumentException if the fractions are outside [0, 1) or leave no training row
   */
  public static TemporalSplit of(long[] times, double valFraction, double testFraction) {
    if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) {
      throw new IllegalArgumentException("TemporalSplit: val and test fractions must be >= 0 with a sum"
          + " below 1 (got " + valFraction + ", " + testFraction + ")");
    }
    int n = times.length;
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    long testStart = cut(sorted, n - (int) Math.round(n * testFraction));
    long valStart = cut(sorted, n - (int) Math.round(n * (testFraction + valFraction)));
    int[] counts = new int[3];
    for (long t : times) counts[part(t, valStart, testStart)]++;
    if (counts[0] == 0) {
      throw new IllegalArgumentException("TemporalSplit: no row is before the validation cut at time "
          + valStart + " (" + n + " rows); lower the fractions");
    }
    int[][] parts = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
    int[] k = new int[3];
    for (int r = 0; r < n; r++) {
      int p = part(times[r], valStart, testStart);
      parts[p][k[p]++] = r;
    }
    return new TemporalSplit(parts[0], parts[1], parts[2], valStart, testStart);
  }

  /** The time at sorted position {@code i}, or past the end: after every row. */
  private static long cut(long[] sorted, int i) {
    return i >= sorted.length ? Long.MAX_VALUE : sorted[Math.max(i, 0)];
  }

  private static int part(long t, long valStart, long testStart) {
    return t >= testStart ? 2 : t >= valStart ? 1 : 0;
  }
}
