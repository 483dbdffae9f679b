package org.gnn4j.spark.train;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.Splits;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.GradClip;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.Experiment;
import org.gnn4j.train.NodeClassificationTask;

/**
 * One task's copy of the model in synchronous data-parallel training: built from the run's config
 * and seed exactly as {@code gnn4j train} builds it, so every task starts from the same weights.
 * A step takes this task's shard of the global mini-batch of training nodes, samples their
 * neighbourhoods, and writes its share of the gradient into a flat vector; after the vector has
 * been summed over the tasks, {@link #apply} sets the sum as the gradient and steps the optimizer.
 * Every task applies the same sum to the same weights, so the copies stay identical.
 *
 * <p>The share is scaled so that the sum is the gradient of the mean loss over the whole global
 * batch: a task with k of the batch's B nodes contributes (k / B) times the gradient of its own
 * mean loss, whatever the split. The flat vector is every trainable parameter's gradient in
 * {@code parameters()} order, then one presence flag per parameter (1 when this task's loss
 * reached it: a parameter no task reached keeps no gradient, as on one machine), then the loss.
 *
 * <p>Randomness: the epoch's order of training nodes comes from (seed, epoch), the same in every
 * task; neighbour sampling and dropout of a step draw from a stream of (seed, epoch, step, rank).
 */
final class Replica implements AutoCloseable {
  private final Context ctx;
  private final NodeDataset data;
  private final Tensor pe;
  private final GraphModel model;
  private final Optimizer optimizer;
  private final List<Tensor> params;
  private final NeighborSampler sampler;
  private final IntToDoubleFunction lrAt;
  private final float clipNorm;
  private final int rank;
  private final int world;
  private final int batch;
  private final long seed;
  private final int size;

  Replica(String configJson, TrainingGraph graph, int rank, int world, int threads) {
    Experiment exp = Experiment.of(ConfigNode.parse(configJson, "spark train config"));
    this.seed = exp.train().seed();
    this.ctx = Context.builder().threads(threads).seed(seed).build();
    this.data = graph.dataset();
    this.pe = graph.peTensor(ctx);
    int[] fanouts = exp.train().fanouts();
    NodeClassificationTask task = new NodeClassificationTask(ctx, data, pe, fanouts, exp.train().batchSize());
    this.model = exp.buildModel(ctx, task, seed);
    this.optimizer = exp.optimizer(model);
    this.params = optimizer.params();
    this.sampler = new NeighborSampler(data.edges(), fanouts);
    this.lrAt = exp.schedule();
    this.clipNorm = exp.optim().clipNorm();
    this.rank = rank;
    this.world = world;
    this.batch = exp.train().batchSize();
    int n = 0;
    for (Tensor p : params) n = Math.addExact(n, p.numel());
    this.size = Math.addExact(n, params.size() + 1);
  }

  /** Length of the flat vector a step writes and {@link #apply} reads. */
  int size() {
    return size;
  }

  /** Global mini-batches in an epoch. */
  int stepsPerEpoch() {
    return (data.train().length + batch - 1) / batch;
  }

  /** Training nodes in a global mini-batch (the last one of an epoch may have fewer). */
  int batch() {
    return batch;
  }

  int numTrainNodes() {
    return data.train().length;
  }

  /** The epoch's order of training nodes (1-based epoch): the same in every task. */
  static int[] epochOrder(int[] train, long seed, int epoch) {
    return Splits.shuffled(train, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 1));
  }

  /** Nodes [from, to) of {@code order} that task {@code rank} of {@code world} trains on. */
  static int[] shard(int[] order, int from, int to, int rank, int world) {
    int len = to - from;
    return Arrays.copyOfRange(order, from + (int) ((long) len * rank / world), from + (int) ((long) len * (rank + 1) / world));
  }

  /** Sets the learning rate of an epoch (1-based) from the config's schedule. */
  void startEpoch(int epoch) {
    if (lrAt != null) optimizer.setLr((float) lrAt.applyAsDouble(epoch));
  }

  /**
   * This task's share of step {@code step} (0-based within the epoch) into {@code flat}.
   *
   * @param order the epoch's order of training nodes ({@link #epochOrder})
   */
  void localStep(int[] order, int epoch, int step, float[] flat) {
    int from = step * batch;
    int to = Math.min(order.length, from + batch);
    int[] targets = shard(order, from, to, rank, world);
    optimizer.zeroGrad();
    Arrays.fill(flat, 0f);
    model.train(true);
    if (targets.length == 0) return;   // a last batch smaller than W: nothing to add, still in the sum
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L
        + step * 0x94D049BB133111EBL + rank * 0xD6E8FEB86659FD93L + 7);
    NeighborSampler.Subgraph sg = sampler.sample(targets, rng);
    int m = sg.nodes().length;
    Tensor x = ctx.tensor(sg.gatherRows(data.x(), data.numFeatures()), m, data.numFeatures());
    Tensor p = pe == null ? null : ctx.tensor(sg.gatherRows(pe.data(), pe.dim(1)), m, pe.dim(1));
    Tensor loss;
    try (var r = ctx.withRandom(rng)) {
      Tensor logits = model.forward(ModelInput.of(x, Graph.of(sg.edges())).withPe(p));
      int[] labels = new int[m];
      System.arraycopy(sg.targetLabels(data.y()), 0, labels, 0, targets.length);
      int[] rows = new int[targets.length];
      for (int i = 0; i < rows.length; i++) rows[i] = i;
      // (k / B) * mean over this task's k targets: the tasks' sum is the mean over all B
      loss = CrossEntropy.apply(logits, labels, rows).mul((float) targets.length / (to - from));
    }
    loss.backward();
    int off = 0;
    int flag = size - params.size() - 1;
    for (int i = 0; i < params.size(); i++) {
      Tensor t = params.get(i);
      float[] g = t.gradArray();
      if (g != null) {
        System.arraycopy(g, 0, flat, off, g.length);
        flat[flag + i] = 1f;
      }
      off += t.numel();
    }
    flat[size - 1] = loss.item();
  }

  /**
   * Sets the summed vector as the gradients (clipped as the config says) and takes one optimizer
   * step; returns the global batch's mean loss.
   */
  double apply(float[] summed) {
    int off = 0;
    int flag = size - params.size() - 1;
    for (int i = 0; i < params.size(); i++) {
      Tensor t = params.get(i);
      int n = t.numel();
      t.zeroGrad();
      if (summed[flag + i] > 0) t.accumulateGrad(Arrays.copyOfRange(summed, off, off + n));
      off += n;
    }
    if (clipNorm > 0) GradClip.clipByGlobalNorm(params, clipNorm);
    optimizer.step();
    return summed[size - 1];
  }

  /** The model's state dict (copies), buffers included. */
  TrainOutput output(double[] epochLoss, float[] firstGradient, long steps, double seconds, double allReduceSeconds) {
    var named = model.namedParameters();
    String[] names = named.keySet().toArray(String[]::new);
    float[][] values = new float[names.length][];
    for (int i = 0; i < names.length; i++) values[i] = named.get(names[i]).data().clone();
    return new TrainOutput(names, values, epochLoss, firstGradient, steps, seconds, allReduceSeconds);
  }

  GraphModel model() {
    return model;
  }

  @Override
  public void close() {
    ctx.close();
  }
}
