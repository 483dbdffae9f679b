package org.gnn4j.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.GraphBatch;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.GraphLoader;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.ops.Losses;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph classification (MUTAG, PROTEINS: cross-entropy, accuracy) or regression (ZINC: L1 loss,
 * MAE) over mini-batches of whole graphs. Training batches are reshuffled every epoch from the
 * epoch's random stream; evaluation batches are collated once and reused. Positional encodings,
 * when the model wants them, are computed once per graph and batched with the nodes.
 */
public final class GraphTask implements Task<GraphModel> {
  private final Context ctx;
  private final GraphDataset data;
  private final int batchSize;
  private final int[] train;
  private final int[] val;
  private final int[] test;
  private final DatasetEncodings encodings;
  private final Map<String, List<Prepared>> evalBatches = new HashMap<>();
  /** Graphs per evaluation batch: no gradients, so larger batches fit. */
  private static final int EVAL_BATCH = 512;

  private record Prepared(GraphBatch batch, ModelInput input) {}

  /**
   * @param pe {@code lap}, {@code rwse} or {@code none}: the encoding the model reads
   * @param peK its width
   * @param cycles the longest cycle whose counts follow the encoding, 0 for none
   */
  public GraphTask(Context ctx, GraphDataset data, int batchSize, int[] train, int[] val, int[] test,
                   String pe, int peK, int cycles) {
    if (train.length == 0) throw new IllegalArgumentException("dataset " + data.name() + ": the training split is empty");
    this.ctx = ctx;
    this.data = data;
    this.batchSize = batchSize;
    this.train = train.clone();
    this.val = val.clone();
    this.test = test.clone();
    this.encodings = pe.equals("none") && cycles == 0 ? null : DatasetEncodings.compute(pe, peK, cycles, data, ctx);
  }

  /** A batch of the largest training graphs. */
  @Override
  public StepSize largestStep() {
    long[] nodes = new long[train.length];
    long[] edges = new long[train.length];
    for (int i = 0; i < train.length; i++) {
      nodes[i] = data.numNodes(train[i]);
      edges[i] = data.numEdges(train[i]);
    }
    return new StepSize(largestSum(nodes, batchSize), largestSum(edges, batchSize),
        data.numNodeFeatures());
  }

  private static long largestSum(long[] v, int k) {
    java.util.Arrays.sort(v);
    long s = 0;
    for (int i = v.length - 1; i >= Math.max(0, v.length - k); i--) s += v[i];
    return s;
  }

  public GraphModel.DataShape shape() {
    return new GraphModel.DataShape(data.numNodeFeatures(), data.numNodeLabels(), data.numEdgeFeatures(),
        data.numEdgeLabels(), data.isRegression() ? 1 : data.numClasses(), true);
  }

  public GraphDataset data() {
    return data;
  }

  @Override
  public double trainEpoch(GraphModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    model.train(true);
    // The loader shuffles from the epoch's stream before the first batch; the same stream then
    // drives encodings and dropout (the context's current stream), so a resumed epoch replays
    // exactly.
    try (var r = ctx.withRandom(rng)) {
      GraphLoader loader = new GraphLoader(data, train, batchSize, true, false, rng, ctx);
      double sum = 0;
      for (GraphBatch b : loader) {
        try (var step = ctx.step()) {
          Prepared p = prepare(b, rng);
          Tensor out = model.forward(p.input());
          Tensor loss = loss(out, p.batch());
          sum += TaskSupport.step(optimizer, loss, beforeStep) * b.numGraphs();
        }
      }
      return sum / train.length;
    }
  }

  @Override
  public Map<String, Double> evaluate(GraphModel model, String split) {
    int[] ids = TaskSupport.split(split, train, val, test);
    List<Prepared> batches = evalBatches.computeIfAbsent(split, s -> {
      List<Prepared> l = new ArrayList<>();
      for (GraphBatch b : new GraphLoader(data, ids, EVAL_BATCH, false, false, null, ctx)) {
        l.add(prepare(b, null));
      }
      return l;
    });
    model.train(false);
    double lossSum = 0;
    double metricSum = 0;
    try (var s = ctx.noGrad()) {
      for (Prepared p : batches) {
        Tensor out = model.forward(p.input());
        int g = p.batch().numGraphs();
        lossSum += loss(out, p.batch()).item() * g;
        metricSum += data.isRegression() ? absErrorSum(out, p.batch()) : correct(out, p.batch());
      }
    } finally {
      model.train(true);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    double n = Math.max(1, ids.length);
    m.put(metric(), ids.length == 0 ? Double.NaN : metricSum / n);
    m.put("loss", ids.length == 0 ? Double.NaN : lossSum / n);
    return m;
  }

  /** Model outputs for graphs {@code ids}: [G, outDim] (logits or values), in order. */
  public float[] predict(GraphModel model, int[] ids) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      Tensor out = model.forward(prepare(GraphBatch.collate(data, ids, ctx), null).input());
      return out.data().clone();
    }
  }

  /** What the model's head reads for graphs {@code ids}: [G, width], in order. */
  public float[] representations(GraphModel model, int[] ids) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      return model.representations(prepare(GraphBatch.collate(data, ids, ctx), null).input()).data().clone();
    }
  }

  /**
   * The model input of graph {@code id} alone, as evaluation prepares it (explanations read it).
   *
   * @throws IllegalArgumentException naming the valid ids when {@code id} is outside the data
   */
  public ModelInput inputOf(int id) {
    if (id < 0 || id >= data.numGraphs()) {
      throw new IllegalArgumentException("graph " + id + " is outside the data (valid: 0 to "
          + (data.numGraphs() - 1) + ")");
    }
    return prepare(GraphBatch.collate(data, new int[] {id}, ctx), null).input();
  }

  /**
   * The model input of graphs {@code ids} collated into one batch, in order, as evaluation
   * prepares it (a server batching requests builds the same).
   *
   * @throws IllegalArgumentException naming the valid ids when an id is outside the data
   */
  public ModelInput inputOf(int[] ids) {
    for (int id : ids) {
      if (id < 0 || id >= data.numGraphs()) {
        throw new IllegalArgumentException("graph " + id + " is outside the data (valid: 0 to "
            + (data.numGraphs() - 1) + ")");
      }
    }
    return prepare(GraphBatch.collate(data, ids.clone(), ctx), null).input();
  }

  /** @param rng training batches' random stream (sign flips of Laplacian encodings), or null */
  private Prepared prepare(GraphBatch b, SplittableRandom rng) {
    ModelInput in = b.input().withPe(encodings == null ? null : encodings.of(b, rng, ctx));
    return new Prepared(b, in);
  }

  private Tensor loss(Tensor out, GraphBatch b) {
    return data.isRegression() ? Losses.l1(out, b.target().data()) : CrossEntropy.apply(out, b.y(), null);
  }

  private static double absErrorSum(Tensor out, GraphBatch b) {
    float[] p = out.data();
    float[] t = b.target().data();
    double s = 0;
    for (int i = 0; i < t.length; i++) s += Math.abs(p[i] - t[i]);
    return s;
  }

  private static int correct(Tensor out, GraphBatch b) {
    int[] pred = TaskSupport.argmax(out);
    int c = 0;
    for (int i = 0; i < pred.length; i++) if (pred[i] == b.y()[i]) c++;
    return c;
  }

  @Override
  public String metric() {
    return data.isRegression() ? "mae" : "accuracy";
  }

  @Override
  public boolean higherIsBetter() {
    return !data.isRegression();
  }

  @Override
  public boolean hasValidation() {
    return val.length > 0;
  }
}
