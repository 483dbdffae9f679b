package org.gnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.train.Trainer;

/**
 * The PNG written at the end of training: the training loss (left panel) and the validation
 * metric (right panel) per epoch, with the selected epoch marked. Plain java.awt in headless
 * mode, so it needs no display and no plotting library.
 */
final class TrainingPlot {
  private static final int W = 1000;
  private static final int H = 420;
  private static final int PAD = 56;

  private TrainingPlot() {}

  /** Writes the plot atomically (temp file + rename). */
  static void write(Path file, List<Trainer.EpochResult> history, String metric, int bestEpoch) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int n = history.size();
    double[] loss = new double[n];
    double[] val = new double[n];
    for (int i = 0; i < n; i++) {
      loss[i] = history.get(i).loss();
      Double v = history.get(i).metrics().get("val_" + metric);
      val[i] = v == null ? Double.NaN : v;
    }
    panel(g, 0, "training loss", loss, history, bestEpoch, new Color(0x1f77b4));
    panel(g, W / 2, "validation " + metric, val, history, bestEpoch, new Color(0xd62728));
    g.dispose();
    try {
      AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    } catch (IOException e) {
      throw new CliException("cannot write the plot " + file + " (" + IoErrors.reason(e) + ")");
    }
  }

  private static void panel(Graphics2D g, int x0, String title, double[] ys, List<Trainer.EpochResult> h,
                            int bestEpoch, Color color) {
    int left = x0 + PAD;
    int right = x0 + W / 2 - 20;
    int top = 36;
    int bottom = H - 40;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double y : ys) {
      if (Double.isFinite(y)) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
    }
    g.setColor(Color.BLACK);
    g.drawString(title, left, 22);
    g.drawRect(left, top, right - left, bottom - top);
    if (!(lo <= hi)) {
      g.drawString("no data", left + 10, top + 20);
      return;
    }
    if (hi - lo < 1e-12) {
      hi = lo + 1;
    }
    int first = h.get(0).epoch();
    int last = h.get(h.size() - 1).epoch();
    int span = Math.max(1, last - first);
    for (int t = 0; t <= 4; t++) {
      double v = lo + (hi - lo) * t / 4;
      int y = bottom - (int) Math.round((bottom - top) * (double) t / 4);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, right - 1, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3g", v), x0 + 4, y + 4);
    }
    g.drawString("epoch " + first, left, bottom + 18);
    g.drawString(Integer.toString(last), right - 24, bottom + 18);
    if (bestEpoch >= first && bestEpoch <= last) {
      int bx = left + (int) Math.round((right - left) * (double) (bestEpoch - first) / span);
      g.setColor(new Color(0x2ca02c));
      g.drawLine(bx, top, bx, bottom);
      g.drawString("best " + bestEpoch, Math.min(bx + 3, right - 60), top + 14);
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(1.6f));
    int px = -1;
    int py = -1;
    for (int i = 0; i < ys.length; i++) {
      if (!Double.isFinite(ys[i])) continue;
      int x = left + (int) Math.round((right - left) * (double) (h.get(i).epoch() - first) / span);
      int y = bottom - (int) Math.round((bottom - top) * (ys[i] - lo) / (hi - lo));
      if (px >= 0) g.drawLine(px, py, x, y);
      px = x;
      py = y;
    }
  }
}
