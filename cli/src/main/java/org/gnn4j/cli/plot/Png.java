package org.gnn4j.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;

/**
 * Writes the command line's pictures: AWT in headless mode (no display needed, set before the
 * first AWT class loads), and each PNG written beside its target and renamed, so a file is
 * either the old picture or the new one, never half of one.
 */
public final class Png {
  private Png() {}

  /** Must run before any AWT use; every drawing entry point calls it. */
  public static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /** Renders a chart at width x height pixels and writes it. */
  public static void write(Path file, JFreeChart chart, int width, int height) {
    headless();
    write(file, chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null));
  }

  /** @throws UncheckedIOException naming the file when it cannot be written */
  public static void write(Path file, BufferedImage image) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      ImageIO.write(image, "png", tmp.toFile());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the temp file is left only if the disk vanished
      }
      throw new UncheckedIOException("cannot write the picture " + file, e);
    }
  }
}
