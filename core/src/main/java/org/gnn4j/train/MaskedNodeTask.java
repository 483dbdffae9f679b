package org.gnn4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.GraphBatch;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.Splits;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * BERT-style masked pre-training on graphs (Hu et al., ICLR 2020, "attribute masking"): in
 * every batch a fraction of the nodes have their categorical type replaced by a mask token (id
 * {@code numNodeLabels}, the extra row every embedding encoder reserves), and the model
 * predicts the hidden types from the rest of the graph with a per-node head. The encoder and
 * layers trained this way are then fine-tuned on the downstream task ({@code model.init_from}),
 * which loads every weight but the head's.
 */
public final class MaskedNodeTask implements Task<GraphModel> {
  private final Context ctx;
  private final GraphDataset data;
  private final int batchSize;
  private final double maskRate;
  private final int[] train;
  private final int[] val;
  private final int[] test;

  public MaskedNodeTask(Context ctx, GraphDataset data, int batchSize, double maskRate, int[] train, int[] val,
                        int[] test) {
    if (data.nodeLabels() == null) {
      throw new IllegalArgumentException("masked pre-training needs categorical node labels; dataset "
          + data.name() + " has none");
    }
    if (!(maskRate > 0 && maskRate < 1)) {
      throw new IllegalArgumentException("train.mask_rate must be in (0, 1) (got " + maskRate + ")");
    }
    this.ctx = ctx;
    this.data = data;
    this.batchSize = batchSize;
    this.maskRate = maskRate;
    this.train = train.clone();
    this.val = val.clone();
    this.test = test.clone();
  }

  /** Node-level output over the node types: the model's head predicts every node's type. */
  public GraphModel.DataShape shape() {
    return new GraphModel.DataShape(data.numNodeFeatures(), data.numNodeLabels(), data.numEdgeFeatures(),
        data.numEdgeLabels(), data.numNodeLabels(), false);
  }

  private record Masked(ModelInput input, int[] labels, int[] rows) {}

  private Masked mask(int[] ids, SplittableRandom rng) {
    GraphBatch b = GraphBatch.collate(data, ids, ctx);
    int n = b.numNodes();
    int[] types = b.nodeLabels().clone();
    int[] rows = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) if (rng.nextDouble() < maskRate) rows[m++] = i;
    if (m == 0 && n > 0) rows[m++] = rng.nextInt(n);
    rows = Arrays.copyOf(rows, m);
    for (int r : rows) types[r] = data.numNodeLabels();
    ModelInput in = new ModelInput(null, types, b.graph(), b.edgeAttr(), b.edgeLabels(), null);
    return new Masked(in, b.nodeLabels(), rows);
  }

  @Override
  public double trainEpoch(GraphModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    // Dropout draws from the context's stream: this epoch's, so a resumed run draws the same.
    try (var r = ctx.withRandom(rng)) {
      model.train(true);
      int[] order = Splits.shuffled(train, rng);
      double sum = 0;
      int batches = 0;
      for (int from = 0; from < order.length; from += batchSize) {
        try (var step = ctx.step()) {
          Masked mk = mask(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)), rng);
          Tensor logits = model.forward(mk.input());
          Tensor loss = CrossEntropy.apply(logits, mk.labels(), mk.rows());
          sum += TaskSupport.step(optimizer, loss, beforeStep);
        }
        batches++;
      }
      return sum / Math.max(1, batches);
    }
  }

  @Override
  public Map<String, Double> evaluate(GraphModel model, String split) {
    int[] ids = TaskSupport.split(split, train, val, test);
    // The same masks at every evaluation, so epochs are comparable.
    SplittableRandom rng = new SplittableRandom(split.hashCode());
    model.train(false);
    long correct = 0;
    long total = 0;
    double lossSum = 0;
    try (var s = ctx.noGrad()) {
      for (int from = 0; from < ids.length; from += 512) {
        Masked mk = mask(Arrays.copyOfRange(ids, from, Math.min(ids.length, from + 512)), rng);
        Tensor logits = model.forward(mk.input());
        lossSum += CrossEntropy.apply(logits, mk.labels(), mk.rows()).item() * mk.rows().length;
        int[] pred = TaskSupport.argmax(logits);
        for (int r : mk.rows()) if (pred[r] == mk.labels()[r]) correct++;
        total += mk.rows().length;
      }
    } finally {
      model.train(true);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", total == 0 ? Double.NaN : (double) correct / total);
    m.put("loss", total == 0 ? Double.NaN : lossSum / total);
    return m;
  }

  @Override
  public String metric() {
    return "accuracy";
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public boolean hasValidation() {
    return val.length > 0;
  }
}
