package org.gnn4j.optim;

/**
 * Whether a monitored metric improves downwards (a loss, MAE) or upwards (accuracy, ROC-AUC);
 * shared by {@link ReduceOnPlateau} and the trainer's early stopping.
 */
public enum MetricMode {
  MIN,
  MAX;

  /** The value an unseen best starts from, so that any finite first metric improves on it. */
  public double worst() {
    return this == MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /**
   * Whether {@code value} beats {@code best} by more than {@code threshold}: relative
   * ({@code value < best·(1 − threshold)} for MIN) or absolute ({@code value < best − threshold}).
   * NaN never improves.
   */
  public boolean improves(double value, double best, double threshold, boolean relative) {
    if (this == MIN) return relative ? value < best * (1 - threshold) : value < best - threshold;
    return relative ? value > best * (1 + threshold) : value > best + threshold;
  }
}
