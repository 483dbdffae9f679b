package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
  @Test
  void embeddedMutagPrintsStatisticsAndOneJsonLine() {
    CliRun r = CliRun.of("info", "--data", "mutag");
    assertEquals(0, r.code(), r.err());
    String json = r.out().strip();
    assertEquals(1, json.lines().count(), r.out());
    assertTrue(json.contains("\"graphs\":188,\"nodes\":3371,\"edges\":7442"), json);
    assertTrue(json.contains("\"class_counts\":[63,125]"), json);
    assertTrue(json.endsWith("\"format\":\"graph\",\"files_verified\":5}"), json);
    assertTrue(r.err().contains("classes         2 [63, 125]"), r.err());
  }

  @Test
  void embeddedKarateIsANodeDataset() {
    CliRun r = CliRun.of("info", "--data", "karate");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"kind\":\"node_classification\",\"graphs\":1,\"nodes\":34,"
        + "\"edges\":156"), r.out());
    assertTrue(r.out().contains("\"node_features\":34"), r.out());
  }

  @Test
  void tuDirectoryIsRecognisedAndBadLinesAreOneLineErrors(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("T_A.txt"), "1, 2\n2, 1\n");
    Files.writeString(dir.resolve("T_graph_indicator.txt"), "1\n1\n2\n");
    Files.writeString(dir.resolve("T_graph_labels.txt"), "3\n5\n");
    CliRun r = CliRun.of("info", "--data", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"graphs\":2,\"nodes\":3,\"edges\":2"), r.out());
    assertTrue(r.out().contains("\"isolated_nodes\":1"), r.out());
    assertTrue(r.out().contains("\"format\":\"tu\""), r.out());
    Path plain = dir.resolve("plain");
    r = CliRun.of("info", "--data", dir.toString(), "--write", plain.toString());
    assertEquals(0, r.code(), r.err());
    r = CliRun.of("info", "--data", plain.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"name\":\"plain\",\"kind\":\"graph_classification\","
        + "\"graphs\":2,\"nodes\":3,\"edges\":2"), r.out());
    assertTrue(r.out().contains("\"format\":\"graph\",\"files_verified\":3"), r.out());
    Files.writeString(dir.resolve("T_A.txt"), "1, 2\n2; 1\n");
    r = CliRun.of("info", "--data", dir.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().strip().endsWith("T_A.txt:2: expected 2 ','-separated columns, found 1"),
        r.err());
  }

  @Test
  void embeddedHeteroDatasetPrintsPerTypeAndPerRelationStatistics() {
    CliRun r = CliRun.of("info", "--data", "user_item");
    assertEquals(0, r.code(), r.err());
    String json = r.out().strip();
    assertEquals(1, json.lines().count(), r.out());
    assertTrue(json.startsWith("{\"name\":\"user_item\",\"kind\":\"hetero\",\"node_types\":"
        + "[{\"type\":\"user\",\"nodes\":120,\"features\":2,\"classes\":3,"), json);
    assertTrue(json.contains("{\"type\":\"tag\",\"nodes\":8,\"features\":0,\"classes\":0,"
        + "\"class_counts\":[]}"), json);
    assertTrue(json.contains("{\"relation\":\"user__follows__user\",\"edges\":81,"), json);
    assertTrue(json.endsWith("\"format\":\"hetero\",\"files_verified\":12}"), json);
    assertTrue(r.err().contains("user__rates__item"), r.err());
    assertTrue(r.err().contains("no in-edge"), r.err());
  }

  @Test
  void heteroDirectoryRoundTripsAndBadFilesAreOneLine(@TempDir Path dir) throws IOException {
    Path copy = dir.resolve("copy");
    CliRun r = CliRun.of("info", "--data", "user_item", "--write", copy.toString());
    assertEquals(0, r.code(), r.err());
    r = CliRun.of("info", "--data", copy.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"name\":\"copy\",\"kind\":\"hetero\""), r.out());
    Files.writeString(dir.resolve("file"), "x");
    r = CliRun.of("info", "--data", "user_item", "--write", dir.resolve("file/sub").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("gnn4j: info: cannot write " + dir.resolve("file/sub")), r.err());
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("meta.json"), """
        {
          "kind": "hetero",
          "node_types": [{"name": "user", "num_nodes": 2}, {"name": "item", "num_nodes": 1}],
          "relations": ["user__rates__item"]
        }
        """);
    Files.writeString(bad.resolve("edges_user__rates__item.tsv"), "0\t0\n1\t1\n");
    r = CliRun.of("info", "--data", bad.toString());
    assertEquals(1, r.code());
    assertEquals("gnn4j: " + bad.resolve("edges_user__rates__item.tsv") + ":2: relation"
        + " user__rates__item: target item id 1 is out of range [0, 1)", r.err().strip());
    Files.writeString(bad.resolve("meta.json"), Files.readString(bad.resolve("meta.json"))
        .replace("user__rates__item", "user__rates__film"));
    r = CliRun.of("info", "--data", bad.toString());
    assertEquals(1, r.code());
    assertEquals("gnn4j: " + bad.resolve("meta.json") + ":4: relation user__rates__film names"
        + " unknown node type 'film' (known: user, item)", r.err().strip());
  }

  @Test
  void helpAndMissingDataAreExplained() {
    CliRun r = CliRun.of("info", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--data") && r.out().contains("zinc_subset"), r.out());
    r = CliRun.of("info", "--data", "nope");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("neither a directory nor an embedded dataset"), r.err());
  }

  @Test
  void writeGoesOnlyIntoANewOrEmptyDirectoryOutsideTheInput(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("mutag");
    assertEquals(0, CliRun.of("info", "--data", "mutag", "--write", dir.toString()).code());
    CliRun again = CliRun.of("info", "--data", "mutag", "--write", dir.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("is not empty"), again.err());
    CliRun onto = CliRun.of("info", "--data", dir.toString(), "--write", dir.toString());
    assertEquals(1, onto.code());
    assertTrue(onto.err().contains("would overwrite an input"), onto.err());
  }
}
