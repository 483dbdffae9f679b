package org.gnn4j.cli.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-stroke font for {@link Canvas}: each glyph is a few polylines in font units (baseline
 * at 0, y up, x-height 7, capitals and digits 10, descenders to -3), drawn with the canvas's
 * anti-aliased lines at any size, weight and rotation. It exists so that a picture with text can
 * be drawn without AWT, whose start-up (Java2D, font discovery) costs a short run more than its
 * training does. The glyphs were designed for this class; characters it lacks are drawn as a box.
 *
 * <p>Glyph syntax: strokes separated by {@code ;}; a stroke is a sequence of points {@code x,y}
 * and elliptic arcs {@code @cx,cy,rx,ry,from,to} (degrees, counter-clockwise, swept from
 * {@code from} to {@code to} in that order), joined in order.
 */
public final class StrokeFont {
  /** Font units per pixel of font size: a 14 px font has capitals 10 px high. */
  static final double UNITS_PER_EM = 14;
  private static final Glyph MISSING = parse(7, "0,0 5,0 5,10 0,10 0,0");
  private static final Glyph SPACE = new Glyph(4, new double[0][]);
  /** Glyph definitions by character (ASCII only); parsed on first use, as a run uses few. */
  private static final String[] DEFS = new String[128];
  private static final Glyph[] PARSED = new Glyph[128];

  static {
    String[] defs = {
        // lower case
        "a|7.5|5.5,7 5.5,0;@2.75,3.5,2.75,3.5,0,360",
        "b|7.5|0,10 0,0;@2.75,3.5,2.75,3.5,0,360",
        "c|7.5|@3,3.5,3,3.5,40,320",
        "d|7.5|5.5,10 5.5,0;@2.75,3.5,2.75,3.5,0,360",
        "e|7.5|0,3.5 6,3.5 @3,3.5,3,3.5,0,315",
        "f|5|4.5,9.6 @3.3,8.3,1.3,1.7,60,180 2,0;0,7 4.2,7",
        "g|7.5|@2.75,3.5,2.75,3.5,0,360;5.5,7 5.5,-0.5 @2.75,-0.5,2.75,2.5,0,-160",
        "h|7.5|0,10 0,0;0,4 @2.75,4,2.75,3,180,0 5.5,0",
        "i|3|0.5,7 0.5,0;0.5,9.3 0.5,9.8",
        "j|3.5|1.5,7 1.5,-1.5 @0,-1.5,1.5,1.5,0,-150;1.5,9.3 1.5,9.8",
        "k|7|0,10 0,0;5,7 0,2.5;1.8,4 5.5,0",
        "l|3|0.5,10 0.5,0",
        "m|10|0,7 0,0;0,4.5 @2,4.5,2,2.5,180,0 4,0;4,4.5 @6,4.5,2,2.5,180,0 8,0",
        "n|7.5|0,7 0,0;0,4 @2.75,4,2.75,3,180,0 5.5,0",
        "o|8|@3,3.5,3,3.5,0,360",
        "p|7.5|0,7 0,-3;@2.75,3.5,2.75,3.5,0,360",
        "q|7.5|5.5,7 5.5,-3;@2.75,3.5,2.75,3.5,0,360",
        "r|5|0,7 0,0;0,4 @3,4,3,3,180,60",
        "s|7|@2.75,5.25,2.5,1.75,20,270 @2.75,1.75,2.6,1.75,90,-160",
        "t|5.5|1.5,9.5 1.5,1.5 @3,1.5,1.5,1.5,180,300;0,7 4,7",
        "u|7.5|0,7 0,3 @2.75,3,2.75,3,180,360;5.5,7 5.5,0",
        "v|7.5|0,7 3,0 6,7",
        "w|10|0,7 2,0 4,6 6,0 8,7",
        "x|7|0,7 5.5,0;0,0 5.5,7",
        "y|7.5|0,7 3,0;6,7 2,-3 0.5,-3",
        "z|7|0,7 5.5,7 0,0 5.5,0",
        // capitals
        "A|8.5|0,0 3.5,10 7,0;1.3,3.5 5.7,3.5",
        "B|8.5|0,5 0,10 3.8,10 @3.8,7.5,2.4,2.5,90,-90 0,5;0,5 4.2,5 @4.2,2.5,2.6,2.5,90,-90 0,0 0,5",
        "C|9.5|@4,5,4,5,40,320",
        "D|9|0,0 0,10 3,10 @3,5,4,5,90,-90 0,0",
        "E|8|6,10 0,10 0,0 6,0;0,5 5,5",
        "F|7.5|6,10 0,10 0,0;0,5 5,5",
        "G|10|@4,5,4,5,40,360 4.5,5",
        "H|9|0,0 0,10;7,0 7,10;0,5 7,5",
        "I|3|0.5,0 0.5,10",
        "J|7|5,10 5,3 @2.5,3,2.5,3,0,-180",
        "K|8.5|0,0 0,10;6.5,10 0,3.5;2,5.5 7,0",
        "L|7.5|0,10 0,0 6,0",
        "M|11|0,0 0,10 4.5,2 9,10 9,0",
        "N|9|0,0 0,10 7,0 7,10",
        "O|10.5|@4.25,5,4.25,5,0,360",
        "P|8.5|0,0 0,10 4,10 @4,7.25,2.75,2.75,90,-90 0,4.5",
        "Q|10.5|@4.25,5,4.25,5,0,360;5,2.5 8.5,-0.5",
        "R|9|0,0 0,10 4,10 @4,7.25,2.75,2.75,90,-90 0,4.5;3.5,4.5 7,0",
        "S|9|@3.5,7.5,3.3,2.5,20,270 @3.5,2.5,3.5,2.5,90,-160",
        "T|9|0,10 8,10;4,10 4,0",
        "U|9|0,10 0,3.5 @3.5,3.5,3.5,3.5,180,360 7,10",
        "V|9.5|0,10 4,0 8,10",
        "W|12.5|0,10 2.5,0 5.5,8 8.5,0 11,10",
        "X|8.5|0,10 7,0;0,0 7,10",
        "Y|9.5|0,10 4,5 8,10;4,5 4,0",
        "Z|8.5|0,10 7,10 0,0 7,0",
        // digits: one advance, so tick labels line up
        "0|8|@3,5,3,5,0,360",
        "1|8|1,8 3.5,10 3.5,0",
        "2|8|@3,7,3,3,150,-30 0,0 6,0",
        "3|8|@3,7.5,2.8,2.5,150,-90 @3,2.5,3,2.5,90,-150",
        "4|8|4.5,0 4.5,10 0,3 6.5,3",
        "5|8|5.5,10 1,10 0.5,5.6 @3,3.2,3,3.2,130,-150",
        "6|8|@3,3,3,3,0,360;0,3 @4,4.5,4,5.5,180,95",
        "7|8|0,10 6,10 2,0",
        "8|8|@3,7.5,2.6,2.5,0,360;@3,2.5,3,2.5,0,360",
        "9|8|@3,7,3,3,0,360;6,7 @2,5.5,4,5.5,0,-85",
        // punctuation
        ".|3|0.5,0 0.5,0.5",
        ",|3|0.8,0.5 0,-1.5",
        ":|3|0.5,0 0.5,0.5;0.5,5 0.5,5.5",
        ";|3|0.8,0.5 0,-1.5;0.8,5 0.8,5.5",
        "-|6|0,4 4,4",
        "+|8|0,4 6,4;3,1 3,7",
        "=|8|0,2.5 6,2.5;0,5.5 6,5.5",
        "(|4|@4.5,4,4,6.5,120,240",
        ")|4|@-2,4,4,6.5,60,-60",
        "[|4|2.5,10.5 0,10.5 0,-2 2.5,-2",
        "]|4|0,10.5 2.5,10.5 2.5,-2 0,-2",
        "/|6|0,-1 5,10",
        "_|7|0,-1.5 6,-1.5",
        "%|9|0,0 7,10;@1.5,8,1.5,2,0,360;@5.5,2,1.5,2,0,360",
        "@|11|@5,4.5,2,2.2,0,360;7,6.7 7,3 @8.2,3,1.2,1.3,180,360 @5,4.5,4.4,5.5,-15,300",
        "<|8|6,7 0,4 6,1",
        ">|8|0,7 6,4 0,1",
        "!|3|0.5,10 0.5,2.5;0.5,0 0.5,0.5",
        "?|7|@3,7.5,3,2.5,160,-60 3,3;3,0 3,0.5",
        "'|3|0.5,10 0.5,7",
        "\"|5|0.5,10 0.5,7;3,10 3,7",
        "*|7|3,8 3,2;0.4,6.5 5.6,3.5;0.4,3.5 5.6,6.5",
        "#|9|2.5,0 3.5,10;5.5,0 6.5,10;0.5,3.5 7.5,3.5;1,6.5 8,6.5",
        "||3|0.5,11 0.5,-3",
        "^|7|0,7 3,10 6,7",
        "&|9|7,0 @2.8,7.8,1.8,2.2,-45,230 @3.2,2.5,3.2,2.5,140,360 5.5,5.5 7,5.5",
    };
    for (String d : defs) DEFS[d.charAt(0)] = d;
  }

  private StrokeFont() {}

  /** One glyph: its advance and its strokes, each {x0, y0, x1, y1, ...} in font units. */
  record Glyph(double advance, double[][] strokes) {}

  static Glyph glyph(char c) {
    if (c == ' ') return SPACE;
    if (c >= DEFS.length || DEFS[c] == null) return MISSING;
    synchronized (PARSED) {
      if (PARSED[c] == null) {
        // the character itself may be '|', so the fields are found after it
        String rest = DEFS[c].substring(2);
        int bar = rest.indexOf('|');
        PARSED[c] = parse(Double.parseDouble(rest.substring(0, bar)), rest.substring(bar + 1));
      }
      return PARSED[c];
    }
  }

  /** True when the font has a glyph of its own for c (others are drawn as a box). */
  public static boolean has(char c) {
    return c == ' ' || c < DEFS.length && DEFS[c] != null;
  }

  /** The advance of text at the given size in pixels. */
  public static double width(String text, double size) {
    double w = 0;
    for (int i = 0; i < text.length(); i++) w += glyph(text.charAt(i)).advance();
    return w * size / UNITS_PER_EM;
  }

  private static Glyph parse(double advance, String def) {
    List<double[]> strokes = new ArrayList<>();
    for (String stroke : def.split(";")) {
      List<Double> pts = new ArrayList<>();
      for (String tok : stroke.split(" ")) {
        if (tok.startsWith("@")) {
          String[] a = tok.substring(1).split(",");
          double cx = Double.parseDouble(a[0]);
          double cy = Double.parseDouble(a[1]);
          double rx = Double.parseDouble(a[2]);
          double ry = Double.parseDouble(a[3]);
          double from = Double.parseDouble(a[4]);
          double to = Double.parseDouble(a[5]);
          int n = Math.max(4, (int) Math.ceil(Math.abs(to - from) / 10));
          for (int k = 0; k <= n; k++) {
            double t = Math.toRadians(from + (to - from) * k / n);
            pts.add(cx + rx * Math.cos(t));
            pts.add(cy + ry * Math.sin(t));
          }
        } else {
          String[] p = tok.split(",");
          pts.add(Double.parseDouble(p[0]));
          pts.add(Double.parseDouble(p[1]));
        }
      }
      double[] xy = new double[pts.size()];
      for (int i = 0; i < xy.length; i++) xy[i] = pts.get(i);
      strokes.add(xy);
    }
    return new Glyph(advance, strokes.toArray(double[][]::new));
  }
}
