package org.gnn4j.cli.bench;

import java.util.Arrays;

/** Warm-up then timed repeats of one step; reports median, min and max in milliseconds. */
public final class Timing {
  private final double[] ms;

  private Timing(double[] ms) {
    this.ms = ms;
  }

  /** Runs {@code step} {@code warmup} times untimed, then {@code repeats} times timed. */
  public static Timing measure(int warmup, int repeats, Runnable step) {
    for (int i = 0; i < warmup; i++) step.run();
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      step.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return new Timing(ms);
  }

  public double median() {
    double[] s = ms.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  public double min() {
    return Arrays.stream(ms).min().orElse(Double.NaN);
  }

  public double max() {
    return Arrays.stream(ms).max().orElse(Double.NaN);
  }
}
