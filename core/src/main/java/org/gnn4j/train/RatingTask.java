package org.gnn4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.data.Splits;
import org.gnn4j.data.relational.ColumnEncoders;
import org.gnn4j.data.relational.RawTable;
import org.gnn4j.data.relational.RelationalGraph;
import org.gnn4j.data.relational.TableSpec;
import org.gnn4j.data.relational.TemporalNeighborSampler;
import org.gnn4j.data.relational.TemporalSplit;
import org.gnn4j.graph.Relation;
import org.gnn4j.model.HeteroGraphModel;
import org.gnn4j.model.HeteroInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.model.PairRegressionModel;
import org.gnn4j.ops.Losses;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Regression of a numeric column of a timed table whose rows join two other tables (the rating
 * in {@code ratings(userId, movieId, rating, timestamp)}): every row is an example, the pair of
 * rows its first two foreign keys reference are its endpoints, and the split is temporal
 * ({@link TemporalSplit}). Each example's endpoints are encoded on their own time-respecting
 * sampled subgraph ({@link TemporalNeighborSampler}: only rows strictly before the example's
 * time), so neither the row being predicted nor anything after it feeds the prediction; earlier
 * rows of the same table, their target values included, are history the model may read, as the
 * database at that moment would hold them ({@code trainingHistoryOnly} hides the validation and
 * test rows from every history instead, so the model sees what the fixed baselines see). Tables
 * without feature columns get one constant
 * feature, so every node is represented by what it is linked to and a user who appears only in
 * the test period is encoded from that history instead of an untrained embedding row.
 * Scores RMSE (model selection), MAE and the MSE loss; predictions are clipped to the range of
 * the training targets.
 */
public final class RatingTask implements Task<PairRegressionModel> {
  private static final int EVAL_BATCH = 1024;
  private final Context ctx;
  private final RelationalGraph graph;
  private final RawTable raw;
  private final HeteroDataset data;
  private final TemporalNeighborSampler sampler;
  private final String typeA;
  private final String typeB;
  private final int[] endA;
  private final int[] endB;
  private final float[] y;
  private final long[] time;
  private final TemporalSplit split;
  private final int batchSize;
  private final float lo;
  private final float hi;
  private final float mean;
  private final long seed;
  private final boolean[] visible;  // [R] rows of the target table the history may hold
  private RatingBaselines baselines;

  /**
   * @param column the target column of {@code table}
   * @param trainingHistoryOnly whether only training rows of the table may appear in a history
   * @param fanouts relation -> neighbours per hop, every relation of the graph
   * @param latest sample the latest visible rows instead of uniformly among them
   * @throws IllegalArgumentException if the table has no time, fewer than two foreign keys, an
   *     empty target, or the split leaves no training row
   */
  public RatingTask(Context ctx, RelationalGraph graph, String table, String column, double valFraction,
                    double testFraction, boolean trainingHistoryOnly, Map<Relation, int[]> fanouts, boolean latest,
                    int batchSize, long seed) {
    RawTable raw = graph.tables().get(table);
    if (raw == null) throw new IllegalArgumentException("RatingTask: no table " + table + " (tables: " + graph.tables().keySet() + ")");
    TableSpec spec = raw.spec();
    if (spec.time() == null || spec.foreignKeys().size() < 2) {
      throw new IllegalArgumentException("RatingTask: table " + table + " needs a time column and two foreign keys"
          + " (got time " + spec.time() + ", foreign keys " + spec.foreignKeys().keySet() + ")");
    }
    List<String> fks = List.copyOf(spec.foreignKeys().keySet());
    this.raw = raw;
    this.ctx = ctx;
    this.graph = graph;
    this.typeA = spec.foreignKeys().get(fks.get(0));
    this.typeB = spec.foreignKeys().get(fks.get(1));
    this.endA = graph.foreignKey(table, fks.get(0));
    this.endB = graph.foreignKey(table, fks.get(1));
    double[] v = ColumnEncoders.numbers(raw, column);
    this.y = new float[v.length];
    for (int r = 0; r < v.length; r++) {
      if (Double.isNaN(v[r]) || endA[r] < 0 || endB[r] < 0) {
        throw raw.error(r, Double.isNaN(v[r]) ? column : endA[r] < 0 ? fks.get(0) : fks.get(1),
            "is empty (every example needs its target and both endpoints)");
      }
      y[r] = (float) v[r];
    }
    this.time = graph.time(table);
    this.split = TemporalSplit.of(time, valFraction, testFraction);
    float l = Float.POSITIVE_INFINITY;
    float h = Float.NEGATIVE_INFINITY;
    double s = 0;
    for (int r : split.train()) {
      l = Math.min(l, y[r]);
      h = Math.max(h, y[r]);
      s += y[r];
    }
    this.lo = l;
    this.hi = h;
    this.mean = (float) (s / split.train().length);
    this.data = withConstantFeatures(graph.data());
    this.visible = new boolean[y.length];
    if (trainingHistoryOnly) {
      for (int r : split.train()) visible[r] = true;
    } else {
      Arrays.fill(visible, true);
    }
    this.sampler = new TemporalNeighborSampler(data.graph(), historyTimes(graph, table, visible), fanouts, latest);
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** The rows' times, with the target table's hidden rows moved past every example. */
  private static Map<String, long[]> historyTimes(RelationalGraph graph, String table, boolean[] visible) {
    Map<String, long[]> times = new LinkedHashMap<>(graph.times());
    long[] t = times.get(table).clone();
    for (int r = 0; r < t.length; r++) if (!visible[r]) t[r] = Long.MAX_VALUE;
    times.put(table, t);
    return times;
  }

  private static HeteroDataset withConstantFeatures(HeteroDataset d) {
    Map<String, Table> x = new LinkedHashMap<>(d.x());
    for (String t : d.graph().nodeTypes()) {
      if (!x.containsKey(t)) {
        float[] ones = new float[d.graph().numNodes(t)];
        Arrays.fill(ones, 1f);
        x.put(t, new Table(ones.length, 1, ones));
      }
    }
    return HeteroDataset.unlabelled(d.name(), d.graph(), x, d.edgeAttr());
  }

  /** A fresh model for this task. */
  public PairRegressionModel newModel(Context ctx, ModelSpec spec, long seed) {
    HeteroGraphModel.DataShape s = HeteroGraphModel.DataShape.of(data);
    return new PairRegressionModel(ctx, spec, s, typeA, typeB, mean, new SplittableRandom(seed));
  }

  /** The table whose rows are the examples. */
  public RawTable table() {
    return raw;
  }

  public TemporalSplit split() {
    return split;
  }

  public RelationalGraph graph() {
    return graph;
  }

  /** The baselines on this split (fitted once, on first use). */
  public RatingBaselines baselines() {
    if (baselines == null) {
      baselines = RatingBaselines.fit(endA, data.graph().numNodes(typeA), endB, data.graph().numNodes(typeB), y,
          split.train(), split.val(), split.test(), time, visible, seed);
    }
    return baselines;
  }

  @Override
  public double trainEpoch(PairRegressionModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    try (var r = ctx.withRandom(rng)) {
      model.train(true);
      int[] order = Splits.shuffled(split.train(), rng.split());
      double sum = 0;
      for (int from = 0; from < order.length; from += batchSize) {
        try (var step = ctx.step()) {
          int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
          Tensor pred = forward(model, rows, rng.split());
          Tensor loss = Losses.mse(pred, targets(rows));
          sum += TaskSupport.step(optimizer, loss, beforeStep) * rows.length;
        }
      }
      return sum / order.length;
    }
  }

  /** [E, 1] predictions for rating rows, each on its own sampled history. */
  private Tensor forward(PairRegressionModel model, int[] rows, SplittableRandom random) {
    int e = rows.length;
    var sg = histories(rows, random);
    Map<String, Tensor> x = new LinkedHashMap<>();
    for (var en : data.x().entrySet()) x.put(en.getKey(), en.getValue().gather(sg.nodes().get(en.getKey())).toTensor(ctx));
    int[] seedIds = new int[e];
    for (int i = 0; i < e; i++) seedIds[i] = i;
    return model.forward(new HeteroInput(sg.graph(), x, sg.nodes()), seedIds, seedIds);
  }

  /** The time-respecting samples of the examples {@code rows}: example i's endpoints are seeds i. */
  TemporalNeighborSampler.Subgraph histories(int[] rows, SplittableRandom random) {
    int e = rows.length;
    int[][] seeds = new int[2][e];
    long[] t = new long[e];
    for (int i = 0; i < e; i++) {
      seeds[0][i] = endA[rows[i]];
      seeds[1][i] = endB[rows[i]];
      t[i] = time[rows[i]];
    }
    return sampler.sample(List.of(typeA, typeB), seeds, t, random);
  }

  private float[] targets(int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = y[rows[i]];
    return out;
  }

  /** Clipped predictions for {@code rows}, sampled with a fixed stream so evaluation repeats exactly. */
  public float[] predict(PairRegressionModel model, int[] rows) {
    model.train(false);
    float[] out = new float[rows.length];
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    try (var s = ctx.noGrad()) {
      for (int from = 0; from < rows.length; from += EVAL_BATCH) {
        int[] batch = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + EVAL_BATCH));
        float[] p = forward(model, batch, random.split()).data();
        for (int i = 0; i < batch.length; i++) out[from + i] = Math.min(hi, Math.max(lo, p[i]));
      }
    } finally {
      model.train(true);
    }
    return out;
  }

  @Override
  public Map<String, Double> evaluate(PairRegressionModel model, String which) {
    int[] rows = TaskSupport.split(which, split.train(), split.val(), split.test());
    float[] p = predict(model, rows);
    double se = 0;
    double ae = 0;
    for (int i = 0; i < rows.length; i++) {
      double d = p[i] - y[rows[i]];
      se += d * d;
      ae += Math.abs(d);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    int n = Math.max(rows.length, 1);
    m.put("rmse", Math.sqrt(se / n));
    m.put("mae", ae / n);
    m.put("loss", se / n);
    return m;
  }

  @Override
  public String metric() {
    return "rmse";
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public boolean hasValidation() {
    return split.val().length > 0;
  }
}
