package org.gnn4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.Datasets;
import org.gnn4j.link.LinkModel;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.HeteroGraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.Adam;
import org.gnn4j.optim.LrSchedule;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.optim.Sgd;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One training run described by a config file: the dataset and its task, the model, the
 * optimiser with its schedule, and the trainer's options. Built in one place so that
 * {@code gnn4j train}, {@code eval}, {@code predict} and {@code repeat} read a config the same
 * way, and so that every key of the file is either used or reported as unknown.
 *
 * <p>Sections: {@code dataset} (name or dir, feature normalisation), {@code model} (see
 * {@link ModelSpec}; with {@code model.hetero} a {@link HeteroGraphModel} on heterogeneous data), {@code optim} (name, lr, weight_decay, momentum, clip_norm, schedule,
 * warmup_epochs, min_lr, decay_first_layer_only, plateau_factor, plateau_patience) and {@code train} (epochs, patience,
 * batch_size, seed, objective = supervised | masked_nodes | link, mask_rate, fanouts = neighbour
 * sampling per layer for node and link tasks, e.g. [10, 5]; select = metric | loss: what model
 * selection and early stopping watch on the validation split; checkpoint_seconds: the least time
 * between two resume checkpoints of a run directory, 0 = after every epoch). With {@code objective: link} the
 * {@code link} section ({@link LinkSpec}: split, decoder, loss, negatives) makes the run a
 * {@link LinkPredictionTask} whose model is the GraphModel encoder plus a decoder.
 */
public final class Experiment {
  /** Optimiser settings of the {@code optim} section. */
  public record OptimSpec(String name, float lr, float weightDecay, float momentum, float clipNorm,
                          String schedule, int warmupEpochs, float minLr, boolean decayFirstLayerOnly,
                          double plateauFactor, int plateauPatience) {
    static OptimSpec from(ConfigNode o) {
      return new OptimSpec(o.choice("name", "adam", "adam", "adamw", "sgd"),
          (float) o.number("lr", 0.01, 0, 10), (float) o.number("weight_decay", 0, 0, 1),
          (float) o.number("momentum", 0.9, 0, 1), (float) o.number("clip_norm", 0, 0, 1e6),
          o.choice("schedule", "constant", "constant", "cosine", "linear", "plateau"),
          o.integer("warmup_epochs", 0, 0, 1_000_000), (float) o.number("min_lr", 0, 0, 10),
          o.bool("decay_first_layer_only", false), o.number("plateau_factor", 0.5, 0.01, 0.99),
          o.integer("plateau_patience", 10, 0, 1_000_000));
    }
  }

  /** Trainer settings of the {@code train} section. */
  /**
   * Trainer settings of the {@code train} section. {@code fanouts} is one list for every relation;
   * on heterogeneous data {@code relationFanouts} may give one list per relation instead
   * ({@code fanouts: {user__rates__item: [10, 5], ...}}, 0 skips a relation at a hop); at most one
   * of the two is non-null.
   */
  public record TrainSpec(int epochs, int patience, int batchSize, long seed, String objective, double maskRate,
                          int[] fanouts, String select, Map<String, int[]> relationFanouts,
                          boolean logSmoothness, double checkpointSeconds) {
    static TrainSpec from(ConfigNode t) {
      Map<String, int[]> perRelation = t.isSection("fanouts") ? relationFanouts(t.section("fanouts")) : null;
      TrainSpec s = new TrainSpec(t.integer("epochs", 100, 1, 1_000_000), t.integer("patience", 0, 0, 1_000_000),
          t.integer("batch_size", 128, 1, 1 << 20), t.integer("seed", 0),
          t.choice("objective", "supervised", "supervised", "masked_nodes", "link"), t.number("mask_rate", 0.15, 0.01, 0.9),
          perRelation != null ? null : t.integers("fanouts", null), t.choice("select", "metric", "metric", "loss"),
          perRelation, t.bool("log_smoothness", false), t.number("checkpoint_seconds", 1, 0, 1e6));
      if (s.fanouts != null) {
        for (int f : s.fanouts) if (f < 1 && f != -1) throw t.error("fanouts", "each fan-out must be >= 1 or -1 (all)");
      }
      return s;
    }

    private static Map<String, int[]> relationFanouts(ConfigNode f) {
      Map<String, int[]> m = new LinkedHashMap<>();
      for (String rel : f.keys()) {
        int[] v = f.integers(rel, null);
        for (int x : v) if (x < -1) throw f.error(rel, "each fan-out must be >= 0 or -1 (all)");
        if (!m.isEmpty() && v.length != m.values().iterator().next().length) {
          throw f.error(rel, "has " + v.length + " fan-outs; every relation needs as many as the first ("
              + m.values().iterator().next().length + ")");
        }
        m.put(rel, v);
      }
      return m;
    }

    /** Hops of neighbour sampling, or 0 for full-graph steps. */
    public int hops() {
      if (fanouts != null) return fanouts.length;
      return relationFanouts == null || relationFanouts.isEmpty() ? 0
          : relationFanouts.values().iterator().next().length;
    }
  }

  private final ConfigNode config;
  private final DatasetSpec datasetSpec;
  private final ModelSpec modelSpec;
  private final OptimSpec optimSpec;
  private final TrainSpec trainSpec;
  private final LinkSpec linkSpec;      // null unless train.objective is link
  private final RecommendationSpec recommendation;   // null unless model.layer is lightgcn

  private Experiment(ConfigNode config) {
    this.config = config;
    ConfigNode d = config.section("dataset");
    if (!d.has("name") && !d.has("dir") && !d.has("schema")) {
      // an empty file or a forgotten section must not quietly train the default dataset
      throw (config.has("dataset") ? d : config).error(config.has("dataset") ? "name" : "dataset",
          "is missing: a config names its data (dataset.name: an embedded dataset, or"
          + " dataset.dir: a directory, or dataset.schema: relational tables)");
    }
    this.datasetSpec = DatasetSpec.from(config.section("dataset"));
    this.modelSpec = ModelSpec.from(config.section("model"));
    this.optimSpec = OptimSpec.from(config.section("optim"));
    this.trainSpec = TrainSpec.from(config.section("train"));
    boolean link = trainSpec.objective().equals("link");
    if (config.has("link") && !link) throw config.error("link", "is read with train.objective: link only");
    this.linkSpec = link ? LinkSpec.from(config.section("link")) : null;
    this.recommendation = modelSpec.layer() == ModelSpec.Layer.LIGHTGCN ? RecommendationSpec.from(config) : null;
    if (optimSpec.warmupEpochs() > trainSpec.epochs()) {
      throw config.section("optim").error("warmup_epochs", "must be <= train.epochs = " + trainSpec.epochs()
          + " (found " + optimSpec.warmupEpochs() + ")");
    }
    config.checkNoUnknown();
  }

  /** Reads and validates a config; every unknown key or bad value names its file and line. */
  public static Experiment of(ConfigNode config) {
    return new Experiment(config);
  }

  public ConfigNode config() {
    return config;
  }

  public DatasetSpec dataset() {
    return datasetSpec;
  }

  public ModelSpec model() {
    return modelSpec;
  }

  public OptimSpec optim() {
    return optimSpec;
  }

  public TrainSpec train() {
    return trainSpec;
  }

  /** The {@code link} section, or null when the objective is not link prediction. */
  public LinkSpec link() {
    return linkSpec;
  }

  /**
   * A task with a fresh model for it: the homogeneous {@link GraphModel} and its task, or with
   * {@code model.hetero} a {@link HeteroGraphModel} and {@link HeteroNodeTask}.
   */
  public record Run<M extends Module>(Task<M> task, M model) {
    public Trainer trainer(Optimizer optimizer, long seed, Trainer.Options options) {
      return new Trainer(model, task, optimizer, seed, options);
    }

    public Map<String, Double> evaluate(String split) {
      return task.evaluate(model, split);
    }
  }

  /** The configured task and a fresh model for it ({@code dataOverride} replaces dataset.dir). */
  public Run<?> run(Context ctx, Path dataOverride, long seed) {
    if (linkSpec != null) return linkRun(ctx, dataOverride, seed);
    if (recommendation != null) {
      RecommendationTask t = recommendationTask(ctx, dataOverride);
      return new Run<>(t, t.newModel(modelSpec.hidden(), modelSpec.layers(), seed));
    }
    if (datasetSpec.relational() != null) {
      checkKind(dataOverride);
      RatingTask t = datasetSpec.relational().task(ctx, trainSpec, config.section("train"));
      return new Run<>(t, t.newModel(ctx, modelSpec, seed));
    }
    if (modelSpec.hetero() != null) {
      HeteroNodeTask t = heteroTask(ctx, dataOverride);
      return new Run<>(t, buildHeteroModel(ctx, t, seed));
    }
    Task<GraphModel> t = task(ctx, dataOverride);
    return new Run<>(t, buildModel(ctx, t, seed));
  }

  /**
   * The task of the configured dataset ({@code dataOverride} replaces {@code dataset.dir}) for a
   * homogeneous model.
   *
   * @throws org.gnn4j.io.Gnn4jConfigException if the data is heterogeneous or the model is
   */
  public Task<GraphModel> task(Context ctx, Path dataOverride) {
    if (recommendation != null) {
      throw new IllegalStateException("Experiment: the config's model is lightgcn; use recommendationTask or run");
    }
    checkKind(dataOverride);
    if (modelSpec.hetero() != null) {
      throw new IllegalStateException("Experiment: the config's model is heterogeneous; use heteroTask or run");
    }
    if (linkSpec != null) {
      throw new IllegalStateException("Experiment: the config's objective is link prediction; use run");
    }
    if (trainSpec.relationFanouts() != null) {
      throw config.section("train").error("fanouts", "one list per relation needs a heterogeneous"
          + " dataset, and " + datasetSpec.describe() + " has one edge type (give one list, e.g."
          + " fanouts: [10, 5])");
    }
    Task<GraphModel> task = datasetSpec.task(ctx, dataOverride, modelSpec, trainSpec);
    ModelDataChecks.check(config.section("model"), modelSpec, task);
    if (trainSpec.logSmoothness()) {
      if (!(task instanceof NodeClassificationTask n)) {
        throw config.section("train").error("log_smoothness", "is measured for node classification"
            + " on one graph; " + datasetSpec.describe() + " is not such a task");
      }
      n.logSmoothness(true);
    }
    return task;
  }

  /** Link prediction: a {@link LinkPredictionTask} and a GraphModel encoder with its decoder. */
  private Run<LinkModel> linkRun(Context ctx, Path dataOverride, long seed) {
    if (modelSpec.hetero() != null) {
      throw config.section("model").error("hetero", "link prediction runs on one homogeneous graph; remove model.hetero");
    }
    checkKind(dataOverride);
    LinkPredictionTask t = datasetSpec.linkTask(ctx, dataOverride, linkSpec, trainSpec);
    if (trainSpec.hops() > 0 && trainSpec.hops() != modelSpec.layers()) {
      throw config.section("train").error("fanouts", "has " + trainSpec.hops()
          + " entries; the model has " + modelSpec.layers() + " layers (one fan-out per layer)");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    GraphModel encoder = new GraphModel(ctx, modelSpec, t.shape(), rng);
    if (modelSpec.initFrom() != null) TrainCheckpoints.loadAllButHead(Path.of(modelSpec.initFrom()), encoder);
    return new Run<>(t, new LinkModel(encoder, t.newDecoder(rng)));
  }

  /** Node classification on the target type of the configured heterogeneous dataset. */
  public HeteroNodeTask heteroTask(Context ctx, Path dataOverride) {
    checkKind(dataOverride);
    if (modelSpec.hetero() == null) {
      throw new IllegalStateException("Experiment: the config's model is homogeneous; use task or run");
    }
    if (trainSpec.hops() > 0 && trainSpec.hops() != modelSpec.layers()) {
      throw config.section("train").error("fanouts", "has " + trainSpec.hops()
          + " entries; the model has " + modelSpec.layers() + " layers (one fan-out per layer)");
    }
    try {
      return datasetSpec.heteroTask(ctx, dataOverride, trainSpec);
    } catch (IllegalArgumentException e) {
      if (trainSpec.relationFanouts() == null) throw e;
      // the sampler names the relation that is missing or unknown
      throw config.section("train").error("fanouts", e.getMessage());
    }
  }

  /**
   * LightGCN with BPR on the configured interaction data, split by {@code dataset.test_split}
   * for the run's seed ({@link RecommendationSpec}).
   *
   * @throws org.gnn4j.io.Gnn4jConfigException if the model is not lightgcn or the data not
   *     interactions
   */
  public RecommendationTask recommendationTask(Context ctx, Path dataOverride) {
    String data = dataOverride != null ? dataOverride.toString() : datasetSpec.describe();
    if (recommendation == null) {
      throw config.section("model").error("layer", "recommendation needs layer: lightgcn");
    }
    if (datasetSpec.format(dataOverride) != Datasets.Format.INTERACTIONS) {
      throw config.section("model").error("layer", "lightgcn needs user-item interaction data (a"
          + " ratings table), and " + data + " has none (use e.g. dataset.name: movielens_small)");
    }
    var interactions = datasetSpec.interactions(dataOverride, recommendation.minRating());
    var split = recommendation.split(interactions, trainSpec.seed(), datasetSpec.node());
    return new RecommendationTask(ctx, interactions, split, trainSpec.batchSize(),
        recommendation.regWeight(), recommendation.topK());
  }

  /** The recommendation keys of a lightgcn config, or null for any other model. */
  public RecommendationSpec recommendation() {
    return recommendation;
  }

  /** A heterogeneous model with a homogeneous graph, or the reverse: one config error line. */
  private void checkKind(Path dataOverride) {
    Datasets.Format format = datasetSpec.format(dataOverride);
    if (format == Datasets.Format.INTERACTIONS) {
      throw datasetSpec.node().error(datasetSpec.key(), "dataset " + (dataOverride != null ? dataOverride
          : datasetSpec.describe()) + " is user-item interactions (a ratings table), the data of"
          + " recommendation; it needs model.layer: lightgcn");
    }
    boolean heteroData = format == Datasets.Format.HETERO;
    String data = dataOverride != null ? dataOverride.toString() : datasetSpec.describe();
    if (modelSpec.hetero() != null && !heteroData) {
      throw config.section("model").error("hetero", "a heterogeneous model needs a heterogeneous dataset,"
          + " and " + data + " is homogeneous (remove model.hetero, or use e.g. dataset.name: user_item)");
    }
    if (modelSpec.hetero() == null && heteroData) {
      throw datasetSpec.node().error(datasetSpec.key(), "dataset " + data + " is heterogeneous (several node"
          + " and edge types), and the model is homogeneous; add model.hetero (e.g. hetero: {aggr: sum})"
          + " with layer sage, graphconv, gat, gatv2, transformer, resgated, hgt or rgcn");
    }
  }

  /** A fresh heterogeneous model for {@code task}, initialised from the seed's model stream. */
  public HeteroGraphModel buildHeteroModel(Context ctx, HeteroNodeTask task, long seed) {
    return new HeteroGraphModel(ctx, modelSpec, task.shape(), new SplittableRandom(seed));
  }

  /** A fresh model for {@code task}, initialised from the seed's model stream. */
  public GraphModel buildModel(Context ctx, Task<GraphModel> task, long seed) {
    GraphModel m = new GraphModel(ctx, modelSpec, DatasetSpec.shapeOf(task), new SplittableRandom(seed));
    if (modelSpec.initFrom() != null) TrainCheckpoints.loadAllButHead(Path.of(modelSpec.initFrom()), m);
    return m;
  }

  /** The configured optimiser over {@code model}'s parameters. */
  public Optimizer optimizer(Module model) {
    List<Tensor> all = model.parameters();
    if (!optimSpec.decayFirstLayerOnly() || optimSpec.weightDecay() == 0) return single(all, optimSpec.weightDecay());
    // Kipf & Welling regularise only the first layer's weights.
    List<Tensor> first = new ArrayList<>();
    List<Tensor> rest = new ArrayList<>();
    for (var e : model.namedParameters().entrySet()) {
      if (!e.getValue().requiresGrad()) continue;
      (e.getKey().startsWith("layers.0.") || e.getKey().startsWith("node_encoder.") ? first : rest).add(e.getValue());
    }
    return new GroupedOptimizer(List.of(single(first, optimSpec.weightDecay()), single(rest, 0f)));
  }

  private Optimizer single(List<Tensor> params, float wd) {
    return switch (optimSpec.name()) {
      case "adamw" -> new Adam(params, Adam.Config.adamW(optimSpec.lr(), wd));
      case "sgd" -> new Sgd(params, Sgd.Config.of(optimSpec.lr(), optimSpec.momentum(), wd, false));
      default -> new Adam(params, Adam.Config.of(optimSpec.lr(), wd));
    };
  }

  /** The learning rate per epoch, or null for a constant one. */
  public IntToDoubleFunction schedule() {
    int total = trainSpec.epochs();
    LrSchedule s = switch (optimSpec.schedule()) {
      case "cosine" -> LrSchedule.warmupCosine(optimSpec.lr(), optimSpec.warmupEpochs(), total, optimSpec.minLr());
      case "linear" -> LrSchedule.warmupLinear(optimSpec.lr(), optimSpec.warmupEpochs(), total, optimSpec.minLr());
      case "plateau" -> null;
      default -> optimSpec.warmupEpochs() > 0
          ? LrSchedule.warmupLinear(optimSpec.lr(), optimSpec.warmupEpochs(), Long.MAX_VALUE / 4, optimSpec.lr())
          : null;
    };
    return s == null ? null : epoch -> s.lr(epoch - 1);
  }

  /** Trainer options of this config, with checkpoints in {@code runDir} (may be null). */
  public Trainer.Options trainerOptions(Path runDir, boolean resume) {
    Trainer.Plateau plateau = optimSpec.schedule().equals("plateau")
        ? new Trainer.Plateau(optimSpec.plateauFactor(), optimSpec.plateauPatience(), optimSpec.minLr()) : null;
    return new Trainer.Options(trainSpec.epochs(), trainSpec.patience(), optimSpec.clipNorm(), schedule(),
        runDir, resume, plateau, trainSpec.select().equals("loss"), trainSpec.checkpointSeconds());
  }
}
