package org.gnn4j.model;

/**
 * A graph whose node (or edge) features are not as wide as the model was trained on: a service
 * built the input from another schema, or the data changed. The message names which features,
 * the model's width and the input's, e.g. {@code "model: node features have 12 columns, the model
 * was built for 34"}; {@link #expected()} and {@link #actual()} give the two numbers.
 */
public final class FeatureWidthMismatchException extends IllegalArgumentException {
  private final String what;
  private final int expected;
  private final int actual;

  /**
   * @param where what reports it (e.g. {@code "model"} or a file name), the message's prefix
   * @param what {@code "node features"} or {@code "edge features"}
   * @param expected the width the model was built for
   * @param actual the input's width
   */
  public FeatureWidthMismatchException(String where, String what, int expected, int actual) {
    super(where + ": " + what + " have " + actual + " columns, the model was built for " + expected);
    this.what = what;
    this.expected = expected;
    this.actual = actual;
  }

  /** {@code "node features"} or {@code "edge features"}. */
  public String features() {
    return what;
  }

  /** The width the model was built for. */
  public int expected() {
    return expected;
  }

  /** The width of the input. */
  public int actual() {
    return actual;
  }
}
