package org.gnn4j.nn.conv;

/**
 * How a simple message-passing layer (SageConv, GraphConv) reduces the messages of a target's
 * in-edges, PyG's {@code aggr}: ADD sums, MEAN divides the sum by max(in-degree, 1), MAX takes
 * the channel-wise maximum (PyG's tie rule). A target without in-edges aggregates 0 for all
 * three.
 */
public enum Aggr {
  ADD, MEAN, MAX;

  /**
   * PyG's name: {@code "add"} (or {@code "sum"}), {@code "mean"}, {@code "max"}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Aggr of(String pyg) {
    return switch (pyg) {
      case "add", "sum" -> ADD;
      case "mean" -> MEAN;
      case "max" -> MAX;
      default -> throw new IllegalArgumentException("Aggr: unknown aggregation (got '" + pyg
          + "', expected add, sum, mean or max)");
    };
  }

  /** Whether aggr(x) W = aggr(x W), so a layer may project before it aggregates. */
  boolean commutesWithLinear() {
    return this != MAX;
  }
}
