package org.gnn4j.data;

import java.util.SplittableRandom;

/**
 * A train/test division of an {@link InteractionDataset}'s interactions: the test interactions
 * listed in a file (the reference splits of the rec-movielens benchmark: gzip, {@code
 * userId TAB movieId} per line, original ids) and every other interaction for training; or the
 * same rule drawn here: per user, {@code floor(n_u / 5)} of the user's items at random are test.
 *
 * @param train interaction indices into [0, M) used for training, ascending
 * @param test interaction indices held out, ascending
 * @param describe where the split came from, for messages and logs
 */
public record InteractionSplit(int[] train, int[] test, String describe) {
  /**
   * Reads the test interactions from {@code file} of {@code src}; the rest are training.
   *
   * @throws DataFormatException naming the file and line of a malformed line, a user or item
   *     the data does not have, a pair that is not an interaction of the data, or a repeated pair
   */
  public static InteractionSplit read(InteractionDataset data, DataSource src, String file) {
    boolean[] isTest = new boolean[data.numInteractions()];
    int count = 0;
    try (LineReader r = new LineReader(src, file)) {
      int[] f = new int[2];
      String[] what = {"userId", "movieId"};
      while (r.nextInts('\t', what, f)) {
        int u = data.userIndex(f[0]);
        int i = data.itemIndex(f[1]);
        int m = u < 0 || i < 0 ? -1 : data.find(u, i);
        if (m < 0) {
          throw r.error("user " + f[0] + " and item " + f[1] + " are not an interaction of "
              + data.describe() + (u < 0 ? " (no such user)" : i < 0 ? " (no such item)" : "")
              + "; the split must list interactions of the data it splits");
        }
        if (isTest[m]) throw r.error("user " + f[0] + " and item " + f[1] + " are listed twice");
        isTest[m] = true;
        count++;
      }
    }
    if (count == 0) throw new DataFormatException(src.describe(file), 0, "lists no test interaction");
    return of(isTest, count, src.describe(file));
  }

  /**
   * The reference rule with gnn4j's generator: for each user in ascending order, the user's
   * items (ascending) are permuted by {@code rng} and those at the first {@code floor(n_u / 5)}
   * positions are test. Not the reference files' draw (those used numpy's generator).
   */
  public static InteractionSplit perUser(InteractionDataset data, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] ptr = data.userPtr();
    boolean[] isTest = new boolean[data.numInteractions()];
    int count = 0;
    for (int u = 0; u < data.numUsers(); u++) {
      int n = ptr[u + 1] - ptr[u];
      int[] perm = new int[n];
      for (int k = 0; k < n; k++) perm[k] = k;
      for (int k = n - 1; k > 0; k--) {
        int j = rng.nextInt(k + 1);
        int t = perm[k];
        perm[k] = perm[j];
        perm[j] = t;
      }
      for (int k = 0; k < n / 5; k++) isTest[ptr[u] + perm[k]] = true;
      count += n / 5;
    }
    return of(isTest, count, "a per-user 20% test split drawn with seed " + seed);
  }

  private static InteractionSplit of(boolean[] isTest, int testCount, String describe) {
    int[] train = new int[isTest.length - testCount];
    int[] test = new int[testCount];
    int a = 0;
    int b = 0;
    for (int m = 0; m < isTest.length; m++) {
      if (isTest[m]) test[b++] = m;
      else train[a++] = m;
    }
    return new InteractionSplit(train, test, describe);
  }
}
