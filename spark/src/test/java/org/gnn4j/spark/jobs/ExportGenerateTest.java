package org.gnn4j.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.spark.tables.GraphTableReader;
import org.gnn4j.spark.tables.GraphTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportGenerateTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String run(boolean export, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true);
    int rc = export ? ExportJob.run(args, o, o) : GenerateJob.run(args, o, o);
    assertEquals(0, rc, out.toString());
    return out.toString();
  }

  /** Edges as sorted (src, dst) pairs packed into longs: the order-free content of an edge list. */
  private static long[] pairs(NodeDataset d) {
    long[] p = new long[d.edges().numEdges()];
    for (int e = 0; e < p.length; e++) p[e] = (long) d.edges().src()[e] << 32 | d.edges().dst()[e];
    Arrays.sort(p);
    return p;
  }

  @Test
  void exportedKarateReadsBackAsTheSameDataset(@TempDir Path tmp) {
    String dir = tmp.resolve("karate").toString();
    String line = run(true, "--data", "karate", "--out", dir);
    assertTrue(line.contains("\"kind\":\"node\""), line);
    GraphTableReader.Checked c = GraphTableReader.read(spark, dir);
    assertEquals(4, c.info().numClasses());
    NodeDataset want = Datasets.node("karate");
    NodeDataset got = GraphTables.toNodeDataset(c.frames(), "karate");
    assertArrayEquals(want.x(), got.x());
    assertArrayEquals(want.y(), got.y());
    assertArrayEquals(pairs(want), pairs(got));
    assertArrayEquals(want.train(), got.train());
    assertArrayEquals(want.test(), got.test());
  }

  @Test
  void exportOfManyGraphsWritesTheGraphTable(@TempDir Path tmp) {
    String dir = tmp.resolve("mutag").toString();
    run(true, "--data", "mutag", "--out", dir);
    GraphTableReader.Checked c = GraphTableReader.read(spark, dir);
    var mutag = Datasets.graph("mutag");
    assertEquals(mutag.numGraphs(), c.frames().graphs().count());
    assertEquals(mutag.numEdges(), c.frames().edges().count());
    assertEquals(mutag.numNodeFeatures(), c.numFeatures());
    assertEquals("graph", c.info().kind());
  }

  @Test
  void exportOfAHeterogeneousGraphKeepsTypesRelationsAndWidths(@TempDir Path tmp) {
    String dir = tmp.resolve("ui").toString();
    run(true, "--data", "user_item", "--out", dir);
    var d = Datasets.hetero("user_item");
    GraphTableReader.Checked c = GraphTableReader.read(spark, dir);
    assertEquals("hetero", c.info().kind());
    assertEquals(d.graph().totalNodes(), c.frames().nodes().count());
    assertEquals(d.graph().totalEdges(), c.frames().edges().count());
    for (String type : d.graph().nodeTypes()) {
      int f = d.x().get(type) == null ? 0 : d.x().get(type).cols();
      assertEquals(0, c.frames().nodes().where("type = '" + type + "' AND size(features) != " + f).count(), type);
      assertEquals(d.graph().numNodes(type), c.frames().nodes().where("type = '" + type + "'").count(), type);
    }
    for (var r : d.graph().relations()) {
      assertEquals(d.graph().edges(r).numEdges(),
          c.frames().edges().where("relation = '" + r + "'").count(), r.toString());
    }
    assertEquals(d.train().length, c.frames().nodes().where("split = 'train'").count());
  }

  @Test
  void exportRefusesAnExistingOutputAndLeavesItAlone(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("mine");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    String m = assertThrows(IllegalArgumentException.class,
        () -> ExportJob.run(new String[] {"--data", "karate", "--out", dir.toString()}, System.out, System.err))
        .getMessage();
    assertEquals("--out " + dir + " already exists (choose a new directory; gnn4j spark never"
        + " overwrites an output)", m);
    assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
  }

  @Test
  void generatedGraphDoesNotDependOnPartitioning() {
    GenerateJob.Spec s = new GenerateJob.Spec(3000, 12, 5, 42);
    GraphTables.Frames a = GenerateJob.generate(spark, s, 1, 1);
    GraphTables.Frames b = GenerateJob.generate(spark, s, 3, 7);
    List<Row> na = a.nodes().orderBy("id").collectAsList();
    assertEquals(300, na.size());
    assertEquals(na, b.nodes().orderBy("id").collectAsList());
    assertEquals(a.edges().collectAsList(), b.edges().collectAsList()); // range order is edge order
    assertEquals(0, a.nodes().where("label < 0 OR label >= 5 OR size(features) != 12").count());
    assertEquals(0, a.edges().where("src < 0 OR src >= 300 OR dst < 0 OR dst >= 300").count());
    // a different seed is a different graph
    GraphTables.Frames c = GenerateJob.generate(spark, new GenerateJob.Spec(3000, 12, 5, 43), 1, 1);
    assertTrue(!a.edges().collectAsList().equals(c.edges().collectAsList()));
  }

  @Test
  void generatedGnn4jFilesHoldTheParquetGraph(@TempDir Path tmp) {
    String dir = tmp.resolve("g").toString();
    Path dir2 = tmp.resolve("g-gnn4j");
    run(false, "--edges", "2k", "--features", "8", "--classes", "3", "--seed", "5", "--out", dir,
        "--gnn4j-out", dir2.toString());
    NodeDataset fromSpark = GraphTables.toNodeDataset(GraphTableReader.read(spark, dir).frames(), "g");
    NodeDataset plain = NodeDatasetReader.fromDirectory(dir2);
    assertEquals(200, plain.numNodes());
    assertEquals(2000, plain.edges().numEdges());
    assertArrayEquals(fromSpark.x(), plain.x());
    assertArrayEquals(fromSpark.y(), plain.y());
    assertArrayEquals(pairs(fromSpark), pairs(plain));
    assertArrayEquals(fromSpark.train(), plain.train());
    assertArrayEquals(fromSpark.val(), plain.val());
    assertTrue(plain.train().length > 80 && plain.train().length < 160, "60% train");
    assertThrows(IllegalArgumentException.class, () -> GenerateJob.run(new String[] {"--edges", "2k",
        "--out", dir}, System.out, System.err));
  }

  /** Edges with their relations as sorted (src, dst, relation) triples packed into longs. */
  private static long[] triples(NodeDataset d) {
    long[] p = new long[d.edges().numEdges()];
    for (int e = 0; e < p.length; e++) {
      p[e] = ((long) d.edges().src()[e] << 40) | ((long) d.edges().dst()[e] << 8) | d.edgeType()[e];
    }
    Arrays.sort(p);
    return p;
  }

  @Test
  void generatedRelationsReachBothFormatsAndExportKeepsThem(@TempDir Path tmp) {
    String dir = tmp.resolve("g").toString();
    Path dir2 = tmp.resolve("g-gnn4j");
    run(false, "--edges", "2k", "--features", "8", "--classes", "3", "--seed", "5", "--relations", "3",
        "--out", dir, "--gnn4j-out", dir2.toString());
    NodeDataset fromSpark = GraphTables.toNodeDataset(GraphTableReader.read(spark, dir).frames(), "g");
    NodeDataset plain = NodeDatasetReader.fromDirectory(dir2);
    assertEquals(3, plain.numRelations());
    assertArrayEquals(triples(fromSpark), triples(plain));
    int[] seen = new int[3];
    for (int r : plain.edgeType()) seen[r]++;
    for (int c : seen) assertTrue(c > 500, "every relation drawn: " + Arrays.toString(seen));

    String exported = tmp.resolve("exported").toString();
    run(true, "--data", dir2.toString(), "--out", exported);
    NodeDataset back = GraphTables.toNodeDataset(GraphTableReader.read(spark, exported).frames(), "g");
    assertArrayEquals(triples(plain), triples(back));
  }
}
