package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;
import org.gnn4j.train.ModelClosedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model errors a library caller gets as typed exceptions reach the command line as one line
 * and exit code 1: a model file from a newer gnn4j, data of another feature width than the model
 * was trained on, a model used after it was closed.
 */
class ModelErrorsTest {
  @TempDir static Path tmp;
  private static Path model;

  @BeforeAll
  static void train() {
    Path run = tmp.resolve("run");
    CliRun t = CliRun.of("train", "--config", "karate-gcn", "--epochs", "1", "--out", run.toString(),
        "--threads", "1");
    assertEquals(0, t.code(), t.err());
    model = run.resolve("model.ckpt");
  }

  private static void assertOneLine(CliRun r, String expected) {
    assertEquals(1, r.code(), r.err());
    List<String> lines = r.err().lines().filter(l -> l.startsWith("gnn4j: ") && !l.contains(" on ")).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void aModelFileFromANewerGnn4jIsOneLine() throws IOException {
    Path newer = tmp.resolve("newer.ckpt");
    Safetensors st = Safetensors.read(model);
    Map<String, String> meta = new LinkedHashMap<>(st.metadata());
    meta.put("format_version", "7");
    try (OutputStream out = Files.newOutputStream(newer)) {
      SafetensorsWriter.write(out, st.tensors().values(), meta);
    }
    String msg = newer + ": written by a newer gnn4j (format version 7, this gnn4j reads versions up to 1)";
    assertOneLine(CliRun.of("predict", "--checkpoint", newer.toString(), "--out", tmp.resolve("p.csv").toString()), msg);
    assertOneLine(CliRun.of("eval", "--checkpoint", newer.toString()), msg);
  }

  @Test
  void dataOfAnotherFeatureWidthIsOneLineWithBothWidths() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("five-features"));
    for (String f : List.of("edge_index.tsv.gz", "y.tsv.gz", "train.txt")) {
      try (var in = ModelErrorsTest.class.getResourceAsStream("/org/gnn4j/data/karate/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    try (var out = new PrintStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve("x_sparse.tsv.gz"))),
        false, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 34; i++) out.print(i + "\t" + (i % 5) + "\n");
    }
    Files.writeString(dir.resolve("meta.json"),
        "{\"kind\": \"node_classification\", \"num_nodes\": 34, \"num_features\": 5, \"num_classes\": 4}");
    assertOneLine(CliRun.of("predict", "--checkpoint", model.toString(), "--data", dir.toString(), "--out",
        tmp.resolve("q.csv").toString()), model + ": the data's node features have 5 columns, the model was built for 34");
    assertFalse(Files.exists(tmp.resolve("q.csv")));
  }

  @Test
  void aClosedModelIsOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.guarded(() -> {
      throw new ModelClosedException("model.ckpt");
    }, new PrintStream(err, true, StandardCharsets.UTF_8), false);
    assertEquals(1, code);
    assertEquals("gnn4j: model.ckpt: the model was closed; load it again (LoadedModel.open) to predict\n",
        err.toString(StandardCharsets.UTF_8));
  }
}
