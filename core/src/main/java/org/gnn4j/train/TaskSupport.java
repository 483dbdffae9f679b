package org.gnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The few steps every task repeats: picking a split, one optimiser step, arg-max, the metrics of
 * classification.
 */
final class TaskSupport {
  private TaskSupport() {}

  static int[] split(String split, int[] train, int[] val, int[] test) {
    return switch (split) {
      case "train" -> train;
      case "val" -> val;
      case "test" -> test;
      default -> throw new IllegalArgumentException("unknown split '" + split + "' (valid: train, val, test)");
    };
  }

  /** Clears gradients, back-propagates {@code loss}, runs the pre-step hook, steps; the loss. */
  /**
   * Backward and one optimizer step on {@code loss}; the value of the loss. Tasks call it inside
   * a {@link Context#step()} that also holds the forward: the step's large buffers (activations,
   * intermediate gradients) then serve the next step instead of waiting for the collector. What
   * outlives a step is made outside one or read inside it: parameters, their gradients and the
   * optimizer's state are made before the first step, batch-norm statistics are updated in place,
   * the loss value is read here.
   */
  static double step(Optimizer optimizer, Tensor loss, Runnable beforeStep) {
    optimizer.zeroGrad();
    loss.backward();
    beforeStep.run();
    optimizer.step();
    return loss.item();
  }

  /** Arg-max column of every row of [N, K] scores. */
  static int[] argmax(Tensor logits) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] z = logits.data();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /**
   * Accuracy and cross-entropy of {@code logits} [N, C] on the labelled rows of a split (NaN for
   * an empty split), the metrics of node classification.
   */
  static Map<String, Double> classification(Tensor logits, int[] y, int[] rows) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", rows.length == 0 ? Double.NaN : Metrics.accuracy(logits, y, rows));
    m.put("loss", rows.length == 0 ? Double.NaN
        : (double) CrossEntropy.apply(logits, y, rows).item());
    return m;
  }

  /**
   * Cross-entropy of the seed rows of a sampled subgraph: seeds come first, rows past them are
   * neighbours and not scored.
   *
   * @param logits [N, C] over the subgraph's nodes (of the target type)
   * @param seedLabels the classes of the first seedLabels.length rows
   */
  static Tensor seedCrossEntropy(Tensor logits, int[] seedLabels) {
    int[] labels = new int[logits.dim(0)];
    System.arraycopy(seedLabels, 0, labels, 0, seedLabels.length);
    int[] rows = new int[seedLabels.length];
    for (int i = 0; i < rows.length; i++) rows[i] = i;
    return CrossEntropy.apply(logits, labels, rows);
  }
}
