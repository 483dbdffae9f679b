package org.gnn4j.spark.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.io.Json;
import org.gnn4j.io.JsonText;

/**
 * The small {@code graph.json} that may sit beside a graph's Parquet folders: what the tables
 * hold, so a reader knows the feature width and the number of classes without scanning them and
 * can check every row against them. Written by {@code gnn4j spark export} and {@code generate};
 * optional for tables a user writes (then {@link GraphTableReader} takes the width from the node
 * with the smallest id).
 *
 * @param kind {@code node} (one graph, node labels), {@code graph} (many graphs, graph labels) or
 *     {@code hetero} (one graph with node types and relations; labels on the target type)
 * @param numFeatures node feature width F (hetero: 0, every type has its own)
 * @param numClasses classes of the labels (0: none, or a regression target)
 */
public record GraphInfo(String name, String kind, int numFeatures, int numClasses, long numNodes,
                        long numEdges, long numGraphs) {
  public static final String FILE = "graph.json";
  public static final String FORMAT = "gnn4j-graph-tables";
  public static final int VERSION = 1;

  public GraphInfo {
    if (!kind.equals("node") && !kind.equals("graph") && !kind.equals("hetero")) {
      throw new IllegalArgumentException(FILE + ": kind '" + kind + "' is unknown (expected node, graph"
          + " or hetero)");
    }
    if (numFeatures < 0 || numClasses < 0) {
      throw new IllegalArgumentException(FILE + ": num_features and num_classes must be >= 0 (got "
          + numFeatures + ", " + numClasses + ")");
    }
  }

  /** The JSON text, one object on one line. */
  public String toJson() {
    return new JsonText().put("format", FORMAT).put("version", VERSION).put("name", name)
        .put("kind", kind).put("num_features", numFeatures).put("num_classes", numClasses)
        .put("num_nodes", numNodes).put("num_edges", numEdges).put("num_graphs", numGraphs)
        .put("features", "ARRAY<FLOAT>") + "\n";
  }

  /** Writes {@code graph.json} into {@code dir} (any Hadoop file system path). */
  public void write(SparkSession spark, String dir) {
    Path p = new Path(dir, FILE);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream o = fs.create(p, false)) {
        o.write(toJson().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + " (" + e.getMessage() + ")", e);
    }
  }

  /** The {@code graph.json} in {@code dir}, or null when there is none. */
  public static GraphInfo read(SparkSession spark, String dir) {
    Path p = new Path(dir, FILE);
    String text;
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) return null;
      try (InputStream in = fs.open(p)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " (" + e.getMessage() + ")", e);
    }
    return parse(text, p.toString());
  }

  static GraphInfo parse(String text, String where) {
    if (!(Json.parse(text, where) instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + ": expected a JSON object");
    }
    if (!FORMAT.equals(m.get("format"))) {
      throw new IllegalArgumentException(where + ": format is " + m.get("format") + ", expected \""
          + FORMAT + "\"");
    }
    long version = number(m, "version", where);
    if (version > VERSION) {
      throw new IllegalArgumentException(where + ": version " + version + " is newer than this gnn4j"
          + " reads (" + VERSION + ")");
    }
    Object name = m.get("name");
    return new GraphInfo(name == null ? "" : name.toString(), String.valueOf(m.get("kind")),
        Math.toIntExact(number(m, "num_features", where)), Math.toIntExact(number(m, "num_classes", where)),
        number(m, "num_nodes", where), number(m, "num_edges", where), number(m, "num_graphs", where));
  }

  private static long number(Map<?, ?> m, String key, String where) {
    if (!(m.get(key) instanceof Long v)) {
      throw new IllegalArgumentException(where + ": " + key + " must be an integer (got "
          + m.get(key) + ")");
    }
    return v;
  }
}
