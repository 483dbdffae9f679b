package org.gnn4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gnn4j.cli.plot.Canvas;
import org.gnn4j.cli.plot.StrokeFont;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.train.Trainer;

/**
 * The PNG written at the end of training: the loss per epoch (training, and validation when
 * the task reports it) on the left, the validation metric on the right, the selected epoch
 * marked by a dashed line and a point whose value the legend states (so no label sits on a
 * curve). Drawn on a {@link Canvas}, without AWT: the picture is the last thing a run does, and
 * Java2D's start-up cost a short run (Cora's 200 epochs) a large part of its wall time.
 */
final class TrainingPlot {
  static final int W = 1100;
  static final int H = 440;
  static final int TRAIN = 0x1f77b4;
  static final int VAL = 0xd62728;
  static final int BEST = 0x2ca02c;
  private static final int INK = 0x222222;
  private static final int AXIS = 0x888888;
  private static final int GRID = 0xdddddd;
  private static final double TEXT = 12;
  private static final double TEXT_WEIGHT = 1.05;

  private TrainingPlot() {}

  /** One curve: its name in the legend, its colour and its points (epoch, value). */
  record Series(String name, int color, double[] x, double[] y) {
    boolean isEmpty() {
      return x.length == 0;
    }
  }

  /** Writes the plot atomically (temp file + rename). */
  static void write(Path file, List<Trainer.EpochResult> history, String metric, int bestEpoch) {
    byte[] png = render(history, metric, bestEpoch).png();
    try {
      AtomicFiles.write(file, out -> out.write(png));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the picture " + file, e);
    }
  }

  static Canvas render(List<Trainer.EpochResult> history, String metric, int bestEpoch) {
    Canvas c = new Canvas(W, H, 0xffffff);
    panel(c, 0, W / 2, "loss", "loss", bestEpoch,
        series("training loss", TRAIN, history, null), series("validation loss", VAL, history, "val_loss"));
    panel(c, W / 2, W - W / 2, "validation " + metric, metric, bestEpoch,
        series("validation " + metric, VAL, history, "val_" + metric));
    return c;
  }

  /** The finite values of one metric (the training loss when key is null) by epoch. */
  private static Series series(String name, int color, List<Trainer.EpochResult> history, String key) {
    double[] x = new double[history.size()];
    double[] y = new double[history.size()];
    int n = 0;
    for (Trainer.EpochResult r : history) {
      Double v = key == null ? Double.valueOf(r.loss()) : r.metrics().get(key);
      if (v == null || !Double.isFinite(v)) continue;
      x[n] = r.epoch();
      y[n++] = v;
    }
    return new Series(name, color, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
  }

  /**
   * One panel in the columns [left, left + width): title, axes with ticks and grid, the series,
   * the selected epoch (a dashed line, and a point on the last series named with its value in
   * the legend), the legend below.
   */
  private static void panel(Canvas c, int left, int width, String title, String yLabel,
                            int bestEpoch, Series... all) {
    List<Series> shown = new ArrayList<>();
    for (Series s : all) if (!s.isEmpty()) shown.add(s);
    c.text(title, left + width / 2.0, 26, 16, 1.7, Canvas.Align.CENTER, false, INK);

    // the legend's entries, laid out in as many rows as the width needs
    List<String> names = new ArrayList<>();
    List<Integer> colors = new ArrayList<>();
    for (Series s : shown) {
      names.add(s.name());
      colors.add(s.color());
    }
    Series selectedFrom = shown.isEmpty() ? null : shown.get(shown.size() - 1);
    int selectedAt = -1;
    if (selectedFrom != null) {
      for (int i = 0; i < selectedFrom.x().length; i++) if (selectedFrom.x()[i] == bestEpoch) selectedAt = i;
    }
    if (selectedAt >= 0) {
      names.add(String.format(Locale.ROOT, "selected epoch %d (%s %.4g)", bestEpoch,
          selectedFrom.name(), selectedFrom.y()[selectedAt]));
      colors.add(-1);
    }
    List<List<Integer>> rows = legendRows(names, width - 40);
    double rowHeight = 20;
    double legendTop = H - 12 - rows.size() * rowHeight;

    double plotLeft = left + 78;
    double plotRight = left + width - 20;
    double plotTop = 44;
    double plotBottom = legendTop - 44;

    if (shown.isEmpty()) {
      c.text("no validation split", (plotLeft + plotRight) / 2, (plotTop + plotBottom) / 2, 14,
          TEXT_WEIGHT, Canvas.Align.CENTER, false, INK);
      frame(c, plotLeft, plotTop, plotRight, plotBottom);
      return;
    }
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : shown) {
      for (int i = 0; i < s.x().length; i++) {
        xMin = Math.min(xMin, s.x()[i]);
        xMax = Math.max(xMax, s.x()[i]);
        yMin = Math.min(yMin, s.y()[i]);
        yMax = Math.max(yMax, s.y()[i]);
      }
    }
    double[] xr = padded(xMin, xMax, 0.02, 1);
    double[] yr = padded(yMin, yMax, 0.05, yMin == 0 ? 0.5 : Math.abs(yMin) * 0.1);
    Axis xa = new Axis(xr[0], xr[1], plotLeft, plotRight, true);
    Axis ya = new Axis(yr[0], yr[1], plotBottom, plotTop, false);

    for (double t : xa.ticks()) {
      double px = xa.at(t);
      c.polyline(new double[] {px, plotTop, px, plotBottom}, 1, GRID);
      c.polyline(new double[] {px, plotBottom, px, plotBottom + 4}, 1, AXIS);
      c.text(xa.label(t), px, plotBottom + 18, TEXT, TEXT_WEIGHT, Canvas.Align.CENTER, false, INK);
    }
    for (double t : ya.ticks()) {
      double py = ya.at(t);
      c.polyline(new double[] {plotLeft, py, plotRight, py}, 1, GRID);
      c.polyline(new double[] {plotLeft - 4, py, plotLeft, py}, 1, AXIS);
      c.text(ya.label(t), plotLeft - 7, py + 4.3, TEXT, TEXT_WEIGHT, Canvas.Align.RIGHT, false, INK);
    }
    c.text("epoch", (plotLeft + plotRight) / 2, plotBottom + 37, 13, TEXT_WEIGHT,
        Canvas.Align.CENTER, false, INK);
    c.text(yLabel, left + 18, (plotTop + plotBottom) / 2, 13, TEXT_WEIGHT, Canvas.Align.CENTER,
        true, INK);
    if (bestEpoch >= xr[0] && bestEpoch <= xr[1]) {
      c.dashedLine(xa.at(bestEpoch), plotTop, xa.at(bestEpoch), plotBottom, 1.2, 5, 4, BEST);
    }
    for (Series s : shown) {
      double[] xy = new double[2 * s.x().length];
      for (int i = 0; i < s.x().length; i++) {
        xy[2 * i] = xa.at(s.x()[i]);
        xy[2 * i + 1] = ya.at(s.y()[i]);
      }
      c.polyline(xy, 1.8, s.color());
    }
    if (selectedAt >= 0) {
      c.disc(xa.at(bestEpoch), ya.at(selectedFrom.y()[selectedAt]), 5, BEST);
    }
    frame(c, plotLeft, plotTop, plotRight, plotBottom);

    for (int r = 0; r < rows.size(); r++) {
      double rowWidth = 0;
      for (int i : rows.get(r)) rowWidth += entryWidth(names.get(i));
      double x = left + (width - rowWidth) / 2;
      double y = legendTop + r * rowHeight + 14;
      for (int i : rows.get(r)) {
        if (colors.get(i) < 0) {
          c.disc(x + 11, y - 4, 5, BEST);
        } else {
          c.polyline(new double[] {x + 2, y - 4, x + 20, y - 4}, 1.8, colors.get(i));
        }
        c.text(names.get(i), x + 26, y, TEXT, TEXT_WEIGHT, Canvas.Align.LEFT, false, INK);
        x += entryWidth(names.get(i));
      }
    }
  }

  private static double entryWidth(String name) {
    return 26 + StrokeFont.width(name, TEXT) + 22;
  }

  /** Greedy rows of legend entries no wider than width each. */
  private static List<List<Integer>> legendRows(List<String> names, double width) {
    List<List<Integer>> rows = new ArrayList<>();
    List<Integer> row = new ArrayList<>();
    double used = 0;
    for (int i = 0; i < names.size(); i++) {
      double w = entryWidth(names.get(i));
      if (!row.isEmpty() && used + w > width) {
        rows.add(row);
        row = new ArrayList<>();
        used = 0;
      }
      row.add(i);
      used += w;
    }
    if (!row.isEmpty()) rows.add(row);
    return rows;
  }

  private static void frame(Canvas c, double x0, double y0, double x1, double y1) {
    c.polyline(new double[] {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0}, 1, AXIS);
  }

  /** [min, max] widened by fraction of its span on each side, or by ifFlat when it has none. */
  private static double[] padded(double min, double max, double fraction, double ifFlat) {
    double span = max - min;
    double pad = span > 0 ? span * fraction : ifFlat;
    return new double[] {min - pad, max + pad};
  }

  /**
   * A linear axis from data [lo, hi] to pixels [from, to], with "nice" ticks (1, 2 or 5 times a
   * power of ten, about six of them; whole numbers only on the epoch axis) labelled with as many
   * decimals as their step needs.
   */
  record Axis(double lo, double hi, double from, double to, boolean integers) {
    double at(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }

    double step() {
      double raw = (hi - lo) / 6;
      double p = Math.pow(10, Math.floor(Math.log10(raw)));
      double m = raw / p;
      double s = (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
      return integers ? Math.max(1, Math.round(s)) : s;
    }

    List<Double> ticks() {
      double s = step();
      List<Double> t = new ArrayList<>();
      for (long k = (long) Math.ceil(lo / s); k * s <= hi + s * 1e-9; k++) t.add(k * s);
      return t;
    }

    String label(double v) {
      int decimals = Math.max(0, (int) -Math.floor(Math.log10(step()) + 1e-9));
      String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
      return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }
  }
}
