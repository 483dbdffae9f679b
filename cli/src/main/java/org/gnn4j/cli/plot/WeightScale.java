package org.gnn4j.cli.plot;

import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/** JFreeChart's view of {@link Palette#sequential}: weights in [lower, upper] to colours. */
final class WeightScale implements PaintScale {
  private final double lower;
  private final double upper;

  WeightScale(double lower, double upper) {
    this.lower = lower;
    this.upper = upper > lower ? upper : lower + 1;
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return Palette.sequential((value - lower) / (upper - lower));
  }
}
