package org.gnn4j.explain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.graph.EdgeIndex;

/**
 * The BA-Shapes explanation benchmark (Ying et al., arXiv:1903.03894): a Barabasi-Albert base
 * graph with "house" motifs attached, node classes base (0) and the house roles top (1), bottom
 * (2) and roof (3), and ground truth: the motif edges. {@link #reference()} is the graph PyG
 * generated for seed 0 (the figure of record is measured on it; files
 * {@code bashapes-seed0-edges/nodes.tsv.gz}, see the benchmark's TASKS.md);
 * {@link BaShapesGenerator} makes such graphs for any seed.
 *
 * @param edges directed edges, both directions stored, no self-loops
 * @param edgeMotif [E] 1 for house edges, 0 for base edges and the house-base links
 * @param y [N] class of every node
 * @param test [N] true for the test nodes (the rest train)
 * @param explained ascending ids of the nodes whose predictions are explained
 */
public record BaShapes(EdgeIndex edges, int[] edgeMotif, int[] y, boolean[] test, int[] explained) {
  public static final int NUM_CLASSES = 4;

  public int numNodes() {
    return y.length;
  }

  public int[] trainNodes() {
    return nodes(false);
  }

  public int[] testNodes() {
    return nodes(true);
  }

  private int[] nodes(boolean wantTest) {
    int count = 0;
    for (boolean t : test) if (t == wantTest) count++;
    int[] out = new int[count];
    for (int i = 0, p = 0; i < test.length; i++) if (test[i] == wantTest) out[p++] = i;
    return out;
  }

  /** PyG's seed-0 graph, shipped with the library. */
  public static BaShapes reference() {
    String base = "bashapes-seed0-";
    try (InputStream e = BaShapes.class.getResourceAsStream(base + "edges.tsv.gz");
         InputStream n = BaShapes.class.getResourceAsStream(base + "nodes.tsv.gz")) {
      if (e == null || n == null) throw new IllegalStateException("BaShapes: reference files missing from the class path");
      return read(e, base + "edges.tsv.gz", n, base + "nodes.tsv.gz");
    } catch (IOException ex) {
      throw new UncheckedIOException("BaShapes: cannot read the reference graph", ex);
    }
  }

  /**
   * Reads the benchmark's two gzip TSV files: edges {@code src dst motif}, nodes
   * {@code y split explain motif} (line i = node i).
   *
   * @throws DataFormatException naming the file and line of a malformed row
   */
  public static BaShapes read(InputStream edgesGz, String edgesName, InputStream nodesGz,
                              String nodesName) throws IOException {
    List<int[]> nodeRows = rows(nodesGz, nodesName, 4);
    int n = nodeRows.size();
    int[] y = new int[n];
    boolean[] test = new boolean[n];
    List<Integer> explained = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] r = nodeRows.get(i);
      if (r[0] < 0 || r[0] >= NUM_CLASSES || r[1] < 0 || r[1] > 1 || r[2] < 0 || r[2] > 1) {
        throw new DataFormatException(nodesName, i + 1, "expected y in 0..3, split and explain 0 or 1 (got "
            + Arrays.toString(r) + ")");
      }
      y[i] = r[0];
      test[i] = r[1] == 1;
      if (r[2] == 1) explained.add(i);
    }
    List<int[]> edgeRows = rows(edgesGz, edgesName, 3);
    int[] src = new int[edgeRows.size()];
    int[] dst = new int[src.length];
    int[] motif = new int[src.length];
    for (int k = 0; k < src.length; k++) {
      int[] r = edgeRows.get(k);
      if (r[0] < 0 || r[0] >= n || r[1] < 0 || r[1] >= n || r[2] < 0 || r[2] > 1) {
        throw new DataFormatException(edgesName, k + 1, "expected two node ids in 0.." + (n - 1)
            + " and motif 0 or 1 (got " + Arrays.toString(r) + ")");
      }
      src[k] = r[0];
      dst[k] = r[1];
      motif[k] = r[2];
    }
    return new BaShapes(EdgeIndex.of(src, dst, n), motif, y, test,
        explained.stream().mapToInt(Integer::intValue).toArray());
  }

  private static List<int[]> rows(InputStream gz, String name, int columns) throws IOException {
    List<int[]> out = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gz), StandardCharsets.UTF_8));
    String line;
    int no = 0;
    while ((line = r.readLine()) != null) {
      no++;
      String[] parts = line.split("\t");
      if (parts.length != columns) {
        throw new DataFormatException(name, no, "expected " + columns + " TAB-separated integers (got "
            + parts.length + " fields)");
      }
      int[] v = new int[columns];
      for (int c = 0; c < columns; c++) {
        try {
          v[c] = Integer.parseInt(parts[c].trim());
        } catch (NumberFormatException e) {
          throw new DataFormatException(name, no, "column " + (c + 1) + " is not an integer: '" + parts[c] + "'");
        }
      }
      out.add(v);
    }
    return out;
  }

  /** A generated graph, see {@link BaShapesGenerator}. */
  public static BaShapes generate(long seed) {
    return BaShapesGenerator.generate(new SplittableRandom(seed), 300, 5, 80, 60);
  }
}
