package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Element-wise losses averaged over a chosen set of elements, as torch's
 * {@code F.binary_cross_entropy_with_logits}, {@code F.l1_loss} and {@code F.mse_loss} with mean
 * reduction: for node or graph regression and multi-label classification. The prediction is
 * {@code [N, ...]}; the target is a plain array laid out like it (targets are data, not learned).
 * Two optional selections combine: {@code rows} picks rows along the first axis (the training
 * nodes; a row listed twice counts twice, as {@code pred[rows]} would), {@code mask} drops single
 * elements (missing labels, as OGB's {@code y == y}); masked-out targets are never read, so they
 * may be NaN. An empty selection gives loss 0 and zero gradient, like {@link CrossEntropy}.
 */
public final class Losses {
  private Losses() {}

  private enum Kind { BCE_WITH_LOGITS, L1, MSE }

  /** Mean of {@code max(z,0) − z·y + log(1 + e^−|z|)} (stable for any z); y in [0, 1]. */
  public static Tensor bceWithLogits(Tensor logits, float[] targets, boolean[] mask, int[] rows) {
    return apply(Kind.BCE_WITH_LOGITS, "bceWithLogits", logits, targets, mask, rows);
  }

  public static Tensor bceWithLogits(Tensor logits, float[] targets) {
    return bceWithLogits(logits, targets, null, null);
  }

  /** Mean absolute error {@code mean |p − y|}; the gradient at p = y is 0, as torch's sign. */
  public static Tensor l1(Tensor pred, float[] targets, boolean[] mask, int[] rows) {
    return apply(Kind.L1, "l1", pred, targets, mask, rows);
  }

  public static Tensor l1(Tensor pred, float[] targets) {
    return l1(pred, targets, null, null);
  }

  /** Mean squared error {@code mean (p − y)²}. */
  public static Tensor mse(Tensor pred, float[] targets, boolean[] mask, int[] rows) {
    return apply(Kind.MSE, "mse", pred, targets, mask, rows);
  }

  public static Tensor mse(Tensor pred, float[] targets) {
    return mse(pred, targets, null, null);
  }

  private static Tensor apply(Kind kind, String op, Tensor pred, float[] y, boolean[] mask,
                              int[] rows) {
    int[] elems = select(op, pred, y, mask, rows);
    float[] p = pred.data();
    double total = 0;
    for (int e : elems) {
      double z = p[e];
      double t = y[e];
      total += switch (kind) {
        case BCE_WITH_LOGITS -> Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        case L1 -> Math.abs(z - t);
        case MSE -> (z - t) * (z - t);
      };
    }
    float mean = elems.length == 0 ? 0f : (float) (total / elems.length);
    return new Tensor(pred.ctx(), Shape.of(), new float[] {mean})
        .recordedBy(new Backward(kind, pred, y, elems));
  }

  /**
   * Validates the arguments and lists the flat indices the mean runs over (rows first, then the
   * mask), so forward and backward visit exactly the same elements.
   */
  private static int[] select(String op, Tensor pred, float[] y, boolean[] mask, int[] rows) {
    if (pred.rank() < 1) {
      throw new IllegalArgumentException(op + ": prediction must have at least one axis (got shape "
          + pred.shape() + ")");
    }
    int numel = pred.numel();
    if (y.length != numel) {
      throw new IllegalArgumentException(op + ": targets has " + y.length + " values, expected "
          + numel + " (one per element of prediction " + pred.shape() + ")");
    }
    if (mask != null && mask.length != numel) {
      throw new IllegalArgumentException(op + ": mask has " + mask.length + " values, expected "
          + numel + " (one per element of prediction " + pred.shape() + ")");
    }
    int n = pred.dim(0);
    int width = n == 0 ? 0 : numel / n;
    int count = 0;
    int[] sel = rows;
    if (sel == null) {
      sel = new int[n];
      for (int i = 0; i < n; i++) sel[i] = i;
    }
    for (int i = 0; i < sel.length; i++) {
      if (sel[i] < 0 || sel[i] >= n) {
        throw new IllegalArgumentException(op + ": rows[" + i + "] = " + sel[i]
            + " is out of range [0, " + n + ")");
      }
      for (int c = 0; c < width; c++) if (mask == null || mask[sel[i] * width + c]) count++;
    }
    int[] elems = new int[count];
    int k = 0;
    for (int r : sel) {
      for (int c = 0; c < width; c++) {
        int e = r * width + c;
        if (mask != null && !mask[e]) continue;
        boolean bad = !Float.isFinite(y[e]) || (op.equals("bceWithLogits") && (y[e] < 0 || y[e] > 1));
        if (bad) {
          throw new IllegalArgumentException(op + ": targets[" + e + "] = " + y[e] + " is not "
              + (op.equals("bceWithLogits") ? "in [0, 1]" : "finite")
              + " (mask missing labels out with the mask argument)");
        }
        elems[k++] = e;
      }
    }
    return elems;
  }

  private static final class Backward extends Node {
    private final Kind kind;
    private final float[] y;
    private final int[] elems;

    Backward(Kind kind, Tensor pred, float[] y, int[] elems) {
      super(pred);
      this.kind = kind;
      this.y = y;
      this.elems = elems;
    }

    @Override
    public void backward(float[] gradOut) {
      float[] p = inputs()[0].data();
      float[] dp = ContextAccess.floats(inputs()[0].ctx(), p.length);                     // dp: like pred
      double scale = elems.length == 0 ? 0 : (double) gradOut[0] / elems.length;
      for (int e : elems) {
        double z = p[e];
        double t = y[e];
        double d = switch (kind) {
          // d/dz [softplus(z) - z*y] = sigmoid(z) - y, sigmoid taken on the stable side
          case BCE_WITH_LOGITS -> (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - t;
          case L1 -> Math.signum(z - t);
          case MSE -> 2 * (z - t);
        };
        dp[e] += (float) (scale * d);
      }
      accumulate(0, dp);
    }
  }
}
