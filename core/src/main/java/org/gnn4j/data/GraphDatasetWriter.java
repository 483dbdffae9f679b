package org.gnn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link GraphDataset} in gnn4j's plain format, so a dataset read from TU raw files
 * (or built in code) can be stored once and then read by {@link GraphDatasetReader} and
 * {@code gnn4j info}. meta.json lists the counts and the size + SHA-256 of every file written;
 * the output is deterministic (Java's gzip header carries no time stamp).
 */
public final class GraphDatasetWriter {
  private GraphDatasetWriter() {}

  /** Writes {@code d} into {@code dir} (created if needed; existing files are replaced). */
  public static void write(GraphDataset d, Path dir) {
    try {
      Files.createDirectories(dir);
      StringBuilder sb = new StringBuilder();
      for (int g = 0; g < d.numGraphs(); g++) {
        sb.append(d.numNodes(g)).append('\t').append(d.numEdges(g)).append('\n');
      }
      PlainText.gz(dir, "graph_sizes.tsv.gz", sb);
      sb.setLength(0);
      for (int e = 0; e < d.numEdges(); e++) {
        sb.append(d.src()[e]).append('\t').append(d.dst()[e]).append('\n');
      }
      PlainText.gz(dir, "edge_index.tsv.gz", sb);
      if (d.nodeLabels() != null) PlainText.gz(dir, "node_labels.tsv.gz", PlainText.lines(d.nodeLabels()));
      if (d.edgeLabels() != null) PlainText.gz(dir, "edge_labels.tsv.gz", PlainText.lines(d.edgeLabels()));
      if (d.nodeAttr() != null) {
        sb.setLength(0);
        int a = d.numNodeAttributes();
        for (int v = 0; v < d.numNodes(); v++) {
          for (int c = 0; c < a; c++) {
            sb.append(c == 0 ? "" : ",").append(PlainText.real(d.nodeAttr()[v * a + c]));
          }
          sb.append('\n');
        }
        PlainText.gz(dir, "node_attr.csv.gz", sb);
      }
      if (d.isRegression()) {
        sb.setLength(0);
        for (float t : d.target()) sb.append(PlainText.real(t)).append('\n');
        PlainText.gz(dir, "y.tsv.gz", sb);
      } else {
        PlainText.gz(dir, "y.tsv.gz", PlainText.lines(d.y()));
      }
      String[][] splits = {{"train.txt", null}, {"val.txt", null}, {"test.txt", null}};
      int[][] ids = {d.train(), d.val(), d.test()};
      for (int i = 0; i < 3; i++) {
        Files.deleteIfExists(dir.resolve(splits[i][0]));
        if (ids[i].length > 0) Files.writeString(dir.resolve(splits[i][0]), PlainText.lines(ids[i]));
      }
      Files.writeString(dir.resolve(Meta.FILE), meta(d, dir));
    } catch (IOException e) {
      throw new UncheckedIOException("GraphDatasetWriter: cannot write " + dir, e);
    }
  }

  private static String meta(GraphDataset d, Path dir) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"name\": \"").append(d.name().replace("\\", "\\\\").replace("\"", "\\\""))
        .append("\",\n");
    sb.append("  \"kind\": \"").append(d.isRegression() ? "graph_regression"
        : "graph_classification").append("\",\n");
    sb.append("  \"num_graphs\": ").append(d.numGraphs()).append(",\n");
    sb.append("  \"num_nodes\": ").append(d.numNodes()).append(",\n");
    sb.append("  \"num_edges\": ").append(d.numEdges()).append(",\n");
    if (d.nodeLabels() != null) sb.append("  \"num_node_labels\": ").append(d.numNodeLabels()).append(",\n");
    if (d.edgeLabels() != null) sb.append("  \"num_edge_labels\": ").append(d.numEdgeLabels()).append(",\n");
    if (d.nodeAttr() != null) {
      sb.append("  \"num_node_attributes\": ").append(d.numNodeAttributes()).append(",\n");
    }
    if (!d.isRegression()) sb.append("  \"num_classes\": ").append(d.numClasses()).append(",\n");
    sb.append("  \"files\": {");
    String[] names = {"edge_index.tsv.gz", "edge_labels.tsv.gz", "graph_sizes.tsv.gz",
        "node_attr.csv.gz", "node_labels.tsv.gz", "test.txt", "train.txt", "val.txt", "y.tsv.gz"};
    DataSource src = DataSource.directory(dir);
    boolean first = true;
    for (String f : names) {
      if (!src.has(f)) continue;
      long[] size = new long[1];
      String sha = DataFiles.sha256(src, f, size);
      sb.append(first ? "\n" : ",\n").append("    \"").append(f).append("\": {\"bytes\": ")
          .append(size[0]).append(", \"sha256\": \"").append(sha).append("\"}");
      first = false;
    }
    return sb.append("\n  }\n}\n").toString();
  }
}
