package org.gnn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Split helpers for datasets without an official split: seeded stratified k-fold
 * cross-validation, the protocol TU graph classification (MUTAG, PROTEINS, ENZYMES) is reported
 * with, optionally with a stratified validation part carved out of each training fold (Errica et
 * al., ICLR 2020, select on validation and report the test fold).
 */
public final class Splits {
  private Splits() {}

  /**
   * One fold: disjoint train, val (may be empty) and test ids, each ascending.
   *
   * @param train ids to train on
   * @param val ids for model selection (empty if none)
   * @param test the held-out fold
   */
  public record Fold(int[] train, int[] val, int[] test) {}

  /**
   * Stratified k-fold split of ids 0..y.length-1: every class is shuffled with {@code random}
   * and dealt round-robin over the folds (classes in order, continuing where the previous class
   * stopped), so fold sizes differ by at most one and every fold has each class in proportion.
   *
   * @param y [n] class of each item, in [0, numClasses)
   * @param valFraction part of each training fold moved to val, stratified (0 = no val)
   * @throws IllegalArgumentException if k &lt; 2, k &gt; n, or valFraction not in [0, 1)
   */
  public static List<Fold> stratifiedKFold(int[] y, int k, double valFraction,
                                           SplittableRandom random) {
    int n = y.length;
    if (k < 2 || k > n) {
      throw new IllegalArgumentException("Splits.stratifiedKFold: k must be in [2, " + n
          + "] for " + n + " items (got " + k + ")");
    }
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new IllegalArgumentException("Splits.stratifiedKFold: valFraction must be in [0, 1)"
          + " (got " + valFraction + ")");
    }
    int[] fold = new int[n];
    int next = 0;
    for (int[] members : byClass(y)) {
      shuffle(members, random);
      for (int id : members) fold[id] = next++ % k;
    }
    List<Fold> folds = new ArrayList<>(k);
    for (int f = 0; f < k; f++) {
      final int testFold = f;
      boolean[] isVal = new boolean[n];
      if (valFraction > 0) {
        // stratified validation part of this fold's training ids
        for (int[] members : byClass(y)) {
          int[] rest = java.util.Arrays.stream(members).filter(i -> fold[i] != testFold).toArray();
          shuffle(rest, random);
          int take = (int) Math.round(rest.length * valFraction);
          for (int i = 0; i < take; i++) isVal[rest[i]] = true;
        }
      }
      IntList tr = new IntList();
      IntList va = new IntList();
      IntList te = new IntList();
      for (int i = 0; i < n; i++) {
        if (fold[i] == f) te.add(i);
        else if (isVal[i]) va.add(i);
        else tr.add(i);
      }
      folds.add(new Fold(tr.toArray(), va.toArray(), te.toArray()));
    }
    return folds;
  }

  /** Ids of each class, ascending, classes 0..max. */
  private static int[][] byClass(int[] y) {
    int classes = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0) {
        throw new IllegalArgumentException("Splits: y[" + i + "] = " + y[i] + " is negative");
      }
      classes = Math.max(classes, y[i] + 1);
    }
    int[] count = new int[classes];
    for (int c : y) count[c]++;
    int[][] out = new int[classes][];
    for (int c = 0; c < classes; c++) out[c] = new int[count[c]];
    int[] fill = new int[classes];
    for (int i = 0; i < y.length; i++) out[y[i]][fill[y[i]]++] = i;
    return out;
  }

  /** A Fisher-Yates shuffled copy of {@code ids} (the one shuffle loaders, splits and tasks share). */
  /** A uniform permutation of 0..n-1 (Fisher-Yates, the same draws as {@link #shuffled}). */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    shuffle(p, random);
    return p;
  }

  public static int[] shuffled(int[] ids, SplittableRandom random) {
    int[] a = ids.clone();
    shuffle(a, random);
    return a;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[16];
    private int size;

    void add(int v) {
      if (size == a.length) a = java.util.Arrays.copyOf(a, 2 * size);
      a[size++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, size);
    }
  }
}
