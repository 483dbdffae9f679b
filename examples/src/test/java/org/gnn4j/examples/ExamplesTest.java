package org.gnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example, so they stay compiling and correct as the library changes. */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void trainSaveThenLoadAndPredictOnANewGraph() {
    Path ckpt = dir.resolve("model.ckpt");
    Map<String, Double> metrics = TrainAndSave.run(ckpt, 60);
    assertTrue(Files.isRegularFile(ckpt));
    assertTrue(metrics.get("train_accuracy") > 0.99, metrics.toString());   // four labelled members, fitted
    int[] cls = PredictFromCheckpoint.run(ckpt);
    assertEquals(6, cls.length);
    for (int c : cls) assertTrue(c >= 0 && c < 4, java.util.Arrays.toString(cls));
    assertArrayEquals(cls, PredictFromCheckpoint.run(ckpt), "a loaded model predicts deterministically");
  }

  @Test
  void readmeExampleRuns() {
    Path ckpt = dir.resolve("model.ckpt");
    TrainAndSave.run(ckpt, 5);
    assertEquals(34, ReadmeExample.run(ckpt).length);
  }

  @Test
  void theReadmeShowsTheExampleAsCompiled() throws java.io.IOException {
    String src = Files.readString(Path.of("src/main/java/org/gnn4j/examples/ReadmeExample.java"));
    String body = src.substring(src.indexOf("// README:BEGIN\n") + "// README:BEGIN\n".length(),
        src.indexOf("  // README:END"));
    StringBuilder expected = new StringBuilder();
    for (String line : body.split("\n")) expected.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("```java\n" + expected + "```"),
        "README.md's \"Use from Java\" example differs from ReadmeExample.run; copy it over");
  }

  @Test
  void pygWeightsGivePygsOutput() {
    PygWeights.Outputs o = PygWeights.run();
    assertEquals(o.pyg().length, o.gnn4j().length);
    for (int i = 0; i < o.pyg().length; i++) {
      assertEquals(o.pyg()[i], o.gnn4j()[i], 1e-4 + 1e-4 * Math.abs(o.pyg()[i]), "element " + i);
    }
  }

  @Test
  void lapPeOfAPathIsItsCosineModes() {
    int n = 6;
    int[][] path = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}};
    try (Context ctx = Context.builder().threads(1).build()) {
      Tensor pe = LapPeFromEdgeList.run(path, n, 2, ctx);
      assertArrayEquals(new int[] {n, 2}, pe.shape().toArray());
      // the first non-trivial mode of a path is antisymmetric about its middle, of unit norm
      double norm = 0;
      for (int i = 0; i < n; i++) {
        assertEquals(-pe.get(n - 1 - i, 0), pe.get(i, 0), 1e-4);
        norm += pe.get(i, 0) * pe.get(i, 0);
      }
      assertEquals(1.0, norm, 1e-4);
      // the second is symmetric
      for (int i = 0; i < n; i++) assertEquals(pe.get(n - 1 - i, 1), pe.get(i, 1), 1e-4);
    }
  }
}
