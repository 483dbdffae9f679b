package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gnn4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curves.png: written, decodable, its size, drawn (not blank), with and without validation. */
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

  @Test
  void writesBothPanels(@TempDir Path tmp) throws Exception {
    for (boolean validation : new boolean[] {true, false}) {
      Path file = tmp.resolve("curves-" + validation + ".png");
      TrainingPlot.write(file, history(validation), "accuracy", 31);
      BufferedImage img = ImageIO.read(file.toFile());
      assertNotNull(img);
      assertEquals(1100, img.getWidth());
      assertEquals(440, img.getHeight());
      // the loss curve is drawn in its colour somewhere in the left panel
      boolean blue = false;
      for (int x = 0; x < 550 && !blue; x++) {
        for (int y = 0; y < 440 && !blue; y++) blue = (img.getRGB(x, y) & 0xffffff) == 0x1f77b4;
      }
      assertNotEquals(false, blue, "no training-loss curve in the left panel");
    }
  }

  /** The warm-up writes no file and leaves the real plot byte-for-byte what it would be. */
  @Test
  void warmUpChangesNeitherTheDirectoryNorThePlot(@TempDir Path tmp) throws Exception {
    Path before = tmp.resolve("before.png");
    TrainingPlot.write(before, history(true), "accuracy", 31);
    TrainingPlot.warmUp();
    Path after = tmp.resolve("after.png");
    TrainingPlot.write(after, history(true), "accuracy", 31);
    try (var files = java.nio.file.Files.list(tmp)) {
      assertEquals(2, files.count());
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(before),
        java.nio.file.Files.readAllBytes(after));
  }
}
