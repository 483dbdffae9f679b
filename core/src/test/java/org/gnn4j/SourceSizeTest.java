package org.gnn4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The line budget of STYLE.md as a build check: no main source file over 800 lines (kernel
 * families may reach that; everything else should stay near 300). Readability, not golf.
 */
class SourceSizeTest {
  private static final int CEILING = 800;

  @Test
  void noMainSourceFileExceedsTheCeiling() throws IOException {
    Path root = Path.of("src/main/java");
    List<String> over = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        long lines = Files.lines(p).count();
        if (lines > CEILING) over.add(root.relativize(p) + " (" + lines + " lines)");
      }
    }
    assertTrue(over.isEmpty(), "files over " + CEILING + " lines: " + over);
  }
}
