package org.gnn4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small dataset files for the reader tests. */
final class TestFiles {
  private TestFiles() {}

  static void gz(Path file, String text) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Three graphs in the plain format: a path 0-1-2 (class 0), an edge 0-1 (class 1) and one
   * isolated node (class 1); 2 node labels, 2 edge labels, 2 node attributes.
   */
  static Path tinyGraphs(Path dir) throws IOException {
    Files.writeString(dir.resolve("meta.json"), "{\"kind\": \"graph_classification\"}");
    gz(dir.resolve("graph_sizes.tsv.gz"), "3\t4\n2\t2\n1\t0\n");
    gz(dir.resolve("edge_index.tsv.gz"), "0\t1\n1\t0\n1\t2\n2\t1\n0\t1\n1\t0\n");
    gz(dir.resolve("edge_labels.tsv.gz"), "0\n0\n1\n1\n1\n1\n");
    gz(dir.resolve("node_labels.tsv.gz"), "0\n1\n0\n1\n1\n0\n");
    gz(dir.resolve("node_attr.csv.gz"), "0.5,1\n1.5,2\n2.5,3\n3.5,4\n4.5,5\n5.5,6\n");
    gz(dir.resolve("y.tsv.gz"), "0\n1\n1\n");
    return dir;
  }
}
