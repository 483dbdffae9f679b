package org.gnn4j.train;


import java.util.LinkedHashMap;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.HeteroNeighborLoader;
import org.gnn4j.data.HeteroNeighborSampler;
import org.gnn4j.graph.Relation;
import org.gnn4j.model.HeteroGraphModel;
import org.gnn4j.model.HeteroInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Node classification on the target type of a heterogeneous graph (PyG's {@code HeteroData}
 * with {@code data[target].y}): every epoch is one full-graph step with the cross-entropy of the
 * training nodes, or, with fan-outs, mini-batches of training nodes each on its
 * neighbour-sampled subgraph ({@link HeteroNeighborLoader}, the seeds first); evaluation runs
 * the whole graph once and scores the nodes of the asked split, as {@link NodeClassificationTask}.
 */
public final class HeteroNodeTask implements Task<HeteroGraphModel> {
  private final Context ctx;
  private final HeteroDataset data;
  private final HeteroInput input;
  private final HeteroNeighborSampler sampler;   // null: full-graph steps
  private final int batchSize;

  /**
   * @param fanouts neighbours per hop, the same for every relation (PyG's
   *     {@code num_neighbors=[10, 5]}), or null for full-graph steps
   * @throws IllegalArgumentException if the dataset has no target type or no training nodes
   */
  public HeteroNodeTask(Context ctx, HeteroDataset data, int[] fanouts, int batchSize) {
    this(ctx, data, fanouts, null, batchSize);
  }

  /**
   * @param relationFanouts relation name ({@code src__rel__dst}) -> neighbours per hop, every
   *     relation of the graph (PyG's {@code num_neighbors} dict); used when {@code fanouts} is null
   * @throws IllegalArgumentException also naming a relation that is missing, unknown or not
   *     written {@code src__rel__dst}
   */
  public HeteroNodeTask(Context ctx, HeteroDataset data, int[] fanouts,
                        Map<String, int[]> relationFanouts, int batchSize) {
    if (!data.hasTarget() || data.train().length == 0) {
      throw new IllegalArgumentException("HeteroNodeTask: dataset " + data.name() + " needs a target"
          + " node type with training nodes (got target " + data.target() + ", "
          + data.train().length + " training nodes)");
    }
    this.ctx = ctx;
    this.data = data;
    this.input = HeteroInput.of(data.graph(), data.xTensors(ctx));
    if (fanouts != null) {
      this.sampler = HeteroNeighborSampler.uniform(data.graph(), fanouts);
    } else if (relationFanouts != null) {
      Map<Relation, int[]> byRelation = new LinkedHashMap<>();
      for (var e : relationFanouts.entrySet()) byRelation.put(Relation.parse(e.getKey()), e.getValue());
      this.sampler = new HeteroNeighborSampler(data.graph(), byRelation);
    } else {
      this.sampler = null;
    }
    this.batchSize = batchSize;
  }

  public HeteroGraphModel.DataShape shape() {
    return HeteroGraphModel.DataShape.of(data);
  }

  public HeteroDataset data() {
    return data;
  }

  @Override
  public double trainEpoch(HeteroGraphModel model, Optimizer optimizer, SplittableRandom rng,
                           Runnable beforeStep) {
    // Dropout and sampling draw from this epoch's stream, so a resumed run draws the same.
    try (var r = ctx.withRandom(rng)) {
      model.train(true);
      if (sampler == null) {
        try (var step = ctx.step()) {
          Tensor logits = model.forward(input);
          return TaskSupport.step(optimizer, CrossEntropy.apply(logits, data.y(), data.train()), beforeStep);
        }
      }
      HeteroNeighborLoader loader = new HeteroNeighborLoader(sampler, data.target(), data.train(),
          batchSize, true, rng.split());
      double sum = 0;
      for (HeteroNeighborSampler.Subgraph sg : loader) {
        try (var step = ctx.step()) {
          HeteroInput in = new HeteroInput(sg.graph(), sg.xTensors(data, ctx), sg.nodes());
          int[] seeds = sg.seedLabels(data.y());
          Tensor loss = TaskSupport.seedCrossEntropy(model.forward(in), seeds);
          sum += TaskSupport.step(optimizer, loss, beforeStep) * seeds.length;
        }
      }
      return sum / data.train().length;
    }
  }

  @Override
  public Map<String, Double> evaluate(HeteroGraphModel model, String split) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      Tensor logits = model.forward(input);
      return TaskSupport.classification(logits, data.y(),
          TaskSupport.split(split, data.train(), data.val(), data.test()));
    } finally {
      model.train(true);
    }
  }

  /** Predicted class of every node of the target type. */
  public int[] predict(HeteroGraphModel model) {
    model.train(false);
    try (var s = ctx.noGrad()) {
      return TaskSupport.argmax(model.forward(input));
    } finally {
      model.train(true);
    }
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
