package org.gnn4j.train;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.Splits;
import org.gnn4j.model.GraphModel;
import org.gnn4j.oversmoothing.LayerSmoothness;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Transductive node classification on one graph (Cora, karate, a user's graph): every epoch is
 * one full-graph step with the cross-entropy of the training nodes, or, for graphs too big for
 * that, mini-batches of training nodes on neighbour-sampled subgraphs; evaluation runs the whole
 * graph once and scores the nodes of the asked split.
 */
public final class NodeClassificationTask implements Task<GraphModel> {
  private final Context ctx;
  private final NodeDataset data;
  private final ModelInput input;
  private final NeighborSampler sampler;   // null: full-graph steps
  private final int[] fanouts;             // null: full-graph steps
  private final int batchSize;
  private boolean logSmoothness;

  /** Full-graph training: one step per epoch over all training nodes. */
  public NodeClassificationTask(Context ctx, NodeDataset data, Tensor pe) {
    this(ctx, data, pe, null, 0);
  }

  /**
   * @param fanouts GraphSAGE-style neighbour sampling per layer (e.g. {10, 5}), or null for
   *     full-graph steps; with sampling every epoch takes mini-batches of {@code batchSize}
   *     training nodes, each on its sampled subgraph (targets first). Evaluation always runs
   *     on the whole graph.
   */
  public NodeClassificationTask(Context ctx, NodeDataset data, Tensor pe, int[] fanouts, int batchSize) {
    this.ctx = ctx;
    this.data = data;
    Tensor x = ctx.tensor(data.x(), data.numNodes(), data.numFeatures());
    // bag-of-words inputs (Cora: 1% non-zero): a first layer that can read them sparse does
    this.input = withEdgeTypes(ModelInput.of(x, Graph.of(data.edges())).withPe(pe), data.edgeType())
        .withSparseX(SparseFeatures.ofDenseIfSparse(x, LinkPredictionTask.SPARSE_DENSITY));
    this.sampler = fanouts == null ? null : new NeighborSampler(data.edges(), fanouts);
    this.fanouts = fanouts == null ? null : fanouts.clone();
    this.batchSize = batchSize;
  }

  @Override
  public StepSize largestStep() {
    long n = data.numNodes();
    long e = data.edges().numEdges();
    if (fanouts == null) return new StepSize(n, e, data.numFeatures());
    // a sampled batch: each hop adds at most fan-out neighbours per frontier node
    long nodes = Math.min(n, batchSize);
    long frontier = nodes;
    long edges = 0;
    for (int f : fanouts) {
      long added = f < 0 ? n : Math.min(n, frontier * f);
      edges = Math.min(e, edges + added);
      frontier = added;
      nodes = Math.min(n, nodes + added);
    }
    return new StepSize(nodes, edges, data.numFeatures());
  }

  /**
   * With {@code on}, every evaluation of the validation split also reports the Dirichlet energy
   * and MAD of each layer's node representations on the whole graph ({@code dirichlet_l<i>},
   * {@code mad_l<i>}; config key {@code train.log_smoothness}), from the same forward pass.
   */
  public NodeClassificationTask logSmoothness(boolean on) {
    this.logSmoothness = on;
    return this;
  }

  public GraphModel.DataShape shape() {
    return new GraphModel.DataShape(data.numFeatures(), 0, 0, data.numRelations(), data.numClasses(), false);
  }

  public ModelInput input() {
    return input;
  }

  /** The dataset this task trains on (after the config's feature normalisation). */
  public NodeDataset data() {
    return data;
  }

  @Override
  public double trainEpoch(GraphModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    // Dropout draws from the context's stream: this epoch's, so a resumed run draws the same.
    try (var r = ctx.withRandom(rng)) {
      model.train(true);
      if (sampler != null) return sampledEpoch(model, optimizer, rng, beforeStep);
      try (var step = ctx.step()) {
        Tensor logits = model.forward(input);
        return TaskSupport.step(optimizer, CrossEntropy.apply(logits, data.y(), data.train()), beforeStep);
      }
    }
  }

  private double sampledEpoch(GraphModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    int[] order = Splits.shuffled(data.train(), rng);
    double sum = 0;
    for (int from = 0; from < order.length; from += batchSize) {
      try (var step = ctx.step()) {
        int[] targets = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        NeighborSampler.Subgraph sg = sampler.sample(targets, rng);
        Tensor x = ctx.tensor(sg.gatherRows(data.x(), data.numFeatures()), sg.nodes().length, data.numFeatures());
        Tensor pe = input.pe() == null ? null
            : ctx.tensor(sg.gatherRows(input.pe().data(), input.pe().dim(1)), sg.nodes().length, input.pe().dim(1));
        int[] types = null;
        if (data.edgeType() != null) {
          types = new int[sg.edgeIds().length];
          for (int k = 0; k < types.length; k++) types[k] = data.edgeType()[sg.edgeIds()[k]];
        }
        ModelInput in = withEdgeTypes(ModelInput.of(x, Graph.of(sg.edges())).withPe(pe), types);
        Tensor loss = TaskSupport.seedCrossEntropy(model.forward(in), sg.targetLabels(data.y()));
        sum += TaskSupport.step(optimizer, loss, beforeStep) * targets.length;
      }
    }
    return sum / order.length;
  }

  @Override
  public Map<String, Double> evaluate(GraphModel model, String split) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      if (logSmoothness && split.equals("val")) {
        LayerSmoothness.Probe probe = new LayerSmoothness.Probe(input.graph().edges(), true);
        Map<String, Double> m = new java.util.LinkedHashMap<>(
            TaskSupport.classification(model.forward(input, probe), data.y(), rows(split)));
        m.putAll(probe.result().asMetrics());
        return m;
      }
      Tensor logits = model.forward(input);
      return TaskSupport.classification(logits, data.y(), rows(split));
    } finally {
      model.train(true);
    }
  }

  /** Predicted class of every node. */
  public int[] predict(GraphModel model) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      return TaskSupport.argmax(model.forward(input));
    }
  }

  /** {@code in} carrying the relation of every edge (null: none), as RGCN layers read it. */
  private static ModelInput withEdgeTypes(ModelInput in, int[] types) {
    if (types == null) return in;
    return new ModelInput(in.x(), in.nodeTypes(), in.graph(), in.edgeAttr(), types, in.pe(), in.xSparse());
  }

  private int[] rows(String split) {
    return TaskSupport.split(split, data.train(), data.val(), data.test());
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
}
