package org.gnn4j.link;

import java.util.Arrays;
import org.gnn4j.train.Metrics;

/**
 * The metrics of link prediction on the scores of held-out edges (positives) and non-edges
 * (negatives), in double precision: ROC-AUC (ties count one half, as sklearn), average precision
 * (sklearn's step-wise sum over distinct thresholds), Hits@K (OGB's {@code ogbl-*} rule: the
 * share of positives scoring strictly above the K-th best negative) and MRR (OGB's: each
 * positive ranked against its negatives, a tie counting half a place). Scores may be logits or
 * probabilities; only their order matters.
 */
public final class LinkMetrics {
  private LinkMetrics() {}

  /**
   * ROC-AUC: the probability that a random positive scores above a random negative, ties 1/2.
   *
   * @throws IllegalArgumentException when either side is empty or a score is NaN
   */
  public static double rocAuc(float[] pos, float[] neg) {
    float[] s = Arrays.copyOf(pos, pos.length + neg.length);
    System.arraycopy(neg, 0, s, pos.length, neg.length);
    int[] y = new int[s.length];
    Arrays.fill(y, 0, pos.length, 1);
    return Metrics.rocAuc(s, y);
  }

  /**
   * Average precision, {@code sum_t (R_t - R_{t-1}) P_t} over the distinct scores t from the
   * highest down, P_t and R_t the precision and recall of "score >= t" (sklearn's
   * {@code average_precision_score}: tied scores enter together).
   *
   * @throws IllegalArgumentException when there is no positive or a score is NaN
   */
  public static double averagePrecision(float[] pos, float[] neg) {
    checkScores("averagePrecision", pos, neg);
    if (pos.length == 0) {
      throw new IllegalArgumentException("averagePrecision: no positive scores; AP is undefined");
    }
    float[] p = sortedDescending(pos);
    float[] q = sortedDescending(neg);
    double ap = 0;
    int i = 0;
    int j = 0;
    while (i < p.length) {
      // the next threshold: the largest score not yet passed, positives and negatives alike
      float t = j < q.length && q[j] > p[i] ? q[j] : p[i];
      int truePos = i;
      while (i < p.length && p[i] == t) i++;
      while (j < q.length && q[j] == t) j++;
      if (i > truePos) ap += (double) (i - truePos) / p.length * i / (i + j);
    }
    return ap;
  }

  /**
   * Hits@K as OGB's link evaluator: with t the K-th largest negative score, the share of
   * positives scoring strictly above t; 1 when there are fewer than K negatives.
   *
   * @throws IllegalArgumentException when K &lt; 1, there is no positive, or a score is NaN
   */
  public static double hitsAtK(float[] pos, float[] neg, int k) {
    checkScores("hitsAtK", pos, neg);
    if (k < 1 || pos.length == 0) {
      throw new IllegalArgumentException("hitsAtK: needs K >= 1 and positives (got K = " + k + ", "
          + pos.length + " positives)");
    }
    if (neg.length < k) return 1.0;
    float t = sortedDescending(neg)[k - 1];
    int hits = 0;
    for (float s : pos) if (s > t) hits++;
    return (double) hits / pos.length;
  }

  /**
   * Mean reciprocal rank with every positive ranked against all of {@code neg}: rank = 1 +
   * (negatives above it) + (negatives tied with it) / 2, as OGB's average of its optimistic and
   * pessimistic ranks.
   */
  public static double mrr(float[] pos, float[] neg) {
    checkScores("mrr", pos, neg);
    if (pos.length == 0) throw new IllegalArgumentException("mrr: no positive scores");
    float[] q = neg.clone();
    Arrays.sort(q);
    double sum = 0;
    for (float s : pos) {
      int above = q.length - upperBound(q, s);             // negatives > s
      int atLeast = q.length - lowerBound(q, s);           // negatives >= s
      sum += 1.0 / (1 + 0.5 * (above + atLeast));
    }
    return sum / pos.length;
  }

  /**
   * Mean reciprocal rank with positive i ranked against its own negatives
   * {@code neg[i * k .. (i + 1) * k - 1]} (OGB's ogbl-citation2 / wikikg2 protocol).
   *
   * @throws IllegalArgumentException unless neg has k entries per positive, k >= 1
   */
  public static double mrr(float[] pos, float[] neg, int k) {
    checkScores("mrr", pos, neg);
    if (k < 1 || pos.length == 0 || neg.length != (long) pos.length * k) {
      throw new IllegalArgumentException("mrr: needs k >= 1 negatives per positive (got " + neg.length
          + " negatives for " + pos.length + " positives, k = " + k + ")");
    }
    double sum = 0;
    for (int i = 0; i < pos.length; i++) {
      int above = 0;
      int ties = 0;
      for (int j = i * k; j < (i + 1) * k; j++) {
        if (neg[j] > pos[i]) above++;
        else if (neg[j] == pos[i]) ties++;
      }
      sum += 1.0 / (1 + above + 0.5 * ties);
    }
    return sum / pos.length;
  }

  private static void checkScores(String op, float[] pos, float[] neg) {
    for (int i = 0; i < pos.length; i++) {
      if (Float.isNaN(pos[i])) throw new IllegalArgumentException(op + ": positive score " + i + " is NaN");
    }
    for (int i = 0; i < neg.length; i++) {
      if (Float.isNaN(neg[i])) throw new IllegalArgumentException(op + ": negative score " + i + " is NaN");
    }
  }

  private static float[] sortedDescending(float[] a) {
    float[] s = a.clone();
    Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      float t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }

  /** First index whose value is >= v in ascending {@code a}. */
  private static int lowerBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose value is > v in ascending {@code a}. */
  private static int upperBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
