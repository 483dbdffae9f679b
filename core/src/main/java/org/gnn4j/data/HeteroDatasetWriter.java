package org.gnn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Relation;

/**
 * Writes a {@link HeteroDataset} in gnn4j's plain heterogeneous format (docs/data-format.md,
 * section 6), gzip-compressed, so that {@link HeteroDatasetReader} reads back the same dataset.
 * meta.json lists the counts and the size + SHA-256 of every file written; the output is
 * deterministic (Java's gzip header carries no time stamp).
 */
public final class HeteroDatasetWriter {
  private HeteroDatasetWriter() {}

  /**
   * Writes {@code d} into {@code dir} (created if needed; files of the same names replaced).
   *
   * @throws IllegalArgumentException if a type or relation name contains '/' or '\'
   */
  public static void write(HeteroDataset d, Path dir) {
    for (String t : d.graph().nodeTypes()) {
      if (!HeteroMeta.fileSafe(t)) {
        throw new IllegalArgumentException("HeteroDatasetWriter: node type '" + t + "' cannot be"
            + " part of a file name (expected no '/' or '\\')");
      }
    }
    for (Relation r : d.graph().relations()) {
      if (!HeteroMeta.fileSafe(r.name())) {
        throw new IllegalArgumentException("HeteroDatasetWriter: relation " + r + " cannot be"
            + " part of a file name (expected no '/' or '\\')");
      }
    }
    try {
      Files.createDirectories(dir);
      List<String> files = new ArrayList<>();
      for (String t : d.graph().nodeTypes()) {
        Table x = d.x().get(t);
        if (x != null) files.add(PlainText.gz(dir, "x_" + t + ".csv.gz", rows(x)));
      }
      for (Relation r : d.graph().relations()) {
        EdgeIndex e = d.graph().edges(r);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < e.numEdges(); k++) {
          sb.append(e.src()[k]).append('\t').append(e.dst()[k]).append('\n');
        }
        files.add(PlainText.gz(dir, "edges_" + r + ".tsv.gz", sb));
        Table a = d.edgeAttr().get(r);
        if (a != null) files.add(PlainText.gz(dir, "edge_attr_" + r + ".csv.gz", rows(a)));
      }
      String[] splits = {"train.txt", "val.txt", "test.txt"};
      int[][] ids = {d.train(), d.val(), d.test()};
      for (int i = 0; i < 3; i++) {
        Files.deleteIfExists(dir.resolve(splits[i]));
        if (ids[i].length > 0) {
          Files.writeString(dir.resolve(splits[i]), PlainText.lines(ids[i]));
          files.add(splits[i]);
        }
      }
      if (d.hasTarget()) files.add(PlainText.gz(dir, "y_" + d.target() + ".tsv.gz", PlainText.lines(d.y())));
      Files.writeString(dir.resolve(Meta.FILE), meta(d, dir, files));
    } catch (IOException e) {
      throw new UncheckedIOException("HeteroDatasetWriter: cannot write " + dir, e);
    }
  }

  private static String meta(HeteroDataset d, Path dir, List<String> files) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"name\": ").append(quote(d.name())).append(",\n");
    sb.append("  \"kind\": \"").append(HeteroMeta.KIND).append("\",\n");
    sb.append("  \"node_types\": [");
    List<String> types = d.graph().nodeTypes();
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(t))
          .append(", \"num_nodes\": ").append(d.graph().numNodes(t));
      if (d.x().containsKey(t)) sb.append(", \"num_features\": ").append(d.numFeatures(t));
      sb.append('}');
    }
    sb.append("\n  ],\n  \"relations\": [");
    List<Relation> rels = d.graph().relations();
    for (int i = 0; i < rels.size(); i++) {
      Relation r = rels.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(r.toString()))
          .append(", \"num_edges\": ").append(d.graph().edges(r).numEdges());
      if (d.edgeAttr().containsKey(r)) sb.append(", \"edge_dim\": ").append(d.edgeDim(r));
      sb.append('}');
    }
    sb.append(rels.isEmpty() ? "],\n" : "\n  ],\n");
    if (d.hasTarget()) {
      sb.append("  \"target\": ").append(quote(d.target())).append(",\n");
      sb.append("  \"num_classes\": ").append(d.numClasses()).append(",\n");
    }
    sb.append("  \"files\": {");
    DataSource src = DataSource.directory(dir);
    List<String> sorted = files.stream().sorted().toList();
    for (int i = 0; i < sorted.size(); i++) {
      String f = sorted.get(i);
      long[] size = new long[1];
      String sha = DataFiles.sha256(src, f, size);
      sb.append(i == 0 ? "\n" : ",\n").append("    ").append(quote(f)).append(": {\"bytes\": ")
          .append(size[0]).append(", \"sha256\": \"").append(sha).append("\"}");
    }
    return sb.append(sorted.isEmpty() ? "}\n}\n" : "\n  }\n}\n").toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static StringBuilder rows(Table t) {
    StringBuilder sb = new StringBuilder(t.data().length * 4);
    for (int i = 0; i < t.rows(); i++) {
      for (int c = 0; c < t.cols(); c++) sb.append(c == 0 ? "" : ",").append(PlainText.real(t.get(i, c)));
      sb.append('\n');
    }
    return sb;
  }
}
