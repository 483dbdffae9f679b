package org.gnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@code module-info} of gnn4j-core: every package with classes is exported except
 * the kernels under {@code org.gnn4j.internal}, and the Vector API stays optional. (The tests
 * themselves run on the class path, so this reads the descriptor rather than relying on it.)
 */
class ModuleDescriptorTest {
  private static ModuleDescriptor descriptor() throws IOException {
    Path file = Path.of("target/classes/module-info.class");
    try (InputStream in = Files.newInputStream(file)) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsEveryPackageButTheInternalOnes() throws IOException {
    ModuleDescriptor d = descriptor();
    assertEquals("org.gnn4j.core", d.name());
    Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/gnn4j"))) {
      expected = files.filter(p -> p.toString().endsWith(".java"))
          .map(p -> Path.of("src/main/java").relativize(p.getParent()).toString().replace('/', '.'))
          .filter(p -> !p.startsWith("org.gnn4j.internal"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(expected, exported);
    for (ModuleDescriptor.Exports e : d.exports()) assertFalse(e.isQualified(), e.toString());
    assertTrue(d.opens().isEmpty(), d.opens().toString());
  }

  @Test
  void theVectorApiIsOptional() throws IOException {
    ModuleDescriptor.Requires vector = descriptor().requires().stream()
        .filter(r -> r.name().equals("jdk.incubator.vector")).findFirst().orElseThrow();
    assertTrue(vector.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), vector.toString());
  }
}
