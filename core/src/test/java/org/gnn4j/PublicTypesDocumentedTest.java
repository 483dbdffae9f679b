package org.gnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the exported packages (all but {@code org.gnn4j.internal}) carries a
 * class comment: the part of the Javadoc contract that doclint's "missing" group would check
 * together with a comment on every member, which the javadoc build leaves out.
 */
class PublicTypesDocumentedTest {
  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "\\s*public\\s+(static\\s+)?((final|abstract|sealed|non-sealed)\\s+)*(class|interface|record|enum|@interface)\\s+\\w+.*");

  @Test
  void everyPublicTypeHasAClassComment() throws IOException {
    List<String> missing = new ArrayList<>();
    Path root = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(root.resolve("org/gnn4j"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (root.relativize(f).toString().startsWith("org/gnn4j/internal/")) continue;
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (!PUBLIC_TYPE.matcher(lines.get(i)).matches()) continue;
          int j = i - 1;
          while (j >= 0 && lines.get(j).strip().startsWith("@")) j--;
          if (j < 0 || !lines.get(j).strip().endsWith("*/")) {
            missing.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertEquals(List.of(), missing, "public types without a class comment");
  }
}
