package org.gnn4j.train;

import org.gnn4j.data.HeapBudget;
import org.gnn4j.model.ModelSpec;

/**
 * A lower bound on the heap one training step takes, from the model's spec and the largest
 * step's graph size ({@link Task#largestStep}), checked against the heap before the first epoch
 * so a model too large for the JVM fails at once with the figure and how to raise the heap.
 *
 * <p>The bound counts only what a step cannot avoid: the input features, each layer's node
 * output and its gradient (with the activation kept for backward), the per-edge tensors a layer
 * kind materialises (GCN's edge weights, an attention score per edge and head, an edge message
 * per edge for edge-feature layers), and the parameters with their gradients and Adam's two
 * moments. Real use is higher; a bound on the low side never refuses a run that would fit.
 */
public final class StepMemory {
  private StepMemory() {}

  /** Bytes of one training step of {@code spec} on {@code step}, with {@code params} parameters. */
  public static long estimate(ModelSpec spec, Task.StepSize step, long params) {
    long n = step.nodes();
    long e = step.edges();
    long floats = sat(sat(n, step.features()), 2);
    long perEdge = switch (spec.layer()) {
      case GCN -> 1;
      case GAT, GATV2, TRANSFORMER -> 2L * Math.max(1, spec.heads());
      case GINE, GPS_GINE, RESGATED, GPS_RESGATED, GRAPH_TRANSFORMER, GN -> 2L * spec.hidden();
      default -> 0;
    };
    long perLayer = sat(n, 4L * spec.hidden()) + sat(e, perEdge);
    floats = add(floats, sat(perLayer, spec.layers()));
    floats = add(floats, sat(params, 4));
    return sat(floats, 4);
  }

  /** Fails with {@link HeapBudget.Exceeded} when the estimate exceeds the heap left. */
  public static void check(ModelSpec spec, Task.StepSize step, long params, String what) {
    if (step == null) return;
    HeapBudget.require(estimate(spec, step, params), "one training step of " + what + " ("
        + spec.layer() + " x" + spec.layers() + ", hidden " + spec.hidden() + ", on " + step.nodes()
        + " nodes and " + step.edges() + " edges)");
  }

  private static long sat(long a, long b) {
    return HeapBudget.bytes(a, b, 1);
  }

  private static long add(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }
}
