package org.gnn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.DirectoryDigest;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.Splits;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The {@code dataset} section of a config: which data (an embedded dataset by name, or a
 * directory in gnn4j's plain format), how its features are prepared, and for datasets without
 * an official split (the TU collection) which fold of a stratified k-fold split to use (the
 * split has its own seed, {@code split_seed}, so repeating a run over training seeds keeps the
 * folds fixed; {@code val_fraction} carves a validation part out of each training fold).
 * It decides the task: one graph with node labels is node classification; many graphs are graph
 * classification or regression.
 */
public final class DatasetSpec {
  /** Names of the datasets shipped inside gnn4j. */

  private final String name;
  private final Path dir;
  private final boolean normalizeFeatures;
  private final int folds;
  private final int fold;
  private final double valFraction;
  private final long splitSeed;
  private final String sha256;      // the directory's expected DirectoryDigest, or null
  private boolean digestChecked;    // the directory is hashed once, not at every lookup
  private final ConfigNode node;
  private final RelationalSpec relational;  // dataset.schema: tables -> graph, or null

  private DatasetSpec(ConfigNode d) {
    this.node = d;
    this.relational = d.has("schema") ? RelationalSpec.from(d) : null;
    this.name = d.has("dir") || relational != null ? null : d.choice("name", "cora", java.util.stream.Stream.of(
        DataSource.EMBEDDED, DataSource.EMBEDDED_HETERO, DataSource.EMBEDDED_INTERACTIONS)
        .flatMap(java.util.List::stream).toArray(String[]::new));
    this.dir = d.has("dir") ? Path.of(d.string("dir", null)) : null;
    this.normalizeFeatures = d.bool("normalize_features", false);
    this.folds = d.integer("folds", 0, 0, 100);
    this.fold = d.integer("fold", 0, 0, 99);
    this.valFraction = relational != null ? relational.valFraction() : d.number("val_fraction", 0, 0, 0.9);
    this.splitSeed = d.integer("split_seed", 0);
    this.sha256 = d.string("sha256", null);
    if (sha256 != null && !d.has("dir")) throw d.error("sha256", "pins the files of dataset.dir; this dataset names no dir");
    if (folds > 0 && fold >= folds) throw d.error("fold", "must be < folds = " + folds + " (found " + fold + ")");
    if (d.has("dir") && d.has("name")) throw d.error("dir", "give either dataset.name or dataset.dir, not both");
    if (relational != null && (d.has("dir") || d.has("name"))) {
      throw d.error(d.has("dir") ? "dir" : "name", "give either dataset.schema (relational tables) or an"
          + " embedded name or directory, not both");
    }
  }

  static DatasetSpec from(ConfigNode d) {
    return new DatasetSpec(d);
  }

  /** Number of cross-validation folds (0 = use the dataset's own split). */
  public int folds() {
    return folds;
  }

  /** The dataset directory the config names, or null for an embedded dataset. */
  public Path directory() {
    return dir;
  }

  /** The embedded dataset's name, or null when the config names a directory. */
  public String name() {
    return name;
  }

  public String describe() {
    if (relational != null) return relational.describe();
    return (name != null ? name : dir.toString()) + (folds > 0 ? " (fold " + fold + " of " + folds + ")" : "");
  }

  /** The embedded name or directory the data comes from ({@code override} replaces dir). */
  private String source(Path override) {
    Path d = override != null ? override : dir;
    if (d != null && !Files.isDirectory(d)) {
      throw node.error("dir", "dataset directory " + d + " does not exist");
    }
    if (override == null && sha256 != null && !digestChecked) {
      // a checkpoint's config records the data it was trained on: never evaluate on other data
      if (sha256.equals(DirectoryDigest.of(d))) {
        digestChecked = true;
      } else {
        throw node.error("sha256", "the files in " + d + " changed since this was recorded"
            + " (SHA-256 " + sha256.substring(0, Math.min(12, sha256.length())) + "...); pass"
            + " --data " + d + " to use them as they are now");
      }
    }
    return d != null ? d.toString() : name;
  }

  /**
   * The data's format, read once from its meta.json: node, graph, hetero (relational tables are
   * one heterogeneous graph, read by their schema) or interactions (the data of recommendation).
   */
  Datasets.Format format(Path override) {
    return relational != null ? Datasets.Format.HETERO : Datasets.formatOf(source(override));
  }

  /** The interaction data, ratings {@code >= minRating} kept. */
  org.gnn4j.data.InteractionDataset interactions(Path override, double minRating) {
    return Datasets.interactions(source(override), minRating);
  }

  /** The config key naming the data, for errors about it. */
  String key() {
    if (relational != null) return "schema";
    return dir != null ? "dir" : "name";
  }

  ConfigNode node() {
    return node;
  }

  /** The relational tables of {@code dataset.schema}, or null. */
  public RelationalSpec relational() {
    return relational;
  }

  /** Node classification on the target type of a heterogeneous dataset. */
  HeteroNodeTask heteroTask(Context ctx, Path override, Experiment.TrainSpec train) {
    HeteroDataset data = Datasets.hetero(source(override));
    if (!data.hasTarget() || data.train().length == 0) {
      throw node.error(key(), "dataset " + data.name() + " has no target node type with training nodes"
          + " (meta.json target, y_TARGET.tsv and train.txt), so there is nothing to classify");
    }
    return new HeteroNodeTask(ctx, data, train.fanouts(), train.relationFanouts(), train.batchSize());
  }

  /** Link prediction on the configured one-graph dataset ({@code train.objective: link}). */
  LinkPredictionTask linkTask(Context ctx, Path override, LinkSpec link, Experiment.TrainSpec train) {
    String source = source(override);
    if (Datasets.formatOf(source) != Datasets.Format.NODE) {
      throw node.error(key(), "link prediction needs one graph (a node dataset such as cora); "
          + describe() + " is a collection of graphs");
    }
    NodeDataset data = Datasets.node(source);
    if (normalizeFeatures) data = data.withRowNormalizedFeatures();
    return LinkPredictionTask.create(ctx, data, DataSource.resolve(source), link, train);
  }

  Task<GraphModel> task(Context ctx, Path override, ModelSpec model, Experiment.TrainSpec train) {
    Path d = override != null ? override : dir;
    String source = source(override);
    if (Datasets.formatOf(source) == Datasets.Format.NODE) {
      NodeDataset data = Datasets.node(source);
      if (normalizeFeatures) data = data.withRowNormalizedFeatures();
      if (data.train().length == 0) {
        throw node.error(d != null ? "dir" : "name", "dataset " + data.name() + " has no training nodes (train.txt is empty)");
      }
      Tensor pe = !model.usesEncodingInput() ? null
          : DatasetEncodings.forGraph(model.peInput(), model.peK(), model.options().cycles(), data.edges(), ctx);
      if (train.fanouts() != null && train.fanouts().length != model.layers()) {
        throw new IllegalArgumentException("train.fanouts has " + train.fanouts().length + " entries; the model has "
            + model.layers() + " layers (one fan-out per layer)");
      }
      return new NodeClassificationTask(ctx, data, pe, train.fanouts(), train.batchSize());
    }
    GraphDataset data = Datasets.graph(source);
    int[][] split;
    if (folds > 0) {
      if (data.y() == null) throw node.error("folds", "stratified folds need class labels; " + data.name() + " is a regression dataset");
      Splits.Fold f = Splits.stratifiedKFold(data.y(), folds, valFraction, new SplittableRandom(splitSeed)).get(fold);
      split = new int[][] {f.train(), f.val(), f.test()};
    } else {
      split = new int[][] {data.train(), data.val(), data.test()};
    }
    if (folds == 0 && split[0].length == 0) {
      throw node.error(d != null ? "dir" : "name", "dataset " + data.name()
          + " has no train/val/test split files; set dataset.folds (e.g. 10) for cross-validation");
    }
    if (train.objective().equals("masked_nodes")) {
      return new MaskedNodeTask(ctx, data, train.batchSize(), train.maskRate(), split[0], split[1], split[2]);
    }
    return new GraphTask(ctx, data, train.batchSize(), split[0], split[1], split[2], model.peInput(), model.peK(),
        model.options().cycles());
  }

  static GraphModel.DataShape shapeOf(Task<GraphModel> task) {
    if (task instanceof NodeClassificationTask n) return n.shape();
    if (task instanceof GraphTask g) return g.shape();
    if (task instanceof MaskedNodeTask m) return m.shape();
    throw new IllegalArgumentException("unknown task " + task.getClass().getSimpleName());
  }
}
