package org.gnn4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * A graph drawn with its attention: nodes placed by {@link ForceLayout} on the graph's
 * structure, node colour = class (or prediction), each attention edge j -> i a curve from
 * source to target (bending to its right, so the two directions of a pair stay apart, with an
 * arrowhead at the target) whose width and colour grow with the weight; a legend for the
 * colour scale and the classes. Plain Java2D on an image, headless.
 */
public final class GraphDrawing {
  private static final int W = 1100;
  private static final int H = 820;
  private static final int LEGEND = 250;
  private static final int TOP = 85;
  private static final int MARGIN = 40;

  /**
   * What to draw.
   *
   * @param labels shown name of each node (its id in the data)
   * @param nodeClass class of each node, or -1 for none
   * @param classNames legend name of class k
   * @param classTitle legend heading of the classes ("predicted class", "atom type")
   * @param focus the node the picture is about (drawn larger, ringed), or -1
   * @param structA one end of each structural edge (layout and grey lines); structB the other
   * @param src source of each attention edge; dst its target; weight its weight
   * @param notes extra legend lines (what the weights are), may be empty
   */
  public record Spec(String title, String subtitle, String[] labels, int[] nodeClass,
                     String[] classNames, String classTitle, int focus, int[] structA,
                     int[] structB, int[] src, int[] dst, double[] weight, String[] notes,
                     long seed) {}

  private GraphDrawing() {}

  public static void write(Path file, Spec s) {
    Png.headless();
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int n = s.labels().length;
    double[][] pos = ForceLayout.untangled(n, s.structA(), s.structB(), s.seed(), 1000, 6);
    double[][] px = new double[n][2];
    int plotW = W - LEGEND - 2 * MARGIN;
    int plotH = H - TOP - MARGIN;
    int side = Math.min(plotW, plotH);
    for (int i = 0; i < n; i++) {
      px[i][0] = MARGIN + (plotW - side) / 2.0 + pos[i][0] * side;
      px[i][1] = TOP + (plotH - side) / 2.0 + pos[i][1] * side;
    }
    double r = n <= 40 ? 11 : n <= 120 ? 8 : 6;
    title(g, s);
    g.setColor(new Color(0xcfcfcf));
    g.setStroke(new BasicStroke(1f));
    for (int e = 0; e < s.structA().length; e++) {
      int a = s.structA()[e];
      int b = s.structB()[e];
      g.drawLine((int) px[a][0], (int) px[a][1], (int) px[b][0], (int) px[b][1]);
    }
    double max = 0;
    for (double w : s.weight()) max = Math.max(max, w);
    edges(g, s, px, r, max);
    nodes(g, s, px, r);
    legend(g, s, max);
    g.dispose();
    Png.write(file, img);
  }

  private static void title(Graphics2D g, Spec s) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(s.title(), MARGIN, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    if (s.subtitle() != null) g.drawString(s.subtitle(), MARGIN, 52);
  }

  /** Weakest first, so strong edges are drawn on top. */
  private static void edges(Graphics2D g, Spec s, double[][] px, double r, double max) {
    Integer[] order = new Integer[s.src().length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> s.weight()[i]));
    for (int e : order) {
      int a = s.src()[e];
      int b = s.dst()[e];
      if (a == b) continue;
      double t = max > 0 ? s.weight()[e] / max : 0;
      double x0 = px[a][0];
      double y0 = px[a][1];
      double x1 = px[b][0];
      double y1 = px[b][1];
      double dx = x1 - x0;
      double dy = y1 - y0;
      double len = Math.hypot(dx, dy);
      if (len < 1e-6) continue;
      // control point to the right of the direction of travel, 12% of the length away
      double cx = (x0 + x1) / 2 - dy * 0.12;
      double cy = (y0 + y1) / 2 + dx * 0.12;
      Color c = Palette.sequential(t);
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) (90 + 165 * t)));
      float width = (float) (0.6 + 4.4 * t);
      g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      double tx = x1 - cx;
      double ty = y1 - cy;
      double tl = Math.hypot(tx, ty);
      double ex = x1 - tx / tl * r;
      double ey = y1 - ty / tl * r;
      g.draw(new QuadCurve2D.Double(x0, y0, cx, cy, ex, ey));
      double head = 5 + 2.5 * width;
      Path2D arrow = new Path2D.Double();
      arrow.moveTo(ex, ey);
      arrow.lineTo(ex - tx / tl * head - ty / tl * head * 0.45,
          ey - ty / tl * head + tx / tl * head * 0.45);
      arrow.lineTo(ex - tx / tl * head + ty / tl * head * 0.45,
          ey - ty / tl * head - tx / tl * head * 0.45);
      arrow.closePath();
      g.fill(arrow);
    }
  }

  private static void nodes(Graphics2D g, Spec s, double[][] px, double r) {
    int n = px.length;
    boolean allLabels = n <= 40;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 40 ? 11 : 10));
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < n; i++) {
      double rr = i == s.focus() ? r * 1.6 : r;
      int k = s.nodeClass()[i];
      g.setColor(k < 0 ? new Color(0xbbbbbb) : Palette.category(k));
      Ellipse2D circle = new Ellipse2D.Double(px[i][0] - rr, px[i][1] - rr, 2 * rr, 2 * rr);
      g.fill(circle);
      g.setColor(i == s.focus() ? Color.BLACK : new Color(0x333333));
      g.setStroke(new BasicStroke(i == s.focus() ? 3f : 1f));
      g.draw(circle);
    }
    for (int i = 0; i < n; i++) {
      if (!allLabels && i != s.focus()) continue;
      String text = s.labels()[i];
      double rr = i == s.focus() ? r * 1.6 : r;
      int tx = (int) (px[i][0] + rr + 2);
      int ty = (int) (px[i][1] - rr);
      g.setColor(new Color(255, 255, 255, 200));
      g.fillRect(tx - 1, ty - fm.getAscent(), fm.stringWidth(text) + 2, fm.getHeight());
      g.setColor(Color.BLACK);
      g.drawString(text, tx, ty);
    }
  }

  private static void legend(Graphics2D g, Spec s, double max) {
    int x = W - LEGEND + 10;
    int y = TOP + 10;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString("attention weight", x, y);
    y += 12;
    int barH = 160;
    for (int i = 0; i < barH; i++) {
      g.setColor(Palette.sequential(1 - (double) i / (barH - 1)));
      g.fillRect(x, y + i, 18, 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, 18, barH);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int t = 0; t <= 4; t++) {
      int ty = y + (int) Math.round(barH * (1 - t / 4.0));
      g.drawLine(x + 18, ty, x + 22, ty);
      g.drawString(String.format(Locale.ROOT, "%.3f", max * t / 4), x + 26, ty + 4);
    }
    for (int t = 1; t <= 4; t++) {
      float w = (float) (0.6 + 4.4 * t / 4.0);
      int ly = y + (int) Math.round(barH * (1 - t / 4.0));
      g.setColor(Palette.sequential(t / 4.0));
      g.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.drawLine(x + 80, ly, x + 120, ly);
    }
    y += barH + 30;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(s.classTitle(), x, y);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    boolean[] present = new boolean[s.classNames().length];
    for (int k : s.nodeClass()) if (k >= 0 && k < present.length) present[k] = true;
    int shown = 0;
    for (int k = 0; k < present.length && y < H - 120; k++) {
      if (!present[k]) continue;
      y += 20;
      g.setColor(Palette.category(k));
      g.fillOval(x, y - 11, 13, 13);
      g.setColor(new Color(0x333333));
      g.drawOval(x, y - 11, 13, 13);
      g.setColor(Color.BLACK);
      g.drawString(s.classNames()[k], x + 20, y);
      shown++;
    }
    if (shown == 0) {
      y += 20;
      g.drawString("(none)", x, y);
    }
    y += 30;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(new Color(0x444444));
    for (String line : s.notes()) {
      g.drawString(line, x, y);
      y += 15;
    }
  }
}
