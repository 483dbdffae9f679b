package org.gnn4j.train;

import java.util.Arrays;
import org.gnn4j.tensor.Tensor;

/**
 * Evaluation metrics on model outputs, computed in double precision outside autograd: accuracy
 * of arg-max logits, MAE and RMSE for regression, and ROC-AUC for binary and multi-label
 * classification as sklearn's {@code roc_auc_score} (tied scores share their average rank) and
 * OGB's multi-task evaluator. {@code rows} (nullable) selects rows along the first axis, like
 * the losses do; a row listed twice counts twice.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * Share of the selected rows whose arg-max logit (the first on ties) equals the label.
   *
   * @param logits [N, K]
   * @param labels [N] class ids
   * @return the accuracy in [0, 1]; 0 for an empty selection
   */
  public static double accuracy(Tensor logits, int[] labels, int[] rows) {
    if (logits.rank() != 2) {
      throw new IllegalArgumentException("accuracy: logits must be [N, K] (got " + logits.shape() + ")");
    }
    int n = logits.dim(0);
    int k = logits.dim(1);
    if (labels.length != n) {
      throw new IllegalArgumentException("accuracy: labels has " + labels.length
          + " entries, expected " + n + " (one per row of logits " + logits.shape() + ")");
    }
    int[] sel = rows(n, rows, "accuracy");
    float[] z = logits.data();
    int correct = 0;
    for (int r : sel) {
      int best = 0;
      for (int c = 1; c < k; c++) if (z[r * k + c] > z[r * k + best]) best = c;
      if (best == labels[r]) correct++;
    }
    return sel.length == 0 ? 0 : (double) correct / sel.length;
  }

  /** Mean absolute error over the selected rows of {@code pred} ([N, ...], targets alike). */
  public static double mae(Tensor pred, float[] targets, int[] rows) {
    return errorMean(pred, targets, rows, "mae", false);
  }

  /** Root mean squared error over the selected rows. */
  public static double rmse(Tensor pred, float[] targets, int[] rows) {
    return Math.sqrt(errorMean(pred, targets, rows, "rmse", true));
  }

  private static double errorMean(Tensor pred, float[] y, int[] rows, String op, boolean squared) {
    if (pred.rank() < 1 || y.length != pred.numel()) {
      throw new IllegalArgumentException(op + ": targets has " + y.length + " values, expected "
          + pred.numel() + " (one per element of prediction " + pred.shape() + ")");
    }
    int n = pred.dim(0);
    int width = n == 0 ? 0 : pred.numel() / n;
    int[] sel = rows(n, rows, op);
    float[] p = pred.data();
    double sum = 0;
    for (int r : sel) {
      for (int c = r * width; c < (r + 1) * width; c++) {
        double d = (double) p[c] - y[c];
        sum += squared ? d * d : Math.abs(d);
      }
    }
    long count = (long) sel.length * width;
    return count == 0 ? 0 : sum / count;
  }

  /**
   * Area under the ROC curve of {@code scores} for binary {@code labels} (0 or 1): the
   * probability that a random positive scores above a random negative, ties counting one half
   * (Mann-Whitney U with average ranks, as sklearn).
   *
   * @throws IllegalArgumentException on different lengths, a label other than 0/1, a NaN score,
   *     or when only one class is present (the AUC is undefined then, as in sklearn)
   */
  public static double rocAuc(float[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException("rocAuc: scores has " + scores.length
          + " values but labels has " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("rocAuc: labels[" + i + "] = " + labels[i]
            + ", expected 0 or 1");
      }
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("rocAuc: scores[" + i + "] is NaN");
      }
    }
    return auc(scores, labels, "rocAuc");
  }

  /**
   * Mean ROC-AUC over the T tasks of a multi-label prediction, as OGB's evaluator for
   * ogbg-molhiv/molpcba: a NaN target means "no label" and is skipped, and tasks whose labelled
   * rows hold only one class are left out of the mean (sklearn's macro average would fail).
   *
   * @param scores [N, T] scores (logits or probabilities)
   * @param targets [N * T] 0, 1 or NaN
   * @throws IllegalArgumentException when no task has both classes, or on bad targets
   */
  public static double macroRocAuc(Tensor scores, float[] targets) {
    if (scores.rank() != 2 || targets.length != scores.numel()) {
      throw new IllegalArgumentException("macroRocAuc: scores must be [N, T] and targets hold N*T"
          + " values (got scores " + scores.shape() + ", " + targets.length + " targets)");
    }
    int n = scores.dim(0);
    int t = scores.dim(1);
    float[] s = scores.data();
    double sum = 0;
    int used = 0;
    for (int task = 0; task < t; task++) {
      int labelled = 0;
      int positives = 0;
      for (int r = 0; r < n; r++) {
        float y = targets[r * t + task];
        if (Float.isNaN(y)) continue;
        if (y != 0 && y != 1) {
          throw new IllegalArgumentException("macroRocAuc: targets[" + (r * t + task) + "] = " + y
              + ", expected 0, 1 or NaN (row " + r + ", task " + task + ")");
        }
        labelled++;
        if (y == 1) positives++;
      }
      if (positives == 0 || positives == labelled) continue;
      float[] ts = new float[labelled];
      int[] tl = new int[labelled];
      int k = 0;
      for (int r = 0; r < n; r++) {
        float y = targets[r * t + task];
        if (Float.isNaN(y)) continue;
        ts[k] = s[r * t + task];
        tl[k++] = (int) y;
      }
      sum += rocAuc(ts, tl);
      used++;
    }
    if (used == 0) {
      throw new IllegalArgumentException("macroRocAuc: none of the " + t + " tasks has both a"
          + " positive and a negative label, so ROC-AUC is undefined");
    }
    return sum / used;
  }

  /**
   * One-vs-rest macro ROC-AUC of multi-class probabilities, as sklearn's
   * {@code roc_auc_score(y, p, multi_class="ovr", average="macro")}: the mean over classes c of
   * the binary AUC of column c for "label == c". Pass probabilities (softmax), not logits: a
   * column of logits does not rank rows the way the probabilities do.
   *
   * @param probs [N, K]
   * @param labels [N] class ids
   * @throws IllegalArgumentException when some class has no row (or every row) among the
   *     selected rows, as sklearn
   */
  public static double macroRocAucOneVsRest(Tensor probs, int[] labels, int[] rows) {
    if (probs.rank() != 2 || labels.length != probs.dim(0)) {
      throw new IllegalArgumentException("macroRocAucOneVsRest: probs must be [N, K] with one label"
          + " per row (got probs " + probs.shape() + ", " + labels.length + " labels)");
    }
    int k = probs.dim(1);
    int[] sel = rows(probs.dim(0), rows, "macroRocAucOneVsRest");
    float[] p = probs.data();
    float[] s = new float[sel.length];
    int[] y = new int[sel.length];
    double sum = 0;
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < sel.length; i++) {
        int label = labels[sel[i]];
        if (label < 0 || label >= k) {
          throw new IllegalArgumentException("macroRocAucOneVsRest: labels[" + sel[i] + "] = "
              + label + " is out of range [0, " + k + ")");
        }
        s[i] = p[sel[i] * k + c];
        y[i] = label == c ? 1 : 0;
      }
      sum += auc(s, y, "macroRocAucOneVsRest (class " + c + ")");
    }
    return sum / k;
  }

  private static double auc(float[] scores, int[] labels, String op) {
    int n = scores.length;
    long positives = 0;
    for (int y : labels) positives += y;
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(op + ": only one class present (" + positives
          + " positives, " + negatives + " negatives); ROC-AUC is undefined");
    }
    // sort indices by score through a (score bits, index) key: no boxing for large n
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) keys[i] = ((long) sortableBits(scores[i]) << 32) | i;
    Arrays.sort(keys);
    double positiveRankSum = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      int key = (int) (keys[start] >> 32);
      while (end + 1 < n && (int) (keys[end + 1] >> 32) == key) end++;
      double avgRank = (start + end) / 2.0 + 1;            // ranks are 1-based
      for (int j = start; j <= end; j++) {
        if (labels[(int) keys[j]] == 1) positiveRankSum += avgRank;
      }
      start = end + 1;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /** An int whose signed order is the float order (-0 and +0 tie, as they compare equal). */
  private static int sortableBits(float f) {
    if (f == 0f) f = 0f;
    int bits = Float.floatToIntBits(f);
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
  }

  private static int[] rows(int n, int[] rows, String op) {
    if (rows == null) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= n) {
        throw new IllegalArgumentException(op + ": rows[" + i + "] = " + rows[i]
            + " is out of range [0, " + n + ")");
      }
    }
    return rows;
  }
}
