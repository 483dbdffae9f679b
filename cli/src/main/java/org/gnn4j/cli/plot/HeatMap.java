package org.gnn4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * An attention matrix as a heat map, the way attention maps are usually shown: one row per
 * query (the attending, target node), one column per key (the attended, source node), row 0 at
 * the top, colour = weight on a colour bar legend; pairs the layer does not attend over stay
 * grey. JFreeChart's block renderer, rendered headless.
 */
public final class HeatMap {
  /** Grey of pairs without an attention edge. */
  static final Color NO_EDGE = new Color(0xdddddd);

  private HeatMap() {}

  /**
   * @param n matrix size (queries and keys are 0..n-1)
   * @param query row of each cell; key its column; weight its value (same lengths)
   */
  public static void write(Path file, String title, String subtitle, int n, int[] query,
                           int[] key, double[] weight, String axisWhat, int width, int height) {
    Png.headless();
    double max = 0;
    for (double w : weight) max = Math.max(max, w);
    double[][] xyz = new double[3][weight.length];
    for (int i = 0; i < weight.length; i++) {
      xyz[0][i] = key[i];
      xyz[1][i] = query[i];
      xyz[2][i] = weight[i];
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("attention", xyz);
    NumberAxis keys = axis("key: attended " + axisWhat + " (source)", n);
    NumberAxis queries = axis("query: attending " + axisWhat + " (target)", n);
    queries.setInverted(true);
    WeightScale scale = new WeightScale(0, max);
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, keys, queries, renderer);
    plot.setBackgroundPaint(NO_EDGE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
    plot.setOutlineStroke(new BasicStroke(1f));
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    }
    NumberAxis bar = new NumberAxis("attention weight (grey: no edge)");
    bar.setRange(0, max > 0 ? max : 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, bar);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setStripWidth(14);
    legend.setAxisOffset(4);
    legend.setMargin(new RectangleInsets(30, 8, 30, 8));
    legend.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(legend);
    Png.write(file, chart, width, height);
  }

  private static NumberAxis axis(String label, int n) {
    NumberAxis a = new NumberAxis(label);
    a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    a.setRange(-0.5, n - 0.5);
    a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return a;
  }
}
