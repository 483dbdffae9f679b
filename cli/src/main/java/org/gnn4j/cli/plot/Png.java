package org.gnn4j.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.gnn4j.io.AtomicFiles;
import org.jfree.chart.JFreeChart;

/**
 * Writes the command line's pictures: AWT in headless mode (no display needed, set before the
 * first AWT class loads), and each PNG replaced atomically ({@link AtomicFiles}), so a file is
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
    try {
      AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the picture " + file, e);
    }
  }
}
