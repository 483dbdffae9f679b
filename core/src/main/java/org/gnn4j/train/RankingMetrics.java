package org.gnn4j.train;

/**
 * Full-ranking evaluation of a recommender, as LightGCN's and PyG's: every user's score for
 * every item, the items the user trained on taken out, the top K kept, and Recall@K, NDCG@K
 * (binary relevance, {@code DCG = sum_r h_r / log2(r + 1)}, normalised by the DCG of
 * {@code min(K, |T_u|)} hits) and Precision@K against the user's held-out items {@code T_u},
 * averaged over the users that have any.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** Means over {@code users} users with at least one held-out item. */
  public record Result(double recall, double ndcg, double precision, int users) {}

  /**
   * Sets {@code scores[u, cols[m]]} to -infinity for every listed pair, so no top-K picks it.
   *
   * @param scores [rows, numCols] row-major, modified
   * @param ptr [rows + 1] row {@code u}'s masked columns are {@code cols[ptr[u] .. ptr[u+1]-1]}
   * @throws IllegalArgumentException on lengths or columns out of range
   */
  public static void maskInPlace(float[] scores, int numCols, int[] ptr, int[] cols) {
    int rows = ptr.length - 1;
    checkCsr("maskInPlace", scores, rows, numCols, ptr, cols);
    for (int u = 0; u < rows; u++) {
      for (int m = ptr[u]; m < ptr[u + 1]; m++) scores[u * numCols + cols[m]] = Float.NEGATIVE_INFINITY;
    }
  }

  /**
   * The {@code k} best columns of every row, best first; equal scores go to the lower column.
   * Entries at -infinity (masked) or NaN are never picked; a row with fewer than {@code k}
   * others is padded with -1.
   *
   * @param scores [rows, cols] row-major
   * @return [rows, k] column indices
   */
  public static int[] topK(float[] scores, int rows, int cols, int k) {
    if (rows < 0 || cols < 0 || (long) rows * cols != scores.length || k < 1) {
      throw new IllegalArgumentException("topK: scores has " + scores.length + " values for "
          + rows + " x " + cols + " and k = " + k + " (expected rows * cols values and k >= 1)");
    }
    int[] out = new int[rows * k];
    int[] heap = new int[k];                              // heap: [k] columns, worst at the root
    for (int u = 0; u < rows; u++) {
      int base = u * cols;
      int size = 0;
      for (int c = 0; c < cols; c++) {
        float s = scores[base + c];
        if (!(s > Float.NEGATIVE_INFINITY)) continue;     // masked, or NaN
        if (size < k) {
          heap[size] = c;
          siftUp(heap, size++, scores, base);
        } else if (better(s, c, scores[base + heap[0]], heap[0])) {
          heap[0] = c;
          siftDown(heap, size, scores, base);
        }
      }
      // pop worst-first into the back of the row: best ends up at rank 1
      for (int r = k - 1; r >= 0; r--) {
        if (r >= size) {
          out[u * k + r] = -1;
          continue;
        }
        out[u * k + r] = heap[0];
        heap[0] = heap[--size];
        siftDown(heap, size, scores, base);
      }
    }
    return out;
  }

  /** Whether (score a, column ca) ranks above (b, cb): higher score, then lower column. */
  private static boolean better(float a, int ca, float b, int cb) {
    return a > b || (a == b && ca < cb);
  }

  private static void siftUp(int[] heap, int i, float[] s, int base) {
    while (i > 0) {
      int parent = (i - 1) >> 1;
      if (!better(s[base + heap[parent]], heap[parent], s[base + heap[i]], heap[i])) return;
      swap(heap, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] s, int base) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int worst = i;
      if (l < size && better(s[base + heap[worst]], heap[worst], s[base + heap[l]], heap[l])) worst = l;
      if (l + 1 < size && better(s[base + heap[worst]], heap[worst], s[base + heap[l + 1]], heap[l + 1])) worst = l + 1;
      if (worst == i) return;
      swap(heap, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /**
   * Recall@K, NDCG@K and Precision@K of ranked lists against held-out items.
   *
   * @param top [rows, k] ranked columns as {@link #topK} gives them (-1 = no item)
   * @param testPtr [rows + 1] row {@code u}'s held-out columns are {@code testCols[testPtr[u] ..
   *     testPtr[u+1]-1]} (distinct)
   * @param numCols number of columns (items)
   */
  public static Result evaluate(int[] top, int k, int[] testPtr, int[] testCols, int numCols) {
    int rows = testPtr.length - 1;
    if (k < 1 || top.length != rows * k) {
      throw new IllegalArgumentException("evaluate: top has " + top.length + " entries, expected "
          + rows + " rows x k = " + k);
    }
    checkCsr("evaluate", null, rows, numCols, testPtr, testCols);
    double[] idcg = new double[k + 1];                    // idcg[n]: DCG of n hits at the top
    for (int r = 1; r <= k; r++) idcg[r] = idcg[r - 1] + 1 / log2(r + 1);
    int[] stamp = new int[numCols];                       // stamp[c] == u + 1: c is held out for u
    double recall = 0;
    double ndcg = 0;
    double precision = 0;
    int users = 0;
    for (int u = 0; u < rows; u++) {
      int t = testPtr[u + 1] - testPtr[u];
      if (t == 0) continue;
      for (int m = testPtr[u]; m < testPtr[u + 1]; m++) stamp[testCols[m]] = u + 1;
      int hits = 0;
      double dcg = 0;
      for (int r = 0; r < k; r++) {
        int c = top[u * k + r];
        if (c >= 0 && stamp[c] == u + 1) {
          hits++;
          dcg += 1 / log2(r + 2);
        }
      }
      recall += (double) hits / t;
      ndcg += dcg / idcg[Math.min(k, t)];
      precision += (double) hits / k;
      users++;
    }
    return users == 0 ? new Result(Double.NaN, Double.NaN, Double.NaN, 0)
        : new Result(recall / users, ndcg / users, precision / users, users);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static void checkCsr(String op, float[] scores, int rows, int numCols, int[] ptr, int[] cols) {
    if (rows < 0 || ptr[0] != 0 || ptr[rows] != cols.length
        || (scores != null && (long) rows * numCols != scores.length)) {
      throw new IllegalArgumentException(op + ": ptr must run from 0 to " + cols.length
          + " over rows = " + rows + (scores == null ? "" : " and scores hold rows x " + numCols)
          + " (got ptr[0] = " + ptr[0] + ", ptr[rows] = " + ptr[rows] + ")");
    }
    for (int u = 0; u < rows; u++) {
      if (ptr[u + 1] < ptr[u]) {
        throw new IllegalArgumentException(op + ": ptr must not decrease (got ptr[" + u + "] = "
            + ptr[u] + " > ptr[" + (u + 1) + "] = " + ptr[u + 1] + ")");
      }
    }
    for (int m = 0; m < cols.length; m++) {
      if (cols[m] < 0 || cols[m] >= numCols) {
        throw new IllegalArgumentException(op + ": cols[" + m + "] = " + cols[m]
            + " is out of range [0, " + numCols + ")");
      }
    }
  }
}
