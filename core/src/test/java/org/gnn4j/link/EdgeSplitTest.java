package org.gnn4j.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.graph.EdgeIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeSplitTest {
  /** An undirected random graph with both directions stored. */
  private static EdgeIndex undirectedGraph(int n, int edges, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] s = new int[2 * edges];
    int[] d = new int[2 * edges];
    for (int i = 0; i < edges; i++) {
      int u = r.nextInt(n);
      int v = (u + 1 + r.nextInt(n - 1)) % n;
      s[2 * i] = u;
      d[2 * i] = v;
      s[2 * i + 1] = v;
      d[2 * i + 1] = u;
    }
    return EdgeIndex.of(s, d, n);
  }

  private static long undirectedKey(int u, int v) {
    return (long) Math.min(u, v) << 32 | Math.max(u, v);
  }

  /** Which part every undirected edge went to; fails if one is in two parts. */
  private static Map<Long, String> parts(EdgeSplit s) {
    Map<Long, String> where = new HashMap<>();
    String[] names = {"train", "val", "test"};
    NodePairs[] ps = {s.trainEdges(), s.valPos(), s.testPos()};
    for (int p = 0; p < 3; p++) {
      for (int i = 0; i < ps[p].size(); i++) {
        String before = where.put(undirectedKey(ps[p].src()[i], ps[p].dst()[i]), names[p]);
        assertEquals(null, before, "edge in " + before + " and " + names[p]);
      }
    }
    return where;
  }

  @Test
  void randomUndirectedSplitKeepsBothDirectionsTogetherAndPartsDisjoint() {
    EdgeIndex g = undirectedGraph(200, 900, 1);
    EdgeSplit s = EdgeSplit.random(g, true, 0.1, 0.2, 0, new SplittableRandom(5));
    int p = EdgeSplit.distinctPairs(g, true).size();
    assertEquals(p / 10, s.valPos().size());
    assertEquals(p / 5, s.testPos().size());
    assertEquals(p - p / 10 - p / 5, s.trainEdges().size());
    assertSame(s.trainMessage(), s.trainSupervision());
    Map<Long, String> where = parts(s);
    assertEquals(p, where.size());
    for (int i = 0; i < s.trainEdges().size(); i++) assertTrue(s.trainEdges().src()[i] < s.trainEdges().dst()[i]);
    // the training graph holds both directions of exactly the training edges
    EdgeIndex train = s.graphFor("train");
    assertEquals(2 * s.trainEdges().size(), train.numEdges());
    for (int i = 0; i < train.numEdges(); i++) {
      assertEquals("train", where.get(undirectedKey(train.src()[i], train.dst()[i])));
    }
    assertEquals(2 * (s.trainEdges().size() + s.valPos().size()), s.graphFor("test").numEdges());
    // negatives: as many, never an edge in either direction, never shared by val and test
    NegativeSampler full = new NegativeSampler(200, EdgeSplit.distinctPairs(g, true), true);
    NodePairs neg = s.valNeg().concat(s.testNeg());
    assertEquals(s.valPos().size() + s.testPos().size(), neg.size());
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < neg.size(); i++) {
      assertFalse(full.isKnown(neg.src()[i], neg.dst()[i]));
      assertTrue(seen.add((long) neg.src()[i] << 32 | neg.dst()[i]));
    }
  }

  @Test
  void randomSplitIsSeededAndDisjointTrainingEdgesCarryNoMessages() {
    EdgeIndex g = undirectedGraph(100, 400, 2);
    EdgeSplit a = EdgeSplit.random(g, true, 0.05, 0.1, 0.3, new SplittableRandom(9));
    EdgeSplit b = EdgeSplit.random(g, true, 0.05, 0.1, 0.3, new SplittableRandom(9));
    EdgeSplit c = EdgeSplit.random(g, true, 0.05, 0.1, 0.3, new SplittableRandom(10));
    assertArrayEquals(a.testPos().src(), b.testPos().src());
    assertArrayEquals(a.testNeg().dst(), b.testNeg().dst());
    assertFalse(java.util.Arrays.equals(a.testPos().src(), c.testPos().src()));
    int train = a.trainEdges().size();
    assertEquals((int) Math.floor(0.3 * train), a.trainSupervision().size());
    parts(a);
    java.util.Set<Long> message = new java.util.HashSet<>();
    EdgeIndex mp = a.graphFor("train");
    for (int i = 0; i < mp.numEdges(); i++) message.add(undirectedKey(mp.src()[i], mp.dst()[i]));
    for (int i = 0; i < a.trainSupervision().size(); i++) {
      assertFalse(message.contains(undirectedKey(a.trainSupervision().src()[i], a.trainSupervision().dst()[i])));
    }
    assertEquals(2 * train, a.graphFor("val").numEdges());
  }

  @Test
  void anUndirectedSplitOfADirectedGraphIsRefused() {
    EdgeIndex g = EdgeIndex.of(new int[] {0, 1}, new int[] {1, 2}, 3);
    assertFalse(EdgeSplit.isSymmetric(g));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EdgeSplit.random(g, true, 0.1, 0.1, 0, new SplittableRandom(0)));
    assertTrue(e.getMessage().contains("has no reverse"), e.getMessage());
  }

  @Test
  void theEmbeddedCoraSplitReadsWithTheBenchmarkCounts() {
    NodeDataset cora = Datasets.node("cora");
    EdgeSplit s = EdgeSplitFile.read(DataSource.embedded("cora"), "splits/link-cora-seed0.tsv.gz", cora.edges(), true);
    assertEquals(4488, s.trainEdges().size());
    assertEquals(263, s.valPos().size());
    assertEquals(263, s.valNeg().size());
    assertEquals(527, s.testPos().size());
    assertEquals(527, s.testNeg().size());
    assertEquals(8976, s.graphFor("train").numEdges());
    assertEquals(8976, s.graphFor("val").numEdges());
    assertEquals(9502, s.graphFor("test").numEdges());
    parts(s);
  }

  private static void gz(Path file, String text) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Path 0-1-2-3 with both directions. */
  private static EdgeIndex path4() {
    return EdgeIndex.of(new int[] {0, 1, 1, 2, 2, 3}, new int[] {1, 0, 2, 1, 3, 2}, 4);
  }

  private static String readError(Path dir, String body) throws IOException {
    gz(dir.resolve("s.tsv.gz"), body);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> EdgeSplitFile.read(DataSource.directory(dir), "s.tsv.gz", path4(), true));
    return e.getMessage();
  }

  @Test
  void aSplitFileNamesTheFileAndLineOfEveryBadRow(@TempDir Path dir) throws IOException {
    String ok = "train\t0\t1\t1\ntest\t1\t2\t1\ntest\t0\t3\t0\n";
    EdgeSplit s;
    gz(dir.resolve("ok.tsv.gz"), ok);
    s = EdgeSplitFile.read(DataSource.directory(dir), "ok.tsv.gz", path4(), true);
    assertEquals(1, s.testPos().size());
    String file = dir.resolve("s.tsv.gz").toString();
    assertEquals(file + ":3: (0, 2) is labelled an edge but is not an edge of the graph",
        readError(dir, "train\t0\t1\t1\ntest\t1\t2\t1\ntest\t0\t2\t1\n"));
    assertTrue(readError(dir, "train\t0\t1\t1\ntest\t1 2\t1\n").startsWith(file + ":2: expected 4 tab-separated"));
    assertTrue(readError(dir, "train\t0\t1\t1\nvalid\t1\t2\t1\n").startsWith(file + ":2: set 'valid'"));
    assertTrue(readError(dir, "train\t0\t9\t1\n").startsWith(file + ":1: dst 9 is out of range [0, 4)"));
    assertTrue(readError(dir, "train\t0\tx\t1\n").startsWith(file + ":1: dst is not an integer"));
    assertTrue(readError(dir, "train\t0\t1\t2\n").startsWith(file + ":1: label '2'"));
    assertTrue(readError(dir, "train\t0\t1\t1\ntest\t2\t1\t0\n").startsWith(file + ":2: (2, 1) is labelled a non-edge"));
    assertTrue(readError(dir, "train\t0\t1\t1\ntest\t1\t0\t1\n")
        .startsWith(file + ":2: edge (1, 0) is already listed at line 1"));
    assertTrue(readError(dir, "train\t0\t1\t1\ntest\t1\t2\t1\n").startsWith(file + ": set test has 1 edges and 0 non-edges"));
    assertTrue(readError(dir, "train\t0\t3\t0\n").startsWith(file + ":1: train rows are edges"));
  }
}
