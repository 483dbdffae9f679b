package org.gnn4j.cli.plot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * An RGB picture drawn without AWT: rectangles, anti-aliased polylines (round ends and joins,
 * optionally dashed), discs and {@link StrokeFont} text, encoded as PNG. The training plot uses
 * it because a run writes it at its very end, where Java2D's and the font system's start-up
 * would be paid in full; the richer pictures (heat maps, graph drawings) stay on Java2D.
 *
 * <p>A shape is first rendered into a coverage mask (each pixel keeps the largest coverage any
 * of its pieces gives it), then blended once in its colour: joins of a polyline and crossings
 * of a glyph's strokes are therefore not darker than the stroke itself. Drawing is pure double
 * arithmetic, so the same calls give the same bytes on every machine.
 */
public final class Canvas {
  /** How text is placed relative to the given point, horizontally. */
  public enum Align { LEFT, CENTER, RIGHT }

  private final int width;
  private final int height;
  private final int[] rgb;
  private final float[] mask;
  private int dirtyX0;
  private int dirtyY0;
  private int dirtyX1 = -1;
  private int dirtyY1 = -1;

  /** A width x height picture filled with the background colour (0xRRGGBB). */
  public Canvas(int width, int height, int background) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("canvas size " + width + "x" + height + " is not positive");
    }
    this.width = width;
    this.height = height;
    this.rgb = new int[width * height];
    this.mask = new float[width * height];
    Arrays.fill(rgb, background & 0xffffff);
    resetDirty();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The colour of pixel (x, y) as 0xRRGGBB. */
  public int rgb(int x, int y) {
    return rgb[y * width + x];
  }

  /** Fills the pixels whose centres lie in [x0, x1) x [y0, y1). */
  public void fillRect(double x0, double y0, double x1, double y1, int color) {
    int ax = Math.clamp((long) Math.ceil(x0 - 0.5), 0, width);
    int bx = Math.clamp((long) Math.ceil(x1 - 0.5), ax, width);
    int ay = Math.clamp((long) Math.ceil(y0 - 0.5), 0, height);
    int by = Math.clamp((long) Math.ceil(y1 - 0.5), ay, height);
    for (int y = ay; y < by; y++) Arrays.fill(rgb, y * width + ax, y * width + bx, color & 0xffffff);
  }

  /** A polyline through {x0, y0, x1, y1, ...} in pixels, lineWidth wide. */
  public void polyline(double[] xy, double lineWidth, int color) {
    strokeInto(xy, lineWidth / 2);
    blend(color);
  }

  /** A straight line drawn as dashes of length on separated by gaps of length off. */
  public void dashedLine(double x0, double y0, double x1, double y1, double lineWidth,
                         double on, double off, int color) {
    double len = Math.hypot(x1 - x0, y1 - y0);
    if (len == 0) return;
    double ux = (x1 - x0) / len;
    double uy = (y1 - y0) / len;
    for (double s = 0; s < len; s += on + off) {
      double e = Math.min(len, s + on);
      segment(x0 + ux * s, y0 + uy * s, x0 + ux * e, y0 + uy * e, lineWidth / 2);
    }
    blend(color);
  }

  /** A filled disc of radius r centred at (cx, cy). */
  public void disc(double cx, double cy, double r, int color) {
    segment(cx, cy, cx, cy, r);
    blend(color);
  }

  /**
   * Text whose baseline starts (LEFT), is centred (CENTER) or ends (RIGHT) at (x, y); size is
   * the font size in pixels, weight the stroke width in pixels; upward draws it rotated a
   * quarter turn counter-clockwise, reading bottom to top (a y axis's label).
   */
  public void text(String text, double x, double y, double size, double weight, Align align,
                   boolean upward, int color) {
    double scale = size / StrokeFont.UNITS_PER_EM;
    double w = StrokeFont.width(text, size);
    double start = align == Align.LEFT ? 0 : align == Align.CENTER ? -w / 2 : -w;
    double pen = start / scale;
    for (int i = 0; i < text.length(); i++) {
      StrokeFont.Glyph g = StrokeFont.glyph(text.charAt(i));
      for (double[] stroke : g.strokes()) {
        double[] p = new double[stroke.length];
        for (int k = 0; k < stroke.length; k += 2) {
          double u = (pen + stroke[k]) * scale;
          double v = stroke[k + 1] * scale;
          p[k] = upward ? x - v : x + u;
          p[k + 1] = upward ? y - u : y - v;
        }
        strokeInto(p, weight / 2);
      }
      pen += g.advance();
    }
    blend(color);
  }

  private void strokeInto(double[] xy, double halfWidth) {
    if (xy.length == 2) {
      segment(xy[0], xy[1], xy[0], xy[1], halfWidth);
      return;
    }
    for (int k = 0; k + 3 < xy.length; k += 2) segment(xy[k], xy[k + 1], xy[k + 2], xy[k + 3], halfWidth);
  }

  /**
   * Coverage of a capsule (a segment thickened by halfWidth, round ends): a pixel's coverage is
   * approximated by how far its centre lies inside the edge, clamped to [0, 1], which is exact
   * for an edge crossing the pixel straight and close enough at any angle to read as smooth.
   */
  private void segment(double x0, double y0, double x1, double y1, double halfWidth) {
    double reach = halfWidth + 1;
    int ax = Math.max(0, (int) Math.floor(Math.min(x0, x1) - reach));
    int bx = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + reach));
    int ay = Math.max(0, (int) Math.floor(Math.min(y0, y1) - reach));
    int by = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + reach));
    if (ax > bx || ay > by) return;
    double dx = x1 - x0;
    double dy = y1 - y0;
    double len2 = dx * dx + dy * dy;
    double inv = len2 == 0 ? 0 : 1 / len2;
    double outer = (halfWidth + 0.5) * (halfWidth + 0.5);
    for (int py = ay; py <= by; py++) {
      double cy = py + 0.5;
      for (int px = ax; px <= bx; px++) {
        double cx = px + 0.5;
        double t = Math.max(0, Math.min(1, ((cx - x0) * dx + (cy - y0) * dy) * inv));
        double ex = cx - (x0 + t * dx);
        double ey = cy - (y0 + t * dy);
        double d2 = ex * ex + ey * ey;
        if (d2 >= outer) continue;
        float c = (float) Math.min(1, halfWidth + 0.5 - Math.sqrt(d2));
        int i = py * width + px;
        if (c > mask[i]) mask[i] = c;
      }
    }
    dirtyX0 = Math.min(dirtyX0, ax);
    dirtyY0 = Math.min(dirtyY0, ay);
    dirtyX1 = Math.max(dirtyX1, bx);
    dirtyY1 = Math.max(dirtyY1, by);
  }

  private void blend(int color) {
    int r = (color >> 16) & 0xff;
    int g = (color >> 8) & 0xff;
    int b = color & 0xff;
    for (int y = dirtyY0; y <= dirtyY1; y++) {
      for (int x = dirtyX0; x <= dirtyX1; x++) {
        int i = y * width + x;
        float a = mask[i];
        if (a == 0) continue;
        mask[i] = 0;
        int p = rgb[i];
        rgb[i] = mix((p >> 16) & 0xff, r, a) << 16 | mix((p >> 8) & 0xff, g, a) << 8 | mix(p & 0xff, b, a);
      }
    }
    resetDirty();
  }

  private static int mix(int from, int to, float a) {
    return Math.round(from + (to - from) * a);
  }

  private void resetDirty() {
    dirtyX0 = width;
    dirtyY0 = height;
    dirtyX1 = -1;
    dirtyY1 = -1;
  }

  /**
   * The picture as a PNG file's bytes: 8-bit RGB, one IDAT chunk, each row filtered with
   * "up" (the previous row subtracted), which turns a chart's long vertical runs of one colour
   * into zeros for the deflater.
   */
  public byte[] png() {
    byte[] raw = new byte[height * (1 + 3 * width)];
    int o = 0;
    for (int y = 0; y < height; y++) {
      raw[o++] = 2;
      for (int x = 0; x < width; x++) {
        int p = rgb[y * width + x];
        int q = y == 0 ? 0 : rgb[(y - 1) * width + x];
        raw[o++] = (byte) (((p >> 16) & 0xff) - ((q >> 16) & 0xff));
        raw[o++] = (byte) (((p >> 8) & 0xff) - ((q >> 8) & 0xff));
        raw[o++] = (byte) ((p & 0xff) - (q & 0xff));
      }
    }
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 8 + 64);
    byte[] buf = new byte[1 << 16];
    while (!deflater.finished()) idat.write(buf, 0, deflater.deflate(buf));
    deflater.end();

    ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, width);
    putInt(ihdr, 4, height);
    ihdr[8] = 8;  // bits per channel
    ihdr[9] = 2;  // colour type: RGB
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] head = new byte[8];
    putInt(head, 0, data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, head, 4, 4);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] tail = new byte[4];
    putInt(tail, 0, (int) crc.getValue());
    out.writeBytes(head);
    out.writeBytes(data);
    out.writeBytes(tail);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
