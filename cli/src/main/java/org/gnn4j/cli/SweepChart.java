package org.gnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.gnn4j.cli.plot.Png;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The depth-sweep picture: test accuracy, the last layer's degree-normalised Dirichlet energy
 * and that energy over the representations' mean squared norm (both log scale) against model
 * depth (log2 scale), one line per config, means over seeds. The plain energy is in the JSON. Drawn
 * with JFreeChart into one PNG, written atomically.
 */
final class SweepChart {
  /** Energies below this are drawn at it: a log axis has no 0 (the JSON keeps the value). */
  static final double ENERGY_FLOOR = 1e-30;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e)};

  /** One config's means and spreads per depth. */
  record Series(String name, int[] depths, double[] accMean, double[] accStd, double[] energyMean,
                double[] normMean, double[] relMean, double[] madMean) {}

  private SweepChart() {}

  static List<Series> summarise(List<DepthSweepCommand.RunResult> runs, List<String> names) {
    List<Series> out = new ArrayList<>();
    for (String name : names) {
      TreeSet<Integer> ds = new TreeSet<>();
      for (var r : runs) if (r.config().equals(name)) ds.add(r.depth());
      int[] depths = ds.stream().mapToInt(Integer::intValue).toArray();
      double[] am = new double[depths.length];
      double[] as = new double[depths.length];
      double[] em = new double[depths.length];
      double[] nm = new double[depths.length];
      double[] rm = new double[depths.length];
      double[] mm = new double[depths.length];
      for (int i = 0; i < depths.length; i++) {
        int d = depths[i];
        List<DepthSweepCommand.RunResult> at = runs.stream().filter(r -> r.config().equals(name) && r.depth() == d).toList();
        am[i] = mean(at.stream().mapToDouble(DepthSweepCommand.RunResult::testAccuracy).toArray());
        as[i] = std(at.stream().mapToDouble(DepthSweepCommand.RunResult::testAccuracy).toArray(), am[i]);
        em[i] = mean(at.stream().mapToDouble(DepthSweepCommand.RunResult::energy).toArray());
        nm[i] = mean(at.stream().mapToDouble(DepthSweepCommand.RunResult::normalisedEnergy).toArray());
        rm[i] = mean(at.stream().mapToDouble(DepthSweepCommand.RunResult::relativeEnergy).toArray());
        mm[i] = mean(at.stream().mapToDouble(DepthSweepCommand.RunResult::mad).toArray());
      }
      out.add(new Series(name, depths, am, as, em, nm, rm, mm));
    }
    return out;
  }

  static void write(Path file, List<Series> series) {
    System.setProperty("java.awt.headless", "true");
    int w = 1650;
    int h = 480;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    chart("Test accuracy", series, 0).draw(g, new Rectangle2D.Double(0, 0, w / 3.0, h));
    chart("Dirichlet energy of the last layer (degree-normalised)", series, 1).draw(g, new Rectangle2D.Double(w / 3.0, 0, w / 3.0, h));
    chart("The same over the mean squared norm", series, 2).draw(g, new Rectangle2D.Double(2 * w / 3.0, 0, w / 3.0, h));
    g.dispose();
    Png.write(file, img);
  }

  /** @param panel 0 accuracy, 1 energy, 2 relative energy */
  private static JFreeChart chart(String title, List<Series> series, int panel) {
    boolean energy = panel > 0;
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name());
      for (int i = 0; i < s.depths().length; i++) {
        double y = panel == 0 ? s.accMean()[i]
            : Math.max(ENERGY_FLOOR, panel == 1 ? s.normMean()[i] : s.relMean()[i]);
        xy.add(s.depths()[i], y);
      }
      data.addSeries(xy);
    }
    LogAxis x = new LogAxis("layers");
    x.setBase(2);
    x.setTickUnit(new NumberTickUnit(1));
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    x.setSmallestValue(0.5);
    NumberAxis y;
    if (energy) {
      LogAxis ly = new LogAxis(panel == 1 ? "E_norm(X) (log scale)" : "E_norm(X) / mean ||x||^2 (log scale)");
      ly.setBase(10);
      ly.setTickUnit(new NumberTickUnit(1));                 // one tick per decade
      ly.setNumberFormatOverride(new java.text.DecimalFormat("0E0"));
      XYLineAndShapeRenderer r = renderer(series.size());
      XYPlot plot = new XYPlot(data, x, ly, r);
      return finish(title, plot);
    }
    y = new NumberAxis("test accuracy");
    y.setRange(0, 1);
    XYPlot plot = new XYPlot(data, x, y, renderer(series.size()));
    return finish(title, plot);
  }

  private static XYLineAndShapeRenderer renderer(int n) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < n; i++) {
      r.setSeriesPaint(i, COLORS[i % COLORS.length]);
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    return r;
  }

  private static JFreeChart finish(String title, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    c.setBackgroundPaint(Color.WHITE);
    return c;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  private static double std(double[] v, double mean) {
    if (v.length < 2) return 0;
    double s = 0;
    for (double x : v) s += (x - mean) * (x - mean);
    return Math.sqrt(s / (v.length - 1));
  }
}
