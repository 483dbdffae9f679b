package org.gnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Transductive node classification on one graph (Cora, karate, a user's graph): every epoch is
 * one full-graph step with the cross-entropy of the training nodes; evaluation runs the whole
 * graph once and scores the nodes of the asked split.
 */
public final class NodeClassificationTask implements Task {
  private final Context ctx;
  private final NodeDataset data;
  private final ModelInput input;

  public NodeClassificationTask(Context ctx, NodeDataset data, Tensor pe) {
    this.ctx = ctx;
    this.data = data;
    Tensor x = ctx.tensor(data.x(), data.numNodes(), data.numFeatures());
    this.input = ModelInput.ofGraph(x, data.edges()).withPe(pe);
  }

  public GraphModel.DataShape shape() {
    return new GraphModel.DataShape(data.numFeatures(), 0, 0, 0, data.numClasses(), false);
  }

  public ModelInput input() {
    return input;
  }

  @Override
  public double trainEpoch(GraphModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    model.train(true);
    Tensor logits = model.forward(input, rng);
    Tensor loss = CrossEntropy.apply(logits, data.y(), data.train());
    optimizer.zeroGrad();
    loss.backward();
    beforeStep.run();
    optimizer.step();
    return loss.item();
  }

  @Override
  public Map<String, Double> evaluate(GraphModel model, String split) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      Tensor logits = model.forward(input, null);
      int[] rows = rows(split);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("accuracy", rows.length == 0 ? Double.NaN : Metrics.accuracy(logits, data.y(), rows));
      m.put("loss", rows.length == 0 ? Double.NaN : (double) CrossEntropy.apply(logits, data.y(), rows).item());
      return m;
    } finally {
      model.train(true);
    }
  }

  /** Predicted class of every node. */
  public int[] predict(GraphModel model) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      return argmax(model.forward(input, null));
    }
  }

  private int[] rows(String split) {
    return switch (split) {
      case "train" -> data.train();
      case "val" -> data.val();
      case "test" -> data.test();
      default -> throw new IllegalArgumentException("unknown split '" + split + "' (valid: train, val, test)");
    };
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
    return data.val().length > 0;
  }

  /** Arg-max class of every row. */
  static int[] argmax(Tensor logits) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] z = logits.data();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
      out[i] = best;
    }
    return out;
  }
}
