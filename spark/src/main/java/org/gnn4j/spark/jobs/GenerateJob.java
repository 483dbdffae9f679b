package org.gnn4j.spark.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.PrintStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.io.JsonText;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.spark.tables.GraphInfo;
import org.gnn4j.spark.tables.GraphTables;

/**
 * {@code gnn4j spark generate --edges N --features F --classes C --seed S --out DIR [--gnn4j-out
 * DIR2]}: a random graph for benchmarks, made inside Spark so that no row passes through the
 * driver: {@code N / 10} nodes, each with a class drawn uniformly from {@code [0, C)} and F binary
 * features (1 with probability 0.5 where {@code j mod C} is its class, else 0.1, so a model can
 * learn the class), a 60/20/20 train/val/test split, and N edges whose ends are drawn uniformly.
 * Every value is a hash ({@code xxhash64}) of the seed and the row's own index, so the graph is the
 * same for a seed whatever the number of partitions or machines. {@code --gnn4j-out} also writes
 * the graph in gnn4j's plain node-dataset format ({@link GenerateGnn4jFiles}) for single-machine
 * runs on the identical graph. Features are 0 or 1 because that format stores features as the
 * positions of the ones. {@code --relations R} also gives every edge a relation uniform in
 * {@code [0, R)} (the edge table's INT {@code relation} column, {@code edge_type.tsv.gz} in the
 * plain format) for models with rgcn layers.
 */
public final class GenerateJob {
  private GenerateJob() {}

  static final String USAGE = "usage: gnn4j spark generate --edges N --features F --classes C"
      + " --seed S --out DIR [--relations R] [--gnn4j-out DIR2] [--master URL]   (N may be 20k, 10M, 1B)";

  /** Rows per partition: one partition's rows fit a small driver when streamed to gnn4j files. */
  static final long EDGES_PER_PARTITION = 2_000_000;
  static final long NODES_PER_PARTITION = 250_000;

  /** The parameters of a generated graph; {@code relations} 0 for edges without relations. */
  public record Spec(long edges, int features, int classes, long seed, int relations) {
    public Spec {
      if (edges < 1 || features < 1 || classes < 1 || relations < 0) {
        throw new IllegalArgumentException("generate: --edges, --features and --classes must be >= 1"
            + " and --relations >= 0 (got " + edges + ", " + features + ", " + classes + ", " + relations + ")");
      }
    }

    /** A graph whose edges carry no relation. */
    public Spec(long edges, int features, int classes, long seed) {
      this(edges, features, classes, seed, 0);
    }

    public long nodes() {
      return Math.max(1, edges / 10);
    }
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    ExportOptions o = new ExportOptions("generate", args, "edges", "features", "classes", "seed",
        "out", "gnn4j-out", "master", "relations");
    if (o.help()) {
      out.println(USAGE);
      return 0;
    }
    Spec spec = new Spec(o.positiveLong("edges", null, 1),
        Math.toIntExact(o.positiveLong("features", "64", 1)), Math.toIntExact(o.positiveLong("classes", "4", 1)),
        o.positiveLong("seed", "0", Long.MIN_VALUE), Math.toIntExact(o.positiveLong("relations", "0", 0)));
    if (spec.nodes() > Integer.MAX_VALUE - 8 && o.get("gnn4j-out", null) != null) {
      throw new IllegalArgumentException("generate: --gnn4j-out holds at most 2^31 nodes (got "
          + spec.nodes() + ")");
    }
    String dir = o.required("out");
    String dir2 = o.get("gnn4j-out", null);
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.get(o.get("master", null), 8);
    ExportOptions.refuseExisting(spark, "--out", dir);
    if (dir2 != null && java.nio.file.Files.exists(java.nio.file.Path.of(dir2))) {
      ExportOptions.refuseExisting(null, "--gnn4j-out", dir2);
    }
    GraphTables.Frames g = generate(spark, spec);
    try {
      GraphTables.write(g, dir);
      new GraphInfo("random-" + spec.edges() + "-seed" + spec.seed(), "node", spec.features(), spec.classes(),
          spec.nodes(), spec.edges(), 1).write(spark, dir);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown anyway
      ExportOptions.removeQuietly(spark, dir);
      throw ExportOptions.failed("generate", dir, e);
    }
    if (dir2 != null) {
      err.println("gnn4j: writing " + dir2 + " (gnn4j plain format, streamed through the driver)");
      GenerateGnn4jFiles.write(g, spec, java.nio.file.Path.of(dir2));
    }
    out.println(new JsonText().put("out", dir).put("gnn4j_out", dir2).put("nodes", spec.nodes())
        .put("edges", spec.edges()).put("features", spec.features()).put("classes", spec.classes())
        .put("seed", spec.seed()).put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0));
    return 0;
  }

  /** The generated tables (lazy: nothing runs until they are written or read). */
  public static GraphTables.Frames generate(SparkSession spark, Spec s) {
    long n = s.nodes();
    return generate(spark, s, (int) Math.max(1, Math.min(100_000, (n + NODES_PER_PARTITION - 1) / NODES_PER_PARTITION)),
        (int) Math.max(1, Math.min(100_000, (s.edges() + EDGES_PER_PARTITION - 1) / EDGES_PER_PARTITION)));
  }

  /** {@link #generate(SparkSession, Spec)} with the partition counts given (the rows do not change). */
  static GraphTables.Frames generate(SparkSession spark, Spec s, int nodeParts, int edgeParts) {
    long n = s.nodes();
    String seed = s.seed() + "L";
    // xxhash64(seed, row, stream) is a pure function of its arguments: no state, no partition index
    Dataset<Row> nodes = spark.range(0, n, 1, nodeParts)
        .withColumn(GraphTables.LABEL, expr("CAST(pmod(xxhash64(" + seed + ", id, -1L), " + s.classes()
            + ") AS INT)"))
        .withColumn(GraphTables.FEATURES, expr("transform(sequence(0, " + (s.features() - 1)
            + "), j -> CAST(IF(pmod(xxhash64(" + seed + ", id, CAST(j AS BIGINT)), 1000000) < IF(pmod(j, "
            + s.classes() + ") = label, 500000, 100000), 1.0, 0.0) AS FLOAT))"))
        .withColumn(GraphTables.SPLIT, expr("CASE WHEN pmod(xxhash64(" + seed + ", id, -2L), 10) < 6"
            + " THEN 'train' WHEN pmod(xxhash64(" + seed + ", id, -2L), 10) < 8 THEN 'val' ELSE 'test' END"))
        .select(col(GraphTables.ID), col(GraphTables.FEATURES), col(GraphTables.LABEL), col(GraphTables.SPLIT));
    Dataset<Row> edges = spark.range(0, s.edges(), 1, edgeParts)
        .select(expr("pmod(xxhash64(" + seed + ", id, -3L), " + n + "L)").as(GraphTables.SRC),
            expr("pmod(xxhash64(" + seed + ", id, -4L), " + n + "L)").as(GraphTables.DST),
            expr("CAST(pmod(xxhash64(" + seed + ", id, -5L), " + Math.max(1, s.relations()) + ") AS INT)")
                .as(GraphTables.RELATION));
    if (s.relations() == 0) edges = edges.drop(GraphTables.RELATION);
    return new GraphTables.Frames(nodes, edges, null);
  }
}
