package org.gnn4j.spark.sign;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Adam;
import org.gnn4j.spark.SparkSessions;
import org.gnn4j.spark.precompute.HopFeatures;
import org.gnn4j.spark.precompute.JobOptions;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code ./gnn4j spark train-sign}: trains a {@link SignModel} on one machine from the hop
 * features {@code ./gnn4j spark precompute --what sign} wrote, streaming them: the labelled rows
 * stay in Spark (persisted, hash-partitioned by id and sorted within each partition, so their
 * placement does not depend on the run), and every epoch the driver fetches one partition at a
 * time in a seeded random order, shuffles its rows and takes mini-batches from them. The driver
 * holds the model and one partition, never the table. Validation accuracy is measured the same
 * way after each epoch; the parameters of the best one are kept, scored on the test rows and
 * written as a safetensors checkpoint. The same seed and thread count give the same bits.
 *
 * <p>Labels come from {@code --labels}: a gnn4j node dataset (name or directory: its labels and
 * its train/val/test split, node i being id i), or a Parquet table with columns {@code id}
 * BIGINT, {@code label} INT and {@code split} STRING (train, val or test).
 */
public final class TrainSignJob {
  private TrainSignJob() {}

  private static final Set<String> OPTIONS = Set.of("--features", "--labels", "--epochs", "--out",
      "--hidden", "--lr", "--weight-decay", "--dropout", "--input-dropout", "--batch-size", "--seed",
      "--threads", "--rows-per-partition", "--eval-every", "--master");

  /** Hyper-parameters and sizes of one run. */
  public record Settings(int epochs, int hidden, float lr, float weightDecay, float dropout,
                         float inputDropout, int batchSize, long seed, int threads,
                         int rowsPerPartition, int evalEvery) {
    public Settings {
      if (epochs < 1 || batchSize < 1 || rowsPerPartition < 1 || evalEvery < 1) {
        throw new IllegalArgumentException("train-sign: --epochs, --batch-size,"
            + " --rows-per-partition and --eval-every must be >= 1 (got " + epochs + ", "
            + batchSize + ", " + rowsPerPartition + ", " + evalEvery + ")");
      }
    }
  }

  /** What a run reached: the epoch of the best validation accuracy, and the test accuracy there. */
  public record Result(int bestEpoch, double valAccuracy, double testAccuracy, long trainRows,
                       Map<String, float[]> parameters) {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> o = JobOptions.parse(args, OPTIONS, "train-sign");
    String features = JobOptions.required(o, "--features", "train-sign");
    String labels = JobOptions.required(o, "--labels", "train-sign");
    Path ckpt = Path.of(JobOptions.required(o, "--out", "train-sign"));
    if (Files.exists(ckpt)) {
      throw new IllegalArgumentException("--out: " + ckpt + " already exists (refusing to overwrite"
          + " it; choose a new file)");
    }
    Settings s = new Settings(JobOptions.integer(o, "--epochs", 200), JobOptions.integer(o, "--hidden", 64),
        JobOptions.real(o, "--lr", 0.01f), JobOptions.real(o, "--weight-decay", 5e-4f),
        JobOptions.real(o, "--dropout", 0.5f), JobOptions.real(o, "--input-dropout", 0.5f),
        JobOptions.integer(o, "--batch-size", 512), JobOptions.longInt(o, "--seed", 0),
        JobOptions.integer(o, "--threads", 1), JobOptions.integer(o, "--rows-per-partition", 50_000),
        JobOptions.integer(o, "--eval-every", 1));
    SparkSession spark = SparkSessions.get(o.get("--master"), 8);
    Result r = train(spark, features, labels, s, err);
    save(ckpt, r, s, features);
    out.printf("{\"best_epoch\":%d,\"val_accuracy\":%.4f,\"test_accuracy\":%.4f,\"train_rows\":%d}%n",
        r.bestEpoch(), r.valAccuracy(), r.testAccuracy(), r.trainRows());
    return 0;
  }

  /** One labelled node: its hops concatenated, [(K + 1) * F] (one array: cheap to serialise). */
  record Sample(long id, int label, float[] x) implements java.io.Serializable {}

  /** The labelled rows of one split, streamed partition by partition. */
  private record Split(JavaRDD<Sample> rows, int partitions, long count) {}

  /** Trains and evaluates; progress lines go to {@code err}. */
  public static Result train(SparkSession spark, String featuresDir, String labelsArg, Settings s,
                             PrintStream err) {
    Dataset<Row> features = spark.read().parquet(featuresDir);
    int hops = hopColumns(features, featuresDir);
    int f = featureLength(features, featuresDir, hops);
    List<String> keep = new ArrayList<>(List.of("id"));
    for (int k = 0; k < hops; k++) keep.add(HopFeatures.hop(k));
    features = features.selectExpr(keep.toArray(new String[0]));    // its own label, if any, is not used
    Dataset<Row> labels = labels(spark, labelsArg);
    int classes = 1 + labels.agg(org.apache.spark.sql.functions.max(col("label"))).first().getInt(0);
    Dataset<Row> joined = features.join(labels, features.col("id").equalTo(labels.col("lid")));
    Split train = split(joined, "train", hops, s.rowsPerPartition());
    Split val = split(joined, "val", hops, s.rowsPerPartition());
    Split test = split(joined, "test", hops, s.rowsPerPartition());
    if (train.count() == 0) {
      throw new IllegalArgumentException("--labels: no labelled row of " + featuresDir
          + " is in the train split (check that the ids of the two tables match)");
    }
    SplittableRandom root = new SplittableRandom(s.seed());
    try (Context ctx = Context.builder().threads(s.threads()).seed(s.seed()).build()) {
      SignModel model = new SignModel(ctx, new SignModel.Config(hops, f, s.hidden(), classes,
          s.inputDropout(), s.dropout()), root.split());
      Adam opt = new Adam(model.parameters(), Adam.Config.of(s.lr(), s.weightDecay()));
      double bestVal = -1;
      int bestEpoch = 0;
      Map<String, float[]> best = snapshot(model);
      for (int epoch = 1; epoch <= s.epochs(); epoch++) {
        SplittableRandom rng = root.split();
        double loss = trainEpoch(model, opt, train, hops, f, s.batchSize(), rng, ctx);
        if (epoch % s.evalEvery() != 0 && epoch != s.epochs()) continue;
        double acc = accuracy(model, val, hops, f, s.batchSize(), ctx);
        if (acc > bestVal) {
          bestVal = acc;
          bestEpoch = epoch;
          best = snapshot(model);
        }
        err.printf("epoch %d: train loss %.4f, val accuracy %.4f%n", epoch, loss, acc);
      }
      restore(model, best);
      double testAcc = accuracy(model, test, hops, f, s.batchSize(), ctx);
      return new Result(bestEpoch, bestVal, testAcc, train.count(), best);
    } finally {
      train.rows().unpersist(false);
      val.rows().unpersist(false);
      test.rows().unpersist(false);
    }
  }

  /** One pass over the training rows: partitions in a random order, rows shuffled within each. */
  private static double trainEpoch(SignModel model, Adam opt, Split train, int hops, int f,
                                   int batch, SplittableRandom rng, Context ctx) {
    int[] order = permutation(train.partitions(), rng);
    double lossSum = 0;
    int batches = 0;
    for (int p : order) {
      List<Sample> rows = train.rows().collectPartitions(new int[] {p})[0];
      int[] idx = permutation(rows.size(), rng);
      for (int from = 0; from < idx.length; from += batch) {
        int[] pick = Arrays.copyOfRange(idx, from, Math.min(idx.length, from + batch));
        Batch b = batch(rows, pick, hops, f, ctx);
        opt.zeroGrad();
        Tensor loss = CrossEntropy.apply(model.forward(b.hops(), rng.split()), b.labels(), null);
        Autograd.backward(loss);
        opt.step();
        lossSum += loss.item();
        batches++;
      }
    }
    return batches == 0 ? 0 : lossSum / batches;
  }

  /** Accuracy over a split, streamed in order; 0 for an empty split. */
  private static double accuracy(SignModel model, Split split, int hops, int f, int batch,
                                 Context ctx) {
    long correct = 0;
    try (var g = ctx.noGrad()) {
      for (int p = 0; p < split.partitions(); p++) {
        List<Sample> rows = split.rows().collectPartitions(new int[] {p})[0];
        for (int from = 0; from < rows.size(); from += batch) {
          int[] pick = new int[Math.min(rows.size(), from + batch) - from];
          for (int i = 0; i < pick.length; i++) pick[i] = from + i;
          Batch b = batch(rows, pick, hops, f, ctx);
          float[] z = model.forward(b.hops(), null).data();
          int c = z.length / pick.length;
          for (int i = 0; i < pick.length; i++) {
            int arg = 0;
            for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + arg]) arg = j;
            if (arg == b.labels()[i]) correct++;
          }
        }
      }
    }
    return split.count() == 0 ? 0 : correct / (double) split.count();
  }

  private record Batch(Tensor[] hops, int[] labels) {}

  /** The samples at {@code pick} as K + 1 tensors [B, F] and labels [B]. */
  private static Batch batch(List<Sample> rows, int[] pick, int hops, int f, Context ctx) {
    Tensor[] x = new Tensor[hops];
    int[] y = new int[pick.length];
    for (int k = 0; k < hops; k++) {
      float[] data = new float[pick.length * f];                  // data: [B, F]
      for (int i = 0; i < pick.length; i++) System.arraycopy(rows.get(pick[i]).x(), k * f, data, i * f, f);
      x[k] = ctx.tensor(data, pick.length, f);
    }
    for (int i = 0; i < pick.length; i++) y[i] = rows.get(pick[i]).label();
    return new Batch(x, y);
  }

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Rows (id, label, hop0..hopK) of one split, placed by id hash and sorted by id, persisted. */
  private static Split split(Dataset<Row> joined, String name, int hops, int rowsPerPartition) {
    List<org.apache.spark.sql.Column> cols = new ArrayList<>(List.of(col("id"), col("label")));
    for (int k = 0; k < hops; k++) cols.add(col(HopFeatures.hop(k)));
    Dataset<Row> rows = joined.where(col("split").equalTo(name)).select(cols.toArray(new org.apache.spark.sql.Column[0]));
    long count = rows.count();
    int partitions = (int) Math.max(1, (count + rowsPerPartition - 1) / rowsPerPartition);
    JavaRDD<Sample> rdd = rows.repartition(partitions, col("id")).sortWithinPartitions("id").javaRDD()
        .map(r -> {
          float[] x = null;
          for (int k = 0; k < hops; k++) {
            List<?> v = r.getList(2 + k);
            if (x == null) x = new float[hops * v.size()];
            for (int j = 0; j < v.size(); j++) x[k * v.size() + j] = ((Number) v.get(j)).floatValue();
          }
          return new Sample(r.getLong(0), r.getInt(1), x);
        })
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new Split(rdd, rdd.getNumPartitions(), count);
  }

  /** K + 1, after checking that hop0 .. hopK are the table's ARRAY&lt;FLOAT&gt; hop columns. */
  private static int hopColumns(Dataset<Row> features, String dir) {
    List<String> names = Arrays.asList(features.columns());
    int hops = 0;
    while (names.contains(HopFeatures.hop(hops))) {
      var type = features.schema().apply(HopFeatures.hop(hops)).dataType();
      if (!(type instanceof ArrayType a) || !a.elementType().equals(DataTypes.FloatType)) {
        throw new IllegalArgumentException(dir + ": column '" + HopFeatures.hop(hops) + "' has type "
            + type.sql() + " (expected ARRAY<FLOAT>)");
      }
      hops++;
    }
    if (hops == 0 || !names.contains("id")) {
      throw new IllegalArgumentException(dir + ": not a hop feature table (expected columns id,"
          + " hop0, hop1, ...; got " + String.join(", ", names) + ")");
    }
    return hops;
  }

  /** F, after checking every hop of every row has it. */
  private static int featureLength(Dataset<Row> features, String dir, int hops) {
    int f = features.selectExpr("size(hop0)").first().getInt(0);
    for (int k = 0; k < hops; k++) {
      String c = HopFeatures.hop(k);
      List<Row> bad = features.where("size(" + c + ") != " + f + " OR " + c + " IS NULL")
          .selectExpr("id", "size(" + c + ")").limit(1).collectAsList();
      if (!bad.isEmpty()) {
        throw new IllegalArgumentException(dir + ": column '" + c + "' of the row with id "
            + bad.get(0).getLong(0) + " has " + bad.get(0).get(1) + " values (expected " + f + ")");
      }
    }
    return f;
  }

  /** (lid, label, split) from a node dataset or a Parquet table. */
  private static Dataset<Row> labels(SparkSession spark, String arg) {
    Dataset<Row> t;
    if (Files.isDirectory(Path.of(arg)) && isParquet(Path.of(arg))) {
      t = spark.read().parquet(arg);
      for (String c : new String[] {"id", "label", "split"}) {
        if (!Arrays.asList(t.columns()).contains(c)) {
          throw new IllegalArgumentException("--labels: " + arg + " has no column '" + c
              + "' (expected id, label, split)");
        }
      }
      t = t.selectExpr("CAST(id AS BIGINT) AS lid", "CAST(label AS INT) AS label", "split");
    } else {
      NodeDataset d = Datasets.node(arg);
      List<Row> rows = new ArrayList<>();
      addSplit(rows, d, d.train(), "train");
      addSplit(rows, d, d.val(), "val");
      addSplit(rows, d, d.test(), "test");
      t = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
          DataTypes.createStructField("lid", DataTypes.LongType, false),
          DataTypes.createStructField("label", DataTypes.IntegerType, false),
          DataTypes.createStructField("split", DataTypes.StringType, false))));
    }
    return t;
  }

  private static boolean isParquet(Path dir) {
    try (var files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void addSplit(List<Row> rows, NodeDataset d, int[] ids, String name) {
    for (int i : ids) rows.add(RowFactory.create((long) i, d.y()[i], name));
  }

  private static Map<String, float[]> snapshot(SignModel m) {
    Map<String, float[]> s = new LinkedHashMap<>();
    m.namedParameters().forEach((k, v) -> s.put(k, v.data().clone()));
    return s;
  }

  private static void restore(SignModel m, Map<String, float[]> s) {
    m.namedParameters().forEach((k, v) -> System.arraycopy(s.get(k), 0, v.data(), 0, v.numel()));
  }

  /** The best parameters as safetensors, with the model's sizes and the run's scores as metadata. */
  private static void save(Path file, Result r, Settings s, String features) {
    List<Safetensors.Entry> entries = new ArrayList<>();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("model", "sign");
    meta.put("hidden", Integer.toString(s.hidden()));
    meta.put("features", features);
    meta.put("seed", Long.toString(s.seed()));
    meta.put("best_epoch", Integer.toString(r.bestEpoch()));
    meta.put("val_accuracy", Double.toString(r.valAccuracy()));
    meta.put("test_accuracy", Double.toString(r.testAccuracy()));
    r.parameters().forEach((k, v) -> entries.add(new Safetensors.Entry(k, "F32",
        k.endsWith("bias") ? new int[] {v.length} : shapeOf(k, v, r), v, null)));
    try {
      if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFiles.write(file, os -> SafetensorsWriter.write(os, entries, meta));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("--out: cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A weight's [out, in]: out is its bias's length. */
  private static int[] shapeOf(String name, float[] w, Result r) {
    float[] bias = r.parameters().get(name.substring(0, name.length() - "weight".length()) + "bias");
    return new int[] {bias.length, w.length / bias.length};
  }
}
