package org.gnn4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison of float arrays that reports the worst element, not just "false". */
public final class OpAssert {
  private OpAssert() {}

  /** Passes when |e - a| <= atol + rtol * |e| for every element. */
  public static void assertClose(String what, float[] expected, float[] actual, double atol,
                                 double rtol) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + ", expected " + expected.length);
    }
    int worst = -1;
    double worstExcess = 0;
    double maxAbs = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) expected[i] - actual[i]);
      if (Double.isNaN(actual[i]) != Double.isNaN(expected[i])) diff = Double.POSITIVE_INFINITY;
      if (Double.isNaN(expected[i]) && Double.isNaN(actual[i])) diff = 0;
      maxAbs = Math.max(maxAbs, diff);
      double excess = diff - (atol + rtol * Math.abs(expected[i]));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    if (worst >= 0) {
      fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
          + " (max |diff| " + maxAbs + ", atol " + atol + ", rtol " + rtol + ")");
    }
  }
}
