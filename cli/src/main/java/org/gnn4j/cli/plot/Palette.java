package org.gnn4j.cli.plot;

import java.awt.Color;

/**
 * Colours shared by the pictures: a sequential map for weights (viridis' anchor colours,
 * interpolated: perceptually ordered and readable in grey) and a categorical one for classes
 * (the ten "tab10" colours, then darker and lighter variants of them).
 */
public final class Palette {
  private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
      0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
  private static final int[] TAB10 = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
      0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

  private Palette() {}

  /** The sequential colour of t in [0, 1] (clamped). */
  public static Color sequential(double t) {
    double u = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(u));
    double f = u - i;
    Color a = new Color(VIRIDIS[i]);
    Color b = new Color(VIRIDIS[i + 1]);
    return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f),
        mix(a.getBlue(), b.getBlue(), f));
  }

  /** A distinct colour for class k >= 0. */
  public static Color category(int k) {
    Color c = new Color(TAB10[Math.floorMod(k, TAB10.length)]);
    int round = Math.floorMod(k, 3 * TAB10.length) / TAB10.length;
    return round == 0 ? c : round == 1 ? c.darker() : c.brighter();
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }
}
