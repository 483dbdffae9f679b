package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeteroDatasetReaderTest {
  private static final Relation RATES = new Relation("user", "rates", "item");
  private static final Relation HAS = new Relation("item", "has", "tag");

  /** A copy of test resource {@code hetero_tiny} in {@code dir}, to damage one file of. */
  static Path tiny(Path dir) throws IOException {
    try {
      Path src = Path.of(HeteroDatasetReaderTest.class.getResource("/hetero_tiny/meta.json")
          .toURI()).getParent();
      try (Stream<Path> files = Files.list(src)) {
        for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
      }
      return dir;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsTheTinyDatasetWithAnEmptyRelationAndAZeroNodeType(@TempDir Path dir) throws IOException {
    HeteroDataset d = HeteroDatasetReader.fromDirectory(tiny(dir));
    HeteroGraph g = d.graph();
    assertEquals(List.of("user", "item", "tag"), g.nodeTypes());
    assertEquals(4, g.numNodes("user"));
    assertEquals(0, g.numNodes("tag"));
    assertEquals(4, g.relations().size());
    assertArrayEquals(new int[] {0, 0, 1, 2, 3}, g.edges(RATES).src());
    assertArrayEquals(new int[] {0, 1, 1, 2, 2}, g.edges(RATES).dst());
    assertEquals(0, g.edges(HAS).numEdges());
    assertEquals(2, d.numFeatures("user"));
    assertEquals(3, d.numFeatures("item"));
    assertEquals(0, d.numFeatures("tag"));
    assertEquals(-1.25f, d.x().get("user").get(1, 0));
    assertArrayEquals(new float[] {5, 4, 3, 5, 1}, d.edgeAttr().get(RATES).data());
    assertEquals(1, d.edgeDim(RATES));
    assertEquals("user", d.target());
    assertArrayEquals(new int[] {0, 1, 0, 1}, d.y());
    assertArrayEquals(new int[] {0, 1}, d.train());
    assertArrayEquals(new int[] {3}, d.test());
  }

  @Test
  void writerRoundTripsAndListsChecksums(@TempDir Path dir) throws IOException {
    HeteroDataset d = HeteroDatasetReader.fromDirectory(tiny(Files.createDirectory(
        dir.resolve("in"))));
    Path out = dir.resolve("out");
    HeteroDatasetWriter.write(d, out);
    assertTrue(Files.isRegularFile(out.resolve("edges_item__has__tag.tsv.gz")));
    assertEquals(11, DataFiles.verify(DataSource.directory(out)));
    assertSame(d, HeteroDatasetReader.fromDirectory(out));
    HeteroDataset synthetic = UserItemGraph.generate(30, 9, 4, 3, 5);
    HeteroDatasetWriter.write(synthetic, dir.resolve("syn"));
    assertSame(synthetic, HeteroDatasetReader.fromDirectory(dir.resolve("syn")));
  }

  @Test
  void unlabelledDatasetRoundTrips(@TempDir Path dir) {
    HeteroGraph g = HeteroGraph.builder().nodes("a", 2).nodes("b", 1)
        .edges("a", "to", "b", new int[] {0, 1}, new int[] {0, 0}).build();
    HeteroDataset d = HeteroDataset.unlabelled("u", g, java.util.Map.of("b",
        new HeteroDataset.Table(1, 0, new float[0])), java.util.Map.of());
    HeteroDatasetWriter.write(d, dir);
    HeteroDataset back = HeteroDatasetReader.fromDirectory(dir);
    assertFalse(back.hasTarget());
    assertTrue(back.x().containsKey("b"), "a zero-width table stays a table");
    assertSame(d, back);
  }

  @Test
  void embeddedUserItemEqualsItsGenerator() {
    assertSame(UserItemGraph.generate(), HeteroDatasetReader.userItem());
    assertEquals(12, DataFiles.verify(DataSource.embedded("user_item")));
    assertEquals(Datasets.Format.HETERO, Datasets.formatOf("user_item"));
    assertEquals(120, Datasets.hetero("user_item").graph().numNodes("user"));
    var e = assertThrows(IllegalArgumentException.class, () -> Datasets.graph("user_item"));
    assertEquals("data: 'user_item' is a heterogeneous dataset (meta.json kind \"hetero\"; read it"
        + " with Datasets.hetero, expected a graph dataset)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Datasets.node("user_item"));
  }

  @Test
  void gzippedFilesAreReadToo(@TempDir Path dir) throws IOException {
    tiny(dir);
    TestFiles.gz(dir.resolve("x_user.csv.gz"), Files.readString(dir.resolve("x_user.csv")));
    Files.delete(dir.resolve("x_user.csv"));
    assertEquals(2f, HeteroDatasetReader.fromDirectory(dir).x().get("user").get(2, 0));
  }

  @Test
  void relationNamingAnUnknownTypeNamesMetaJsonAndLine(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "meta.json", "\"user__follows__user\"", "\"user__follows__fan\"");
    assertMessage(dir, "meta.json:11: relation user__follows__fan names unknown node type 'fan'"
        + " (known: user, item, tag)");
  }

  @Test
  void duplicateTypeAndRelationAreNamedWithTheirLine(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "meta.json", "{\"name\": \"tag\", \"num_nodes\": 0}",
        "{\"name\": \"user\", \"num_nodes\": 0}");
    assertMessage(dir, "meta.json:6: node type 'user' is given twice");
    replace(dir, "meta.json", "{\"name\": \"user\", \"num_nodes\": 0}",
        "{\"name\": \"tag\", \"num_nodes\": 0}");
    replace(dir, "meta.json", "\"item__has__tag\"", "\"item__rated_by__user\"");
    assertMessage(dir, "meta.json:12: relation item__rated_by__user is given twice");
  }

  @Test
  void namesThatAreNotFileNamePartsAreRejected(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "meta.json", "\"name\": \"tag\"", "\"name\": \"../tag\"");
    assertMessage(dir, "meta.json:6: node type '../tag' must be a non-empty name without"
        + " surrounding spaces, '__', '/' or '\\' (it is part of file names)");
    HeteroGraph g = HeteroGraph.builder().nodes("a/b", 1).build();
    var e = assertThrows(IllegalArgumentException.class, () -> HeteroDatasetWriter.write(
        HeteroDataset.unlabelled("x", g, java.util.Map.of(), java.util.Map.of()), dir));
    assertEquals("HeteroDatasetWriter: node type 'a/b' cannot be part of a file name (expected"
        + " no '/' or '\\')", e.getMessage());
  }

  @Test
  void edgeIdOutsideItsTypeNamesRelationFileAndLine(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "edges_user__rates__item.tsv", "1\t1\n", "1\t3\n");
    assertMessage(dir, "edges_user__rates__item.tsv:3: relation user__rates__item: target item id"
        + " 3 is out of range [0, 3)");
    replace(dir, "edges_user__rates__item.tsv", "1\t3\n", "x\t1\n");
    assertMessage(dir, "edges_user__rates__item.tsv:3: relation user__rates__item: source user id"
        + " is not an integer (got 'x')");
    replace(dir, "edges_user__rates__item.tsv", "x\t1\n", "");
    assertMessage(dir, "edges_user__rates__item.tsv:4: relation user__rates__item: wrong number"
        + " of edges (got 4, expected 5 from meta.json num_edges)");
  }

  @Test
  void featureTablesOfTheWrongShapeNameTypeFileAndLine(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "x_user.csv", "-1.25,0\n", "-1.25\n");
    assertMessage(dir, "x_user.csv:2: node type 'user': row has the wrong width (got 1 values,"
        + " expected 2)");
    replace(dir, "x_user.csv", "-1.25\n", "");
    assertMessage(dir, "x_user.csv:3: node type 'user': missing rows (got 3, expected 4, one line"
        + " per node)");
    Files.writeString(dir.resolve("x_item.csv"), "1,0,0\n0,1,0\n0,0,1\n1,1,1\n");
    replace(dir, "x_user.csv", "2,3.5\n", "-1.25,0\n2,3.5\n");
    assertMessage(dir, "x_item.csv:4: node type 'item': more rows than its 3 nodes (one line per"
        + " node)");
    Files.writeString(dir.resolve("x_item.csv"), "1,0,0\n0,1,0\n0,0,1\n");
    Files.writeString(dir.resolve("edge_attr_user__rates__item.csv"), "5\n4\n3\n5\n");
    assertMessage(dir, "edge_attr_user__rates__item.csv:4: relation user__rates__item: missing"
        + " rows (got 4, expected 5, one line per edge)");
    Files.delete(dir.resolve("edge_attr_user__rates__item.csv"));
    assertMessage(dir, "edge_attr_user__rates__item.csv: file is missing (relation"
        + " user__rates__item has edge_dim 1 in meta.json)");
  }

  @Test
  void labelsAndSplitsAreCheckedAgainstTheTargetType(@TempDir Path dir) throws IOException {
    replace(tiny(dir), "y_user.tsv", "0\n1\n0\n1\n", "0\n1\n2\n1\n");
    assertMessage(dir, "y_user.tsv:3: user class id 2 is out of range [0, 2)");
    replace(dir, "y_user.tsv", "2", "0");
    Files.writeString(dir.resolve("val.txt"), "4\n");
    assertMessage(dir, "val.txt:1: user node id 4 is out of range [0, 4)");
    Files.writeString(dir.resolve("val.txt"), "1\n");
    assertMessage(dir, "val.txt:1: user node 1 is also in train.txt (splits must not overlap)");
  }

  private static void replace(Path dir, String file, String from, String to) throws IOException {
    String s = Files.readString(dir.resolve(file));
    assertTrue(s.contains(from), file + " has no " + from);
    Files.writeString(dir.resolve(file), s.replace(from, to));
  }

  private static void assertMessage(Path dir, String expectedEnd) {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> HeteroDatasetReader.fromDirectory(dir));
    assertEquals(dir.resolve(expectedEnd).toString(), e.getMessage());
  }

  /** Same structure, features, labels and splits. */
  static void assertSame(HeteroDataset a, HeteroDataset b) {
    assertEquals(a.graph().nodeTypes(), b.graph().nodeTypes());
    for (String t : a.graph().nodeTypes()) {
      assertEquals(a.graph().numNodes(t), b.graph().numNodes(t), t);
      assertEquals(a.x().containsKey(t), b.x().containsKey(t), t);
      if (a.x().containsKey(t)) {
        assertEquals(a.numFeatures(t), b.numFeatures(t), t);
        assertArrayEquals(a.x().get(t).data(), b.x().get(t).data(), t);
      }
    }
    assertEquals(a.graph().relations(), b.graph().relations());
    for (Relation r : a.graph().relations()) {
      assertArrayEquals(a.graph().edges(r).src(), b.graph().edges(r).src(), r.toString());
      assertArrayEquals(a.graph().edges(r).dst(), b.graph().edges(r).dst(), r.toString());
      assertEquals(a.edgeDim(r), b.edgeDim(r), r.toString());
      if (a.edgeAttr().containsKey(r)) {
        assertArrayEquals(a.edgeAttr().get(r).data(), b.edgeAttr().get(r).data(), r.toString());
      }
    }
    assertEquals(a.target(), b.target());
    assertEquals(a.numClasses(), b.numClasses());
    assertArrayEquals(a.y(), b.y());
    assertArrayEquals(a.train(), b.train());
    assertArrayEquals(a.val(), b.val());
    assertArrayEquals(a.test(), b.test());
  }
}
