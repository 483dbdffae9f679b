package org.gnn4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Replaces a small text file of a run directory in one atomic step: the new text goes to a
 * sibling temporary file, which is then renamed over the old one, so a kill leaves either the
 * old file or the new one, never half of either.
 */
final class TextFiles {
  private TextFiles() {}

  static void replace(Path file, List<String> lines) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
