package org.gnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.cli.plot.Png;
import org.gnn4j.graph.EdgeIndex;

/**
 * The picture of an explanation: the most important edges around the explained node (or of the
 * explained graph), each undirected pair drawn once with the larger importance of its two
 * directions, line width and colour by importance (red positive, blue negative for signed
 * attributions), a colour bar as legend, the explained node ringed. Nodes are placed by a
 * seeded force-directed layout (Fruchterman &amp; Reingold) with the explained node at the
 * centre. Plain java.awt in headless mode.
 */
public final class ExplanationPicture {
  private static final int W = 900;
  private static final int H = 760;
  private static final int PANEL = 680;            // square drawing area
  private static final int MAX_EDGES = 60;

  private ExplanationPicture() {}

  /**
   * @param importance [E] importance of every edge of {@code edges} (0 where none)
   * @param center the explained node, or -1 for a graph
   * @param title first line of the caption
   */
  public static void write(Path file, EdgeIndex edges, float[] importance, int center, String title) {
    write(file, edges, importance, center, title, null);
  }

  /**
   * @param nodeClass [N] a class per node to colour the nodes by (e.g. the labels, with a legend),
   *     or null for grey nodes
   */
  public static void write(Path file, EdgeIndex edges, float[] importance, int center, String title,
                           int[] nodeClass) {
    System.setProperty("java.awt.headless", "true");
    Map<Long, Float> pairs = strongestPairs(edges, importance);
    List<Map.Entry<Long, Float>> top = new ArrayList<>(pairs.entrySet());
    top.sort((a, b) -> Float.compare(Math.abs(b.getValue()), Math.abs(a.getValue())));
    if (top.size() > MAX_EDGES) top = top.subList(0, MAX_EDGES);
    Map<Integer, Integer> index = new LinkedHashMap<>();
    if (center >= 0) index.put(center, 0);
    for (var e : top) {
      index.putIfAbsent((int) (e.getKey() >>> 32), index.size());
      index.putIfAbsent((int) (long) e.getKey(), index.size());
    }
    int n = index.size();
    int[][] links = new int[top.size()][];
    for (int k = 0; k < top.size(); k++) {
      long key = top.get(k).getKey();
      links[k] = new int[] {index.get((int) (key >>> 32)), index.get((int) key)};
    }
    double[][] pos = layout(n, links, center >= 0);
    float max = 0;
    boolean signed = false;
    for (var e : top) {
      max = Math.max(max, Math.abs(e.getValue()));
      signed |= e.getValue() < 0;
    }
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int ox = 30;
    int oy = 60;
    // weakest first, so strong edges are drawn on top
    for (int k = top.size() - 1; k >= 0; k--) {
      float v = top.get(k).getValue();
      float t = max > 0 ? Math.abs(v) / max : 0;
      g.setColor(colour(t, v < 0));
      g.setStroke(new BasicStroke(1f + 7f * t, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      double[] a = pos[links[k][0]];
      double[] b = pos[links[k][1]];
      g.draw(new Line2D.Double(ox + a[0] * PANEL, oy + a[1] * PANEL, ox + b[0] * PANEL, oy + b[1] * PANEL));
    }
    g.setStroke(new BasicStroke(1.5f));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    boolean labels = n <= 45;
    java.util.Set<Integer> strong = new java.util.HashSet<>();   // ends of the 10 strongest edges
    for (int k = 0; k < Math.min(10, top.size()); k++) {
      strong.add((int) (top.get(k).getKey() >>> 32));
      strong.add((int) (long) top.get(k).getKey());
    }
    for (var e : index.entrySet()) {
      double[] p = pos[e.getValue()];
      boolean isCenter = e.getKey() == center;
      double r = isCenter ? 11 : 6;
      Ellipse2D dot = new Ellipse2D.Double(ox + p[0] * PANEL - r, oy + p[1] * PANEL - r, 2 * r, 2 * r);
      g.setColor(nodeClass != null ? PALETTE[nodeClass[e.getKey()] % PALETTE.length]
          : isCenter ? new Color(0xff9f1c) : new Color(0x9e9e9e));
      g.fill(dot);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(isCenter ? 3f : 1.5f));
      g.draw(dot);
    }
    // labels after every dot, each on a pale box, so that neither a thick edge nor a later dot
    // hides one
    java.awt.FontMetrics fm = g.getFontMetrics();
    for (var e : index.entrySet()) {
      boolean isCenter = e.getKey() == center;
      if (!(labels || isCenter || strong.contains(e.getKey()))) continue;
      double[] p = pos[e.getValue()];
      double r = isCenter ? 11 : 6;
      String label = Integer.toString(e.getKey());
      float lx = (float) (ox + p[0] * PANEL + r + 2);
      float ly = (float) (oy + p[1] * PANEL - r);
      g.setColor(new Color(255, 255, 255, 200));
      g.fillRect((int) lx - 1, (int) ly - fm.getAscent() + 1, fm.stringWidth(label) + 2, fm.getAscent());
      g.setColor(Color.BLACK);
      g.drawString(label, lx, ly);
    }
    caption(g, title, top.size(), pairs.size(), center, nodeClass != null);
    legend(g, max, signed);
    if (nodeClass != null) classLegend(g, nodeClass, index.keySet());
    g.dispose();
    Png.write(file, img);
  }

  /** Undirected pairs (min << 32 | max) with the larger-magnitude importance of either direction; zeros left out. */
  static Map<Long, Float> strongestPairs(EdgeIndex edges, float[] importance) {
    Map<Long, Float> m = new HashMap<>();
    int[] s = edges.src();
    int[] d = edges.dst();
    for (int k = 0; k < s.length; k++) {
      if (importance[k] == 0f || s[k] == d[k]) continue;
      long key = ((long) Math.min(s[k], d[k]) << 32) | Math.max(s[k], d[k]);
      Float old = m.get(key);
      if (old == null || Math.abs(importance[k]) > Math.abs(old)) m.put(key, importance[k]);
    }
    return m;
  }

  /** Positions in [0.05, 0.95]^2: seeded Fruchterman-Reingold, node 0 pinned at the centre if asked. */
  static double[][] layout(int n, int[][] links, boolean pinFirst) {
    SplittableRandom rng = new SplittableRandom(7);
    double[][] p = new double[n][2];
    for (double[] q : p) {
      q[0] = rng.nextDouble();
      q[1] = rng.nextDouble();
    }
    if (pinFirst && n > 0) p[0] = new double[] {0.5, 0.5};
    double k = Math.sqrt(1.0 / Math.max(1, n));
    double temp = 0.1;
    for (int it = 0; it < 300; it++) {
      double[][] f = new double[n][2];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dx = p[i][0] - p[j][0];
          double dy = p[i][1] - p[j][1];
          double dist = Math.max(1e-4, Math.hypot(dx, dy));
          double rep = k * k / dist;
          f[i][0] += dx / dist * rep;
          f[i][1] += dy / dist * rep;
          f[j][0] -= dx / dist * rep;
          f[j][1] -= dy / dist * rep;
        }
      }
      for (int[] l : links) {
        double dx = p[l[0]][0] - p[l[1]][0];
        double dy = p[l[0]][1] - p[l[1]][1];
        double dist = Math.max(1e-4, Math.hypot(dx, dy));
        double att = dist * dist / k;
        f[l[0]][0] -= dx / dist * att;
        f[l[0]][1] -= dy / dist * att;
        f[l[1]][0] += dx / dist * att;
        f[l[1]][1] += dy / dist * att;
      }
      for (int i = pinFirst ? 1 : 0; i < n; i++) {
        double len = Math.max(1e-9, Math.hypot(f[i][0], f[i][1]));
        double step = Math.min(len, temp);
        p[i][0] += f[i][0] / len * step;
        p[i][1] += f[i][1] / len * step;
      }
      temp = Math.max(0.002, temp * 0.985);
    }
    normalise(p, pinFirst);
    return p;
  }

  private static void normalise(double[][] p, boolean pinFirst) {
    if (p.length == 0) return;
    double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
    double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
    for (double[] q : p) {
      for (int d = 0; d < 2; d++) {
        lo[d] = Math.min(lo[d], q[d]);
        hi[d] = Math.max(hi[d], q[d]);
      }
    }
    double span = Math.max(1e-9, Math.max(hi[0] - lo[0], hi[1] - lo[1]));
    for (double[] q : p) {
      for (int d = 0; d < 2; d++) q[d] = 0.05 + 0.9 * (q[d] - lo[d] + (span - (hi[d] - lo[d])) / 2) / span;
    }
  }

  /** Light grey at 0 to dark red (or dark blue for negative values) at the maximum. */
  static Color colour(float t, boolean negative) {
    Color lo = new Color(0xd9d9d9);
    Color hiC = negative ? new Color(0x08306b) : new Color(0x99000d);
    return new Color(mix(lo.getRed(), hiC.getRed(), t), mix(lo.getGreen(), hiC.getGreen(), t),
        mix(lo.getBlue(), hiC.getBlue(), t));
  }

  private static int mix(int a, int b, float t) {
    return Math.round(a + (b - a) * Math.max(0, Math.min(1, t)));
  }

  private static final Color[] PALETTE = {new Color(0xbdbdbd), new Color(0x4daf4a), new Color(0x377eb8),
      new Color(0xff7f00), new Color(0x984ea3), new Color(0xe41a1c)};

  private static void classLegend(Graphics2D g, int[] nodeClass, java.util.Set<Integer> shown) {
    java.util.TreeSet<Integer> classes = new java.util.TreeSet<>();
    for (int v : shown) classes.add(nodeClass[v]);
    int x = 30;
    int y = H - 24;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString("node class:", x, y + 10);
    x += 75;
    for (int c : classes) {
      g.setColor(PALETTE[c % PALETTE.length]);
      g.fillOval(x, y, 12, 12);
      g.setColor(Color.BLACK);
      g.drawOval(x, y, 12, 12);
      g.drawString(Integer.toString(c), x + 16, y + 10);
      x += 45;
    }
  }

  private static void caption(Graphics2D g, String title, int shown, int total, int center, boolean byClass) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 30, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(String.format(Locale.ROOT, "%d most important of %d edges with non-zero importance%s",
        shown, total, center < 0 ? "" : byClass ? "; explained node ringed" : "; explained node in orange"), 30, 48);
  }

  private static void legend(Graphics2D g, float max, boolean signed) {
    int x = 760;
    int y0 = 120;
    int h = 400;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString("edge importance", x - 20, y0 - 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setPaint(new GradientPaint(x, y0, colour(1f, false), x, y0 + h, colour(0f, false)));
    g.fillRect(x, y0, 24, h);
    g.setColor(Color.BLACK);
    g.drawRect(x, y0, 24, h);
    for (int i = 0; i <= 4; i++) {
      float v = max * (4 - i) / 4f;
      int y = y0 + h * i / 4;
      g.drawLine(x + 24, y, x + 30, y);
      g.drawString(String.format(Locale.ROOT, "%.3g", v), x + 34, y + 4);
    }
    g.drawString("width and colour grow", x - 20, y0 + h + 24);
    g.drawString("with |importance|", x - 20, y0 + h + 40);
    if (signed) {
      g.setColor(colour(1f, true));
      g.fillRect(x - 20, y0 + h + 52, 24, 10);
      g.setColor(Color.BLACK);
      g.drawString("negative (blue)", x + 10, y0 + h + 62);
    }
    g.drawString("both directions of a pair:", x - 20, y0 + h + 84);
    g.drawString("the larger is drawn", x - 20, y0 + h + 100);
  }
}
