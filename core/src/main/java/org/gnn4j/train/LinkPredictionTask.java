package org.gnn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.Splits;
import org.gnn4j.graph.Graph;
import org.gnn4j.link.DistMultDecoder;
import org.gnn4j.link.DotDecoder;
import org.gnn4j.link.EdgeSplit;
import org.gnn4j.link.EdgeSplitFile;
import org.gnn4j.link.LinkDecoder;
import org.gnn4j.link.LinkMetrics;
import org.gnn4j.link.LinkModel;
import org.gnn4j.link.LinkNeighborSampler;
import org.gnn4j.link.MlpDecoder;
import org.gnn4j.link.NegativeSampler;
import org.gnn4j.link.NodePairs;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Losses;
import org.gnn4j.ops.PairLosses;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Link prediction on one graph: a GNN encodes the nodes on the training edges, a decoder scores
 * node pairs, and the loss separates the training edges from negatives drawn afresh every epoch
 * (binary cross-entropy, or BPR pairing each positive with its negatives). Validation scores
 * held-out edges against fixed non-edges on the training graph, test on the training plus
 * validation edges; the metrics are ROC-AUC (the selection metric), average precision, Hits@20,
 * Hits@50 and MRR (every positive ranked against all the split's negatives). Training runs
 * full-graph, or with {@code fanouts} on link-neighbour-sampled mini-batches of
 * {@code batchSize} positive links.
 */
public final class LinkPredictionTask implements Task<LinkModel> {
  private static final int[] HITS_AT = {20, 50};
  /**
   * Features with at most this share of non-zeros go to the first layer sparse (when it can
   * read them so): bag-of-words inputs such as Cora's, where the dense projection dominates an
   * epoch. Above it the dense product is as fast.
   */
  static final double SPARSE_DENSITY = 0.1;

  private final Context ctx;
  private final NodeDataset data;
  private final EdgeSplit split;
  private final LinkSpec spec;
  private final Tensor x;                              // [N, F]
  private final SparseFeatures xSparse;                // x's non-zeros when few, else null
  private final Graph trainGraph;
  private final Graph valGraph;
  private final Graph testGraph;
  private final NegativeSampler negatives;             // known: every training edge
  private final NodePairs trainEvalNegatives;          // fixed, for evaluate("train")
  private final LinkNeighborSampler sampler;           // null: full-graph steps
  private final int batchSize;

  /**
   * @param fanouts link-neighbour sampling per layer, or null for full-graph steps
   * @param seed draws the fixed negatives of {@code evaluate("train")}
   */
  public LinkPredictionTask(Context ctx, NodeDataset data, EdgeSplit split, LinkSpec spec,
                            int[] fanouts, int batchSize, long seed) {
    this.ctx = ctx;
    this.data = data;
    this.split = split;
    this.spec = spec;
    this.x = ctx.tensor(data.x(), data.numNodes(), data.numFeatures());
    SparseFeatures sparse = SparseFeatures.ofDense(x);
    this.xSparse = sparse.density() <= SPARSE_DENSITY ? sparse : null;
    this.trainGraph = Graph.of(split.graphFor("train"));
    this.valGraph = split.trainSupervision() == split.trainMessage() ? trainGraph : Graph.of(split.graphFor("val"));
    this.testGraph = Graph.of(split.graphFor("test"));
    this.negatives = new NegativeSampler(data.numNodes(), split.trainEdges(), split.undirected());
    this.trainEvalNegatives = negatives.uniform(split.trainSupervision().size(),
        new SplittableRandom(seed ^ 0x5DEECE66DL));
    this.sampler = fanouts == null ? null
        : new LinkNeighborSampler(split.graphFor("train"), fanouts, split.undirected());
    this.batchSize = batchSize;
  }

  /**
   * The task a config describes: the dataset's split file for {@code seed} (or a random split
   * drawn from it) and the training options.
   *
   * @throws org.gnn4j.io.Gnn4jConfigException naming link.split when the file is nowhere, or
   *     the split file and line when it does not fit the graph
   */
  static LinkPredictionTask create(Context ctx, NodeDataset data, DataSource source, LinkSpec spec,
                                   Experiment.TrainSpec train) {
    boolean undirected = spec.undirected() != null ? spec.undirected() : EdgeSplit.isSymmetric(data.edges());
    EdgeSplit split;
    String file = spec.splitFile(train.seed());
    if (file == null) {
      try {
        split = EdgeSplit.random(data.edges(), undirected, spec.valFraction(), spec.testFraction(),
            spec.disjointFraction(), new SplittableRandom(train.seed()));
      } catch (IllegalArgumentException e) {
        throw spec.node().error("val_fraction", e.getMessage());
      }
    } else if (source.has(file)) {
      split = EdgeSplitFile.read(source, file, data.edges(), undirected);
    } else if (Files.isRegularFile(Path.of(file))) {
      Path p = Path.of(file).toAbsolutePath();
      split = EdgeSplitFile.read(DataSource.directory(p.getParent()), p.getFileName().toString(),
          data.edges(), undirected);
    } else {
      throw spec.node().error("split", "'" + file + "' is neither a file of dataset " + data.name()
          + " nor a file on disk");
    }
    return new LinkPredictionTask(ctx, data, split, spec, train.fanouts(), train.batchSize(), train.seed());
  }

  /** The encoder's data shape: the features in, {@code embedding_dim} out. */
  public GraphModel.DataShape shape() {
    return new GraphModel.DataShape(data.numFeatures(), 0, 0, 0, spec.embeddingDim(), false);
  }

  /** A fresh decoder of the configured kind, initialised from {@code rng}. */
  public LinkDecoder newDecoder(SplittableRandom rng) {
    return switch (spec.decoder()) {
      case "mlp" -> new MlpDecoder(ctx, spec.embeddingDim(), spec.mlpHidden(), rng);
      case "distmult" -> new DistMultDecoder(ctx, 1, spec.embeddingDim(), rng);
      default -> new DotDecoder();
    };
  }

  public EdgeSplit split() {
    return split;
  }

  @Override
  public double trainEpoch(LinkModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    try (var r = ctx.withRandom(rng)) {
      model.train(true);
      if (sampler != null) return sampledEpoch(model, optimizer, rng, beforeStep);
      try (var step = ctx.step()) {
        NodePairs pos = split.trainSupervision();
        NodePairs neg = drawNegatives(pos, rng);
        Tensor z = model.embed(input(x, xSparse, trainGraph));
        return TaskSupport.step(optimizer, loss(model, z, pos, neg), beforeStep);
      }
    }
  }

  private double sampledEpoch(LinkModel model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    NodePairs all = split.trainSupervision();
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    order = Splits.shuffled(order, rng);
    double sum = 0;
    for (int from = 0; from < order.length; from += batchSize) {
      try (var step = ctx.step()) {
        int to = Math.min(order.length, from + batchSize);
        NodePairs pos = rows(all, order, from, to);
        NodePairs neg = drawNegatives(pos, rng);
        LinkNeighborSampler.Batch b = sampler.sample(pos.concat(neg), pos, rng);
        NeighborSampler.Subgraph sg = b.subgraph();
        Tensor xs = ctx.tensor(sg.gatherRows(data.x(), data.numFeatures()), sg.nodes().length, data.numFeatures());
        Tensor z = model.embed(input(xs, xSparse == null ? null : SparseFeatures.ofDense(xs), Graph.of(sg.edges())));
        int[] first = range(0, pos.size());
        int[] rest = range(pos.size(), pos.size() + neg.size());
        Tensor loss = loss(model, z, rows(b.localSeeds(), first, 0, first.length), rows(b.localSeeds(), rest, 0, rest.length));
        sum += TaskSupport.step(optimizer, loss, beforeStep) * pos.size();
      }
    }
    return sum / order.length;
  }

  private static ModelInput input(Tensor x, SparseFeatures sparse, Graph g) {
    ModelInput in = ModelInput.of(x, g);
    return sparse == null ? in : in.withSparseX(sparse);
  }

  /** This step's negatives: {@code neg_ratio} per positive, uniform or from each positive's source. */
  private NodePairs drawNegatives(NodePairs pos, SplittableRandom rng) {
    if (spec.negatives().equals("per_source")) return negatives.perSource(pos.src(), (int) spec.negRatio(), rng);
    return negatives.uniform((int) Math.max(1, Math.round(spec.negRatio() * pos.size())), rng);
  }

  private Tensor loss(LinkModel model, Tensor z, NodePairs pos, NodePairs neg) {
    if (spec.loss().equals("bpr")) {
      NodePairs posRep = pos.repeatEach(neg.size() / pos.size());   // pair i of each against its negatives
      Tensor[] s = Concat.split(model.score(z, posRep.concat(neg)), 0, posRep.size(), neg.size());
      return PairLosses.bpr(s[0], s[1]);
    }
    Tensor logits = model.score(z, pos.concat(neg));                // [P + Q]
    float[] y = new float[pos.size() + neg.size()];
    java.util.Arrays.fill(y, 0, pos.size(), 1f);
    return Losses.bceWithLogits(logits, y);
  }

  @Override
  public Map<String, Double> evaluate(LinkModel model, String which) {
    NodePairs pos = switch (which) {
      case "train" -> split.trainSupervision();
      case "val" -> split.valPos();
      case "test" -> split.testPos();
      default -> throw new IllegalArgumentException("unknown split '" + which + "' (valid: train, val, test)");
    };
    NodePairs neg = which.equals("train") ? trainEvalNegatives : which.equals("val") ? split.valNeg() : split.testNeg();
    Graph g = which.equals("train") ? trainGraph : which.equals("val") ? valGraph : testGraph;
    model.train(false);
    try (var s = ctx.noGrad()) {
      Tensor z = model.embed(input(x, xSparse, g));
      return metrics(model.score(z, pos).data(), model.score(z, neg).data());
    } finally {
      model.train(true);
    }
  }

  /** auc, ap, hits_at_K, mrr and the BCE loss of positive and negative scores (NaN when empty). */
  static Map<String, Double> metrics(float[] pos, float[] neg) {
    Map<String, Double> m = new LinkedHashMap<>();
    boolean both = pos.length > 0 && neg.length > 0;
    m.put("auc", both ? LinkMetrics.rocAuc(pos, neg) : Double.NaN);
    m.put("ap", both ? LinkMetrics.averagePrecision(pos, neg) : Double.NaN);
    for (int k : HITS_AT) m.put("hits_at_" + k, both ? LinkMetrics.hitsAtK(pos, neg, k) : Double.NaN);
    m.put("mrr", both ? LinkMetrics.mrr(pos, neg) : Double.NaN);
    double loss = 0;
    for (float s : pos) loss += softplus(-s);
    for (float s : neg) loss += softplus(s);
    m.put("loss", both ? loss / (pos.length + neg.length) : Double.NaN);
    return m;
  }

  private static double softplus(double v) {
    return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }

  private static NodePairs rows(NodePairs p, int[] order, int from, int to) {
    int[] s = new int[to - from];
    int[] d = new int[to - from];
    for (int i = from; i < to; i++) {
      s[i - from] = p.src()[order[i]];
      d[i - from] = p.dst()[order[i]];
    }
    return new NodePairs(s, d);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }

  /** Full-graph steps: the whole graph; sampled steps are left unchecked (null). */
  @Override
  public StepSize largestStep() {
    if (sampler != null) return null;
    return new StepSize(data.numNodes(), trainGraph.numEdges(), data.numFeatures());
  }

  @Override
  public String metric() {
    return "auc";
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public boolean hasValidation() {
    return split.valPos().size() > 0;
  }
}
