package org.gnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gnn4j.cli.plot.Png;
import org.gnn4j.train.Trainer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG written at the end of training: the loss per epoch (training, and validation when
 * the task reports it) on the left, the validation metric on the right, the selected epoch
 * marked by a dashed line and a point whose value the legend states (so no label sits on a
 * curve). Two JFreeChart line charts side by side, drawn headless.
 */
final class TrainingPlot {
  private static final int W = 1100;
  private static final int H = 440;
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VAL = new Color(0xd62728);
  private static final Color BEST = new Color(0x2ca02c);

  private TrainingPlot() {}

  /** Writes the plot atomically (temp file + rename). */
  static void write(Path file, List<Trainer.EpochResult> history, String metric, int bestEpoch) {
    Png.write(file, render(history, metric, bestEpoch));
  }

  /**
   * Draws and encodes a throwaway plot, so that the real one finds Java2D, its fonts, JFreeChart
   * and the PNG writer initialised. Their first use cost as much as a short run's last seconds
   * (a Cora run: 3.7-4.3 s between the last checkpoint and the PNG on a loaded 2-core machine);
   * started on a thread beside training ({@code TrainCommand}), it overlaps with the epochs.
   * Failures are left for the real plot to report.
   */
  static void warmUp() {
    try {
      List<Trainer.EpochResult> h = List.of(
          new Trainer.EpochResult(1, 2, 1.0, 0.01, java.util.Map.of("val_loss", 1.0, "val_m", 0.5), 0, true),
          new Trainer.EpochResult(2, 2, 0.5, 0.01, java.util.Map.of("val_loss", 0.8, "val_m", 0.7), 0, true));
      javax.imageio.ImageIO.write(render(h, "m", 2), "png", java.io.OutputStream.nullOutputStream());
    } catch (RuntimeException | java.io.IOException | Error ignored) {
      // the plot at the end of the run reports its own failure
    }
  }

  private static BufferedImage render(List<Trainer.EpochResult> history, String metric, int bestEpoch) {
    Png.headless();
    XYSeries trainLoss = new XYSeries("training loss");
    XYSeries valLoss = new XYSeries("validation loss");
    XYSeries valMetric = new XYSeries("validation " + metric);
    for (Trainer.EpochResult r : history) {
      if (Double.isFinite(r.loss())) trainLoss.add(r.epoch(), r.loss());
      add(valLoss, r, "val_loss");
      add(valMetric, r, "val_" + metric);
    }
    JFreeChart loss = chart("loss", "loss", bestEpoch, trainLoss, valLoss);
    JFreeChart val = chart("validation " + metric, metric, bestEpoch, valMetric);
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    loss.draw(g, new Rectangle2D.Double(0, 0, W / 2.0, H));
    val.draw(g, new Rectangle2D.Double(W / 2.0, 0, W / 2.0, H));
    g.dispose();
    return img;
  }

  private static void add(XYSeries s, Trainer.EpochResult r, String key) {
    Double v = r.metrics().get(key);
    if (v != null && Double.isFinite(v)) s.add(r.epoch(), v);
  }

  /**
   * One panel: the series as lines, and at the selected epoch a dashed line plus, for the last
   * series, a point named in the legend with its value.
   */
  private static JFreeChart chart(String title, String yLabel, int bestEpoch,
                                  XYSeries... series) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    Color[] colors = series.length == 1 ? new Color[] {VAL} : new Color[] {TRAIN, VAL};
    int k = 0;
    XYSeries selectedFrom = null;
    for (int i = 0; i < series.length; i++) {
      if (series[i].getItemCount() == 0) continue;
      data.addSeries(series[i]);
      r.setSeriesPaint(k, colors[i]);
      r.setSeriesStroke(k, new BasicStroke(1.8f));
      k++;
      selectedFrom = series[i];
    }
    if (selectedFrom != null) {
      int at = selectedFrom.indexOf(bestEpoch);
      if (at >= 0) {
        double v = selectedFrom.getY(at).doubleValue();
        XYSeries best = new XYSeries(String.format(Locale.ROOT, "selected epoch %d (%s %.4g)",
            bestEpoch, selectedFrom.getKey(), v));
        best.add(bestEpoch, v);
        data.addSeries(best);
        r.setSeriesLinesVisible(k, false);
        r.setSeriesShapesVisible(k, true);
        r.setSeriesShape(k, new Ellipse2D.Double(-5, -5, 10, 10));
        r.setSeriesPaint(k, BEST);
      }
    }
    NumberAxis x = new NumberAxis("epoch");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    if (bestEpoch >= 0) {
      ValueMarker m = new ValueMarker(bestEpoch, BEST, new BasicStroke(1.2f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0f));
      plot.addDomainMarker(m);
    }
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot,
        true);
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    plot.setNoDataMessage("no validation split");
    return chart;
  }
}
