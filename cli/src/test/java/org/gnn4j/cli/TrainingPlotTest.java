package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gnn4j.cli.plot.Canvas;
import org.gnn4j.cli.plot.StrokeFont;
import org.gnn4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curves.png: written, decodable, its size, each curve in its panel and colour, the selected
 * epoch marked, the axes' ticks, the same bytes every time, and no AWT on its path.
 */
class TrainingPlotTest {
  private static List<Trainer.EpochResult> history(boolean validation) {
    List<Trainer.EpochResult> h = new ArrayList<>();
    for (int e = 1; e <= 40; e++) {
      Map<String, Double> m = validation
          ? Map.of("val_accuracy", 0.5 + 0.4 * (1 - Math.exp(-e / 8.0)), "val_loss", 2.0 / e + 0.3)
          : Map.of();
      h.add(new Trainer.EpochResult(e, 40, 2.0 / Math.sqrt(e), 0.01, m, 0.1, e == 31));
    }
    return h;
  }

  private static int count(BufferedImage img, int x0, int x1, int rgb) {
    int n = 0;
    for (int x = x0; x < x1; x++) {
      for (int y = 0; y < img.getHeight(); y++) if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
    }
    return n;
  }

  @Test
  void drawsEachCurveInItsPanel(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("curves.png");
    TrainingPlot.write(file, history(true), "accuracy", 31);
    BufferedImage img = ImageIO.read(file.toFile());
    assertNotNull(img);
    assertEquals(TrainingPlot.W, img.getWidth());
    assertEquals(TrainingPlot.H, img.getHeight());
    int half = TrainingPlot.W / 2;
    assertTrue(count(img, 0, half, TrainingPlot.TRAIN) > 100, "training loss on the left");
    assertTrue(count(img, 0, half, TrainingPlot.VAL) > 100, "validation loss on the left");
    assertEquals(0, count(img, half, img.getWidth(), TrainingPlot.TRAIN), "no training curve on the right");
    assertTrue(count(img, half, img.getWidth(), TrainingPlot.VAL) > 100, "validation metric on the right");
    // the selected epoch: a dashed line and a point in each panel
    assertTrue(count(img, 0, half, TrainingPlot.BEST) > 60);
    assertTrue(count(img, half, img.getWidth(), TrainingPlot.BEST) > 60);
  }

  @Test
  void withoutValidationTheRightPanelIsEmpty(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("curves.png");
    TrainingPlot.write(file, history(false), "accuracy", 31);
    BufferedImage img = ImageIO.read(file.toFile());
    int half = TrainingPlot.W / 2;
    assertTrue(count(img, 0, half, TrainingPlot.TRAIN) > 100);
    assertEquals(0, count(img, 0, half, TrainingPlot.VAL));
    assertEquals(0, count(img, half, img.getWidth(), TrainingPlot.VAL));
  }

  /** A single epoch, a flat zero loss, no finite value at all: still a picture, no exception. */
  @Test
  void degenerateHistoriesStillDraw(@TempDir Path tmp) throws Exception {
    List<List<Trainer.EpochResult>> cases = List.of(
        List.of(new Trainer.EpochResult(1, 1, 0.0, 0.01, Map.of("val_mae", 0.0), 0, true)),
        List.of(new Trainer.EpochResult(1, 2, 0.0, 0.01, Map.of(), 0, true),
            new Trainer.EpochResult(2, 2, 0.0, 0.01, Map.of(), 0, false)),
        List.of(new Trainer.EpochResult(1, 1, Double.NaN, 0.01, Map.of("val_mae", Double.POSITIVE_INFINITY), 0, true)),
        List.of());
    int i = 0;
    for (List<Trainer.EpochResult> h : cases) {
      Path file = tmp.resolve("c" + i++ + ".png");
      TrainingPlot.write(file, h, "mae", 1);
      assertEquals(TrainingPlot.W, ImageIO.read(file.toFile()).getWidth());
    }
    TrainingPlot.Axis flat = new TrainingPlot.Axis(-0.5, 0.5, 400, 40, false);
    assertEquals(List.of("-0.4", "-0.2", "0.0", "0.2", "0.4"), flat.ticks().stream().map(flat::label).toList());
  }

  @Test
  void theSameHistoryGivesTheSameBytes(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a.png");
    Path b = tmp.resolve("b.png");
    TrainingPlot.write(a, history(true), "accuracy", 31);
    TrainingPlot.write(b, history(true), "accuracy", 31);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    try (var files = Files.list(tmp)) {
      assertEquals(2, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void ticksAreRoundNumbersLabelledWithTheDecimalsTheyNeed() {
    TrainingPlot.Axis y = new TrainingPlot.Axis(0.512, 0.803, 400, 40, false);
    assertEquals(0.05, y.step(), 1e-12);
    assertEquals(List.of("0.55", "0.60", "0.65", "0.70", "0.75", "0.80"),
        y.ticks().stream().map(y::label).toList());
    TrainingPlot.Axis x = new TrainingPlot.Axis(-3, 203, 80, 530, true);
    assertEquals(List.of("0", "50", "100", "150", "200"), x.ticks().stream().map(x::label).toList());
    TrainingPlot.Axis few = new TrainingPlot.Axis(0.9, 3.1, 80, 530, true);
    assertEquals(1, few.step(), "epochs are whole numbers");
    assertEquals(400, y.at(0.512), 1e-9);
    assertEquals(40, y.at(0.803), 1e-9);
  }

  /**
   * The point of drawing on a Canvas: none of the classes on the plot's path refers to AWT, so
   * writing curves.png cannot start Java2D.
   */
  @Test
  void thePlotsClassesDoNotUseAwt() throws Exception {
    for (Class<?> c : List.of(TrainingPlot.class, TrainingPlot.Axis.class, TrainingPlot.Series.class,
        Canvas.class, Canvas.Align.class, StrokeFont.class)) {
      String name = c.getName().replace('.', '/') + ".class";
      try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
        String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains("java/awt") || bytes.contains("javax/imageio")
            || bytes.contains("org/jfree"), name + " refers to AWT");
      }
    }
  }
}
