package org.gnn4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The AWT-free canvas: its PNG decodes to its pixels, and each shape covers what it should. */
class CanvasTest {
  private static final int WHITE = 0xffffff;
  private static final int RED = 0xd62728;

  @Test
  void pngDecodesToTheCanvasPixels() throws Exception {
    Canvas c = new Canvas(37, 23, 0x102030);
    c.fillRect(3, 4, 20, 9, 0xabcdef);
    c.polyline(new double[] {1, 20, 35, 2, 30, 22}, 2.3, RED);
    c.text("Ab1@", 2, 18, 11, 1, Canvas.Align.LEFT, false, 0xfefefe);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.png()));
    assertEquals(37, img.getWidth());
    assertEquals(23, img.getHeight());
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) assertEquals(c.rgb(x, y), img.getRGB(x, y) & 0xffffff, x + "," + y);
    }
  }

  @Test
  void aHorizontalLineCoversItsRowsFullyAndNothingBeyond() {
    Canvas c = new Canvas(40, 20, WHITE);
    c.polyline(new double[] {10, 10, 30, 10}, 2, RED);
    // a 2-px line centred on y = 10 covers the pixel rows 9 and 10 completely
    for (int x = 11; x < 29; x++) {
      assertEquals(RED, c.rgb(x, 9));
      assertEquals(RED, c.rgb(x, 10));
      assertEquals(WHITE, c.rgb(x, 7));
      assertEquals(WHITE, c.rgb(x, 12));
    }
    // round ends: just past the end, partly covered; further, untouched
    assertNotEquals(WHITE, c.rgb(30, 9));
    assertEquals(WHITE, c.rgb(33, 9));
    assertEquals(WHITE, c.rgb(5, 10));
  }

  /** Overlapping pieces of one shape are covered once: retracing a segment changes nothing. */
  @Test
  void overlapsWithinAShapeAreNotBlendedTwice() {
    Canvas once = new Canvas(40, 40, WHITE);
    once.polyline(new double[] {5.3, 20.6, 33.1, 8.2}, 1.7, 0x404040);
    Canvas twice = new Canvas(40, 40, WHITE);
    twice.polyline(new double[] {5.3, 20.6, 33.1, 8.2, 5.3, 20.6}, 1.7, 0x404040);
    int partial = 0;
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        assertEquals(once.rgb(x, y), twice.rgb(x, y), x + "," + y);
        if (once.rgb(x, y) != WHITE && once.rgb(x, y) != 0x404040) partial++;
      }
    }
    assertTrue(partial > 20, "an anti-aliased edge has partly covered pixels");
  }

  @Test
  void dashesLeaveGaps() {
    Canvas c = new Canvas(10, 60, WHITE);
    c.dashedLine(5, 0, 5, 60, 1.2, 5, 4, RED);
    int covered = 0;
    for (int y = 0; y < 60; y++) if (c.rgb(5, y) != WHITE) covered++;
    assertTrue(covered > 25 && covered < 50, covered + " of 60 pixels on a dashed line");
  }

  @Test
  void aDiscIsFilledInsideItsRadius() {
    Canvas c = new Canvas(30, 30, WHITE);
    c.disc(15, 15, 5, RED);
    assertEquals(RED, c.rgb(14, 14));
    assertEquals(RED, c.rgb(17, 15));
    assertEquals(WHITE, c.rgb(22, 15));
    assertEquals(WHITE, c.rgb(15, 8));
  }

  @Test
  void textStaysInsideTheBoxItsWidthAndSizeGive() {
    for (Canvas.Align align : Canvas.Align.values()) {
      Canvas c = new Canvas(200, 40, WHITE);
      String s = "validation 0.8315";
      double w = StrokeFont.width(s, 14);
      double left = align == Canvas.Align.LEFT ? 50 : align == Canvas.Align.CENTER ? 50 - w / 2 : 50 - w;
      c.text(s, 50, 25, 14, 1.2, align, false, 0x000000);
      int inked = 0;
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 200; x++) {
          if (c.rgb(x, y) == WHITE) continue;
          inked++;
          assertTrue(x >= left - 2 && x <= left + w + 2, align + ": ink at x " + x);
          // capitals reach 10/14 of the size above the baseline, descenders 3/14 below
          assertTrue(y >= 25 - 14 * 10.0 / 14 - 2 && y <= 25 + 14 * 3.0 / 14 + 2, align + ": ink at y " + y);
        }
      }
      assertTrue(inked > 100, "text was drawn");
    }
  }

  @Test
  void upwardTextRunsBottomToTop() {
    Canvas c = new Canvas(40, 200, WHITE);
    c.text("accuracy", 20, 100, 14, 1.2, Canvas.Align.CENTER, true, 0x000000);
    int top = 200;
    int bottom = -1;
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 40; x++) {
        if (c.rgb(x, y) != WHITE) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    double w = StrokeFont.width("accuracy", 14);
    assertEquals(w, bottom - top, 4, "the text's length runs along y");
  }

  @Test
  void everyPrintableAsciiCharacterHasItsOwnGlyphOrIsNamedMissing() {
    int missing = 0;
    for (char ch = 32; ch < 127; ch++) if (!StrokeFont.has(ch)) missing++;
    // the metric names, numbers and legends need letters, digits and common punctuation
    for (char ch : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:-+()@_%/".toCharArray()) {
      assertTrue(StrokeFont.has(ch), "no glyph for '" + ch + "'");
    }
    assertTrue(missing < 8, missing + " ASCII characters without a glyph");
  }

  @Test
  void rectanglesAreClippedToTheCanvas() {
    Canvas c = new Canvas(10, 10, WHITE);
    c.fillRect(-5, 8, 50, 40, RED);
    c.fillRect(30, 0, 60, 5, 0x000000);
    c.fillRect(6, 6, 2, 2, 0x000000);
    for (int x = 0; x < 10; x++) {
      assertEquals(RED, c.rgb(x, 9));
      assertEquals(WHITE, c.rgb(x, 7));
    }
  }

  @Test
  void aCanvasMustHaveAnArea() {
    assertThrows(IllegalArgumentException.class, () -> new Canvas(0, 10, WHITE));
  }
}
