package org.gnn4j.spark.jobs;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.io.JsonText;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.spark.tables.GraphInfo;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.spark.tables.HeteroTables;

/**
 * {@code gnn4j spark export --data DIR|NAME --out DIR [--master URL]}: writes a dataset gnn4j
 * reads (a node dataset such as cora or karate, a dataset of many graphs such as zinc_subset or
 * mutag, plain or TU files, a heterogeneous graph such as user_item) as the Parquet tables of {@link GraphTables}, with a {@code graph.json}
 * beside them, so Spark jobs and a user's own Spark code can read it. The output must not exist;
 * a failed export removes what it wrote.
 */
public final class ExportJob {
  private ExportJob() {}

  static final String USAGE = "usage: gnn4j spark export --data DIR|NAME --out DIR [--master URL]";

  public static int run(String[] args, PrintStream out, PrintStream err) {
    ExportOptions o = new ExportOptions("export", args, "data", "out", "master");
    if (o.help()) {
      out.println(USAGE);
      return 0;
    }
    String data = o.required("data");
    String dir = o.required("out");
    if (!dir.contains("://") && java.nio.file.Files.exists(java.nio.file.Path.of(dir))) {
      ExportOptions.refuseExisting(null, "--out", dir); // fails before Spark starts
    }
    Loaded d = load(data);
    SparkSession spark = SparkSessions.get(o.get("master", null), 8);
    ExportOptions.refuseExisting(spark, "--out", dir);
    try {
      GraphTables.write(d.node != null ? GraphTables.of(spark, d.node) : d.graph != null
          ? GraphTables.of(spark, d.graph) : HeteroTables.of(spark, d.hetero), dir);
      d.info.write(spark, dir);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown anyway
      ExportOptions.removeQuietly(spark, dir);
      throw ExportOptions.failed("export", dir, e);
    }
    out.println(new JsonText().put("out", dir).put("kind", d.info.kind()).put("nodes", d.info.numNodes())
        .put("edges", d.info.numEdges()).put("graphs", d.info.numGraphs())
        .put("features", d.info.numFeatures()).put("classes", d.info.numClasses()));
    return 0;
  }

  private record Loaded(NodeDataset node, GraphDataset graph, HeteroDataset hetero, GraphInfo info) {}

  private static Loaded load(String data) {
    Datasets.Format f = Datasets.formatOf(data);
    switch (f) {
      case NODE -> {
        NodeDataset d = Datasets.node(data);
        return new Loaded(d, null, null, new GraphInfo(d.name(), "node", d.numFeatures(), d.numClasses(),
            d.numNodes(), d.edges().numEdges(), 1));
      }
      case GRAPH, TU -> {
        GraphDataset d = Datasets.graph(data);
        return new Loaded(null, d, null, new GraphInfo(d.name(), "graph", d.numNodeFeatures(),
            d.isRegression() ? 0 : d.numClasses(), d.numNodes(), d.numEdges(), d.numGraphs()));
      }
      case HETERO -> {
        HeteroDataset d = Datasets.hetero(data);
        return new Loaded(null, null, d, new GraphInfo(d.name(), "hetero", 0, d.numClasses(),
            d.graph().totalNodes(), d.graph().totalEdges(), 1));
      }
      default -> throw new IllegalArgumentException("export: --data " + data + " is a "
          + f.name().toLowerCase(java.util.Locale.ROOT) + " dataset, which the Parquet tables do not"
          + " hold yet (expected a node, graph or heterogeneous dataset)");
    }
  }
}
