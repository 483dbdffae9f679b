package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.gnn4j.data.DataFormatException;
import org.junit.jupiter.api.Test;

class BaShapesTest {

  @Test
  void referenceGraphIsReadAsPublished() {
    BaShapes b = BaShapes.reference();
    assertEquals(700, b.numNodes());
    assertEquals(3972, b.edges().numEdges());
    int motif = 0;
    for (int m : b.edgeMotif()) motif += m;
    assertEquals(960, motif);
    int[] counts = new int[4];
    for (int y : b.y()) counts[y]++;
    assertArrayEquals(new int[] {300, 160, 160, 80}, counts);
    assertEquals(560, b.trainNodes().length);
    assertEquals(140, b.testNodes().length);
    assertEquals(60, b.explained().length);
    for (int v : b.explained()) assertTrue(v >= 300, "explained nodes are house nodes");
    assertHouses(b, 300, 80);
  }

  @Test
  void generatedGraphsHaveTheStructureAndAreSeeded() {
    BaShapes a = BaShapes.generate(5);
    BaShapes again = BaShapes.generate(5);
    BaShapes other = BaShapes.generate(6);
    assertArrayEquals(a.edges().src(), again.edges().src());
    assertArrayEquals(a.edges().dst(), again.edges().dst());
    assertArrayEquals(a.explained(), again.explained());
    assertTrue(!java.util.Arrays.equals(a.edges().src(), other.edges().src())
        || !java.util.Arrays.equals(a.edges().dst(), other.edges().dst()));
    assertEquals(700, a.numNodes());
    int motif = 0;
    for (int m : a.edgeMotif()) motif += m;
    assertEquals(960, motif);
    int[] counts = new int[4];
    for (int y : a.y()) counts[y]++;
    assertArrayEquals(new int[] {300, 160, 160, 80}, counts);
    assertEquals(140, a.testNodes().length, "a fifth of each class: 60 + 32 + 32 + 16");
    assertEquals(60, a.explained().length);
    assertHouses(a, 300, 80);
    // symmetric, no self-loops, no repeated edge
    Set<Long> seen = new HashSet<>();
    int[] s = a.edges().src();
    int[] d = a.edges().dst();
    for (int k = 0; k < s.length; k++) {
      assertTrue(s[k] != d[k]);
      assertTrue(seen.add(((long) s[k] << 32) | d[k]), "edge " + s[k] + "->" + d[k] + " repeated");
    }
    for (int k = 0; k < s.length; k++) assertTrue(seen.contains(((long) d[k] << 32) | s[k]));
    // the BA part: every new node added 5 links, preferential attachment makes hubs
    int[] deg = a.edges().inDegree();
    int max = 0;
    for (int i = 0; i < 300; i++) max = Math.max(max, deg[i]);
    assertTrue(max > 20, "a Barabasi-Albert graph has hubs (max degree " + max + ")");
  }

  /** Each house: the 6 motif edges of the square 0-1-2-3 with roof 4, both ways; classes 1,1,2,2,3; one link to the base. */
  private static void assertHouses(BaShapes b, int base, int houses) {
    Set<Long> motif = new HashSet<>();
    int[] s = b.edges().src();
    int[] d = b.edges().dst();
    int[] links = new int[houses];
    for (int k = 0; k < s.length; k++) {
      if (b.edgeMotif()[k] == 1) {
        motif.add(((long) s[k] << 32) | d[k]);
        assertEquals((s[k] - base) / 5, (d[k] - base) / 5, "a motif edge stays inside its house");
      } else if (s[k] >= base && d[k] < base) {
        links[(s[k] - base) / 5]++;
      }
    }
    for (int h = 0; h < houses; h++) {
      int first = base + 5 * h;
      for (int[] e : BaShapesGenerator.HOUSE_EDGES) {
        assertTrue(motif.contains(((long) (first + e[0]) << 32) | (first + e[1])), "house " + h);
        assertTrue(motif.contains(((long) (first + e[1]) << 32) | (first + e[0])), "house " + h);
      }
      for (int k = 0; k < 5; k++) assertEquals(BaShapesGenerator.HOUSE_CLASSES[k], b.y()[first + k]);
      assertEquals(1, links[h], "house " + h + " has one link to the base");
    }
  }

  @Test
  void malformedRowsNameFileAndLine() throws IOException {
    byte[] nodes = gzip("0\t0\t0\t0\n7\t0\t0\t0\n");
    byte[] edges = gzip("0\t1\t0\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> BaShapes.read(
        new ByteArrayInputStream(edges), "e.tsv.gz", new ByteArrayInputStream(nodes), "n.tsv.gz"));
    assertTrue(e.getMessage().contains("n.tsv.gz") && e.getMessage().contains("2"), e.getMessage());
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(bo)) {
      z.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bo.toByteArray();
  }
}
