package org.gnn4j.spark.infer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.spark.tables.GraphTableReader;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.PredictionCsv;
import org.gnn4j.train.Task;
import org.gnn4j.train.TrainCheckpoints;

/**
 * {@code gnn4j spark infer}: layer-wise inference of a trained node-level checkpoint over a whole
 * graph, read from a dataset gnn4j reads (by name or directory, prepared as {@code gnn4j predict}
 * prepares it) or from Parquet tables ({@link GraphTables}); writes per node its id, predicted
 * class and scores (or its embedding) as Parquet, or with {@code --format csv} the very CSV
 * {@code gnn4j predict} writes ({@code node,class}, nodes by id), so the two compare line by line.
 */
public final class InferJob {
  private InferJob() {}

  /** Name of the CSV file under --out. */
  public static final String CSV = "predictions.csv";

  private static final String USAGE = "usage: gnn4j spark infer --checkpoint FILE --data NAME|DIR|PARQUET_DIR"
      + " --out DIR [--format parquet|csv] [--output predictions|embeddings] [--partitions N] [--master URL]";

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> o = options(args);
    if (o.containsKey("help")) {
      out.println(USAGE);
      return 0;
    }
    String ckpt = o.remove("checkpoint");
    String data = o.remove("data");
    String dir = o.remove("out");
    String format = o.getOrDefault("format", "parquet");
    o.remove("format");
    String output = o.getOrDefault("output", "predictions");
    o.remove("output");
    String master = o.remove("master");
    String parts = o.remove("partitions");
    if (!o.isEmpty()) throw new IllegalArgumentException("spark infer: unknown option --" + o.keySet().iterator().next() + " (" + USAGE + ")");
    if (ckpt == null || data == null || dir == null) {
      throw new IllegalArgumentException("spark infer: --checkpoint FILE, --data NAME|DIR|PARQUET_DIR and --out DIR are required");
    }
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("spark infer: --format is parquet or csv (got '" + format + "')");
    }
    if (!output.equals("predictions") && !output.equals("embeddings")) {
      throw new IllegalArgumentException("spark infer: --output is predictions or embeddings (got '" + output + "')");
    }
    boolean embeddings = output.equals("embeddings");
    if (embeddings && format.equals("csv")) {
      throw new IllegalArgumentException("spark infer: --format csv writes gnn4j predict's CSV of classes;"
          + " write embeddings as parquet");
    }
    int partitions = parts == null ? Math.max(2, 2 * Runtime.getRuntime().availableProcessors()) : positive(parts);
    if (!Files.exists(Path.of(ckpt))) throw new IllegalArgumentException("spark infer: --checkpoint " + ckpt + " does not exist");
    Path outDir = Path.of(dir);
    if (format.equals("parquet") ? Files.exists(outDir) : Files.exists(outDir.resolve(CSV))) {
      throw new IllegalArgumentException("spark infer: --out " + (format.equals("parquet") ? dir : outDir.resolve(CSV))
          + " already exists (choose a new one)");
    }

    long t0 = System.nanoTime();
    ModelPlan plan;
    GraphTables.Frames tables;
    int nodeWidth = -1;   // the width GraphTableReader found on every node row; -1: not checked
    GraphTableReader.Checked checked = null;   // Parquet input whose rows the engine checks itself
    long nodeCount = -1;   // graph.json's figure, which spares the engine a count of the node table
    try (Context ctx = Context.builder().threads(1).build()) {
      var spec = Experiment.of(TrainCheckpoints.readConfig(Path.of(ckpt))).model();
      if (spec.hetero() != null) {
        throw new IllegalArgumentException("spark infer: layer '" + spec.layer() + "' of a heterogeneous model"
            + " (model.hetero) is not supported; layer-wise inference runs homogeneous models");
      }
      plan = ModelPlan.of(TrainCheckpoints.loadGraphModel(Path.of(ckpt), ctx));
    }
    // embedded, the tasks share this JVM's JIT: compile the dense kernels while the session starts
    // (mostly one busy core) and the tables are read
    if (SparkSessions.embedded(master) && BlockInference.runs(plan)) JitWarmUp.start(plan);
    SparkSession spark = SparkSessions.get(master, partitions);
    try (Context ctx = Context.builder().threads(1).build()) {
      boolean parquet = Files.isDirectory(Path.of(data, GraphTables.NODES)) && Files.isDirectory(Path.of(data, GraphTables.EDGES));
      if (parquet) {
        // the block engine meets every row, node id and endpoint in its first pass and fails on
        // a bad one: the reader's row and key checks (a scan of each table, two shuffles of every
        // id) then run only to name the problem that pass found
        boolean defer = BlockInference.runs(plan);
        GraphTableReader.Checked read = defer ? GraphTableReader.readDeferred(spark, data)
            : GraphTableReader.read(spark, data);
        if (defer) checked = read;
        tables = read.frames();
        nodeWidth = read.numFeatures();
        if (read.info() != null) nodeCount = read.info().numNodes();
      } else {
        tables = frames(spark, ckpt, data, ctx);
      }
    }
    err.println("gnn4j spark: inferring with " + plan.layers().size() + " " + plan.layers().get(0).kind()
        + " layers on " + data);
    // the reader already held every node row to one width: scan again only to name a row that
    // differs from the model's
    if (nodeWidth != plan.numFeatures()) InferTables.checkNodes(tables.nodes(), plan.numFeatures());
    if (plan.relations() > 0) {
      InferTables.checkRelations(tables.edges(), plan.relations());
    } else {
      InferTables.checkEdges(tables.edges(), plan.edgeFeatures());
    }
    err.println(String.format(java.util.Locale.ROOT, "gnn4j spark: session started, tables read and checked (%.1f s)",
        (System.nanoTime() - t0) / 1e9));
    JavaPairRDD<Long, float[]> rows;
    try {
      rows = LayerwiseInference.run(spark, plan, tables.nodes(), tables.edges(),
          embeddings ? LayerwiseInference.Output.EMBEDDINGS : LayerwiseInference.Output.PREDICTIONS, partitions, err,
          nodeCount);
    } catch (Exception e) { // SparkException is checked in Java's eyes but thrown anyway
      // a Spark task that met a bad row fails with its own exception: name the row instead (a
      // task out of memory met no bad row, and scanning the tables again would only delay saying so)
      if (checked != null && org.gnn4j.spark.SparkErrors.outOfMemory(e) == null) GraphTableReader.checkDeferred(checked, data);
      throw e;
    }
    long n;
    if (format.equals("csv")) {
      n = writeCsv(rows, outDir.resolve(CSV));
    } else {
      n = writeParquet(spark, rows, dir, embeddings);
    }
    out.println("{\"out\":\"" + (format.equals("csv") ? outDir.resolve(CSV) : dir).toString().replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"rows\":" + n + "}");
    return 0;
  }

  private static int positive(String s) {
    try {
      int v = Integer.parseInt(s);
      if (v >= 1) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("spark infer: --partitions must be a whole number >= 1 (got '" + s + "')");
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        o.put("help", "");
        continue;
      }
      if (!a.startsWith("--")) throw new IllegalArgumentException("spark infer: unexpected argument '" + a + "' (" + USAGE + ")");
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("spark infer: --" + key + " needs a value");
        value = args[++i];
      }
      o.put(key, value);
    }
    return o;
  }

  /**
   * A dataset gnn4j reads, as the checkpoint's task prepares it for predict (feature
   * normalisation and all): nodes 0..N-1 with their features, the task's edges.
   */
  static GraphTables.Frames frames(SparkSession spark, String ckpt, String data, Context ctx) {
    Experiment exp = Experiment.of(TrainCheckpoints.readConfig(Path.of(ckpt)));
    if (!Files.isDirectory(Path.of(data)) && !data.equals(exp.dataset().name())) {
      // another embedded dataset: read as it is (the checkpoint's preparation is for its own data)
      return GraphTables.of(spark, org.gnn4j.data.Datasets.node(data));
    }
    Task<GraphModel> task = exp.task(ctx, Files.isDirectory(Path.of(data)) ? Path.of(data) : null);
    if (!(task instanceof NodeClassificationTask t)) {
      throw new IllegalArgumentException("spark infer: " + data + " with this checkpoint is a "
          + task.getClass().getSimpleName() + "; layer-wise inference runs node classification models");
    }
    return frames(spark, t.input());
  }

  /** Tables of one in-memory graph: node i has id i; edges carry their relation when it has any. */
  public static GraphTables.Frames frames(SparkSession spark, ModelInput in) {
    int n = in.x().dim(0);
    int f = in.x().dim(1);
    float[] x = in.x().data();
    List<Row> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) nodes.add(RowFactory.create((long) i, Blocks.row(x, i, f)));
    EdgeIndex e = in.graph().edges();
    int[] rel = in.edgeTypes();
    List<Row> edges = new ArrayList<>(e.numEdges());
    for (int k = 0; k < e.numEdges(); k++) {
      edges.add(rel == null ? RowFactory.create((long) e.src()[k], (long) e.dst()[k])
          : RowFactory.create((long) e.src()[k], (long) e.dst()[k], rel[k]));
    }
    StructType ns = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    List<org.apache.spark.sql.types.StructField> ef = new ArrayList<>(List.of(
        DataTypes.createStructField(GraphTables.SRC, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.DST, DataTypes.LongType, false)));
    if (rel != null) ef.add(DataTypes.createStructField(GraphTables.RELATION, DataTypes.IntegerType, false));
    StructType es = DataTypes.createStructType(ef);
    return new GraphTables.Frames(spark.createDataFrame(nodes, ns), spark.createDataFrame(edges, es), null);
  }

  static int argmax(float[] z) {
    return PredictionCsv.argmax(z);
  }

  /**
   * gnn4j predict's CSV ({@code node,class}, one row per node in id order): each partition's
   * classes, sorted by id where they are ({@link ClassRun}), merged on the driver into a temporary
   * file that is then renamed. The driver holds 12 bytes per node.
   */
  static long writeCsv(JavaPairRDD<Long, float[]> rows, Path target) {
    List<ClassRun> runs = rows.mapPartitions(it -> List.of(ClassRun.of(it)).iterator()).collect();
    Path tmp = null;
    long n;
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      tmp = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(PredictionCsv.NODE_HEADER);
        n = ClassRun.write(runs, w);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalArgumentException("spark infer: cannot write " + target + " (" + e.getMessage() + ")");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // only left behind if the disk went away
        }
      }
    }
    return n;
  }

  /** (id, prediction, scores) or (id, embedding) as Parquet under {@code dir}. */
  static long writeParquet(SparkSession spark, JavaPairRDD<Long, float[]> rows, String dir, boolean embeddings) {
    JavaRDD<Row> r = rows.map(t -> embeddings ? RowFactory.create(t._1(), t._2())
        : RowFactory.create(t._1(), argmax(t._2()), t._2()));
    List<org.apache.spark.sql.types.StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false));
    if (!embeddings) fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(embeddings ? "embedding" : "scores",
        DataTypes.createArrayType(DataTypes.FloatType, false), false));
    var df = spark.createDataFrame(r, DataTypes.createStructType(fields));
    df.write().parquet(dir);
    return spark.read().parquet(dir).count();
  }
}
