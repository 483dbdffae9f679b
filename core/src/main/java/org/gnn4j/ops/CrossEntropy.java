package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Softmax cross-entropy of class logits against integer labels, averaged over a chosen set of
 * rows (the training nodes of a transductive split, or all rows), as torch's
 * {@code F.cross_entropy(logits[rows], y[rows])}. Log-softmax and the negative log-likelihood are
 * fused: the backward is (softmax - onehot) / count on the chosen rows and zero elsewhere. With
 * label smoothing ε (torch's {@code label_smoothing}) the target is (1 − ε)·onehot + ε/K.
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * @param logits [N, K]
   * @param labels [N] class ids in [0, K) (read only at {@code rows})
   * @param rows the rows to average over; null means all N
   * @return a scalar tensor [] holding the mean loss
   * @throws IllegalArgumentException on a wrong label count, a label or row out of range
   */
  public static Tensor apply(Tensor logits, int[] labels, int[] rows) {
    return apply(logits, labels, rows, 0f);
  }

  /**
   * As {@link #apply(Tensor, int[], int[])} with label smoothing {@code smoothing} in [0, 1].
   *
   * @throws IllegalArgumentException also when {@code smoothing} is outside [0, 1]
   */
  public static Tensor apply(Tensor logits, int[] labels, int[] rows, float smoothing) {
    if (!(smoothing >= 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1] (got "
          + smoothing + ")");
    }
    if (logits.rank() != 2) {
      throw new IllegalArgumentException("crossEntropy: logits must be [N, K] (got "
          + logits.shape() + ")");
    }
    int n = logits.dim(0);
    int k = logits.dim(1);
    if (labels.length != n) {
      throw new IllegalArgumentException("crossEntropy: labels has " + labels.length
          + " entries, expected " + n + " (one per row of logits " + logits.shape() + ")");
    }
    int[] sel = rows == null ? range(n) : rows;
    for (int i = 0; i < sel.length; i++) {
      int r = sel[i];
      if (r < 0 || r >= n) {
        throw new IllegalArgumentException("crossEntropy: rows[" + i + "] = " + r
            + " is out of range [0, " + n + ")");
      }
      if (labels[r] < 0 || labels[r] >= k) {
        throw new IllegalArgumentException("crossEntropy: labels[" + r + "] = " + labels[r]
            + " is out of range [0, " + k + ") for " + k + " classes");
      }
    }
    float[] z = logits.data();
    double total = 0;
    for (int r : sel) {
      int off = r * k;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) max = Math.max(max, z[off + c]);
      double sum = 0;
      double zSum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(z[off + c] - max);
        zSum += z[off + c];
      }
      double lse = max + Math.log(sum);
      total += lse - z[off + labels[r]];                    // -log softmax[label]
      // the smoothed part: -mean_c log softmax[c]
      if (smoothing != 0) total += smoothing * ((lse - zSum / k) - (lse - z[off + labels[r]]));
    }
    float mean = sel.length == 0 ? 0f : (float) (total / sel.length);
    return new Tensor(logits.ctx(), Shape.of(), new float[] {mean})
        .recordedBy(new Backward(logits, labels, sel, smoothing));
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  private static final class Backward extends Node {
    private final int[] labels;
    private final int[] rows;
    private final float smoothing;

    Backward(Tensor logits, int[] labels, int[] rows, float smoothing) {
      super(logits);
      this.labels = labels;
      this.rows = rows;
      this.smoothing = smoothing;
    }

    @Override
    public void backward(float[] gradOut) {
      // d mean(-log softmax_y) / dz = (softmax(z) - target) / count, on the chosen rows,
      // target = (1 - smoothing) onehot(y) + smoothing / K
      Tensor logits = inputs()[0];
      int k = logits.dim(1);
      float[] z = logits.data();
      float[] dz = ContextAccess.floats(inputs()[0].ctx(), z.length);                    // dz: [N, K]
      float scale = rows.length == 0 ? 0f : gradOut[0] / rows.length;
      for (int r : rows) {
        int off = r * k;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, z[off + c]);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(z[off + c] - max);
        for (int c = 0; c < k; c++) {
          // += so that a row listed twice counts twice, as indexing logits[rows] would
          dz[off + c] += scale * (float) (Math.exp(z[off + c] - max) / sum - smoothing / k);
        }
        dz[off + labels[r]] -= scale * (1 - smoothing);
      }
      accumulate(0, dz);
    }
  }
}
