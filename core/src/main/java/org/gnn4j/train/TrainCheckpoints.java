package org.gnn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.io.Json;
import org.gnn4j.io.JsonText;
import org.gnn4j.model.FeatureWidthMismatchException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The files of a run directory, on top of {@link Checkpoint}: {@code checkpoint.ckpt} (model,
 * optimizer, the best epoch's weights, the loop's position and history: everything a resume
 * reads, replaced in one atomic rename after every epoch, so no kill can leave a mismatched
 * pair), {@code best.ckpt} (a copy of the best weights for users, written after the checkpoint
 * and never read back by a resume) and, at the end, {@code model.ckpt}: the selected weights
 * with the config they were built from, which is all {@code eval} and {@code predict} need.
 * The two files replaced during a run are forced to disk before their rename, but the rename is
 * not: a power cut may leave the previous epoch's files, whole, and resume continues from there.
 */
public final class TrainCheckpoints {
  static final String LAST = "checkpoint.ckpt";
  static final String BEST = "best.ckpt";

  private TrainCheckpoints() {}

  static boolean exists(Path runDir) {
    return Files.isRegularFile(runDir.resolve(LAST));
  }

  static void save(Path runDir, Module model, Optimizer opt, Trainer.TrainState state,
                   Trainer.SaveProbe probe) {
    try {
      Files.createDirectories(runDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the run directory " + runDir, e);
    }
    Checkpoint.Builder last = Checkpoint.of(model).optimizer(opt).epoch(state.epoch)
        .earlyStopping(state.stopping.state())
        .scheduler(state.plateau == null ? Map.of() : state.plateau.state())
        .metadata("history", historyJson(state));
    if (state.bestWeights != null) last.best(state.bestWeights);
    probe.at(Trainer.SavePhase.BEFORE_CHECKPOINT, state.epoch);
    last.build().write(runDir.resolve(LAST), out -> new java.io.FilterOutputStream(out) {
      private long written;

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        // half way through the temporary file: a kill here must leave the previous checkpoint
        if (written < 4096 && written + len >= 4096) {
          probe.at(Trainer.SavePhase.DURING_CHECKPOINT, state.epoch);
        }
        written += len;
        out.write(b, off, len);
      }
    }, false);
    probe.at(Trainer.SavePhase.AFTER_CHECKPOINT, state.epoch);
    if (state.bestWeights != null && state.bestEpoch() != state.bestSaved) {
      Checkpoint.of(weightsModule(model, state.bestWeights)).epoch(state.bestEpoch()).build()
          .write(runDir.resolve(BEST), java.util.function.UnaryOperator.identity(), false);
      state.bestSaved = state.bestEpoch();
    }
    probe.at(Trainer.SavePhase.AFTER_BEST, state.epoch);
  }

  /** Restores model, optimizer and the loop's position (into {@code s}) from the checkpoint. */
  static void load(Path runDir, Module model, Optimizer opt, Trainer.TrainState s) {
    Checkpoint c = Checkpoint.read(runDir.resolve(LAST));
    c.restoreModel(model);
    c.restoreOptimizer(opt);
    if (s.plateau != null) s.plateau.loadState(c.schedulerState());
    s.epoch = (int) c.epoch();
    s.stopping.loadState(stoppingState(c.earlyStoppingState(), s.epoch));
    if (s.bestEpoch() > 0 && !c.best().isEmpty()) {
      Map<String, float[]> w = new LinkedHashMap<>();
      for (var e : model.namedParameters().entrySet()) {
        float[] v = c.best().get(e.getKey());
        if (v == null || v.length != e.getValue().numel()) {
          throw new Gnn4jConfigException(runDir.resolve(LAST).toString(), 0, "best weights of '"
              + e.getKey() + "' are missing or of the wrong size");
        }
        w.put(e.getKey(), v.clone());
      }
      s.bestWeights = w;
    } else if (s.bestEpoch() > 0) {
      // a checkpoint written before it held the best weights: they are in best.ckpt
      Checkpoint best = Checkpoint.read(runDir.resolve(BEST));
      if (best.epoch() != s.bestEpoch()) {
        throw new Gnn4jConfigException(runDir.resolve(BEST).toString(), 0, "holds epoch " + best.epoch()
            + " but the checkpoint's best epoch is " + s.bestEpoch() + "; the run directory is inconsistent");
      }
      Map<String, float[]> w = new LinkedHashMap<>();
      for (var e : model.namedParameters().entrySet()) {
        var entry = best.model().get(e.getKey());
        if (entry == null) throw new Gnn4jConfigException(runDir.resolve(BEST).toString(), 0, "missing '" + e.getKey() + "'");
        w.put(e.getKey(), entry.floats().clone());
      }
      s.bestWeights = w;
    }
    s.history.addAll(parseHistory(c.metadata().get("history"), runDir.resolve(LAST)));
  }

  /**
   * The {@link EarlyStopping} state of a checkpoint. Checkpoints written before the trainer
   * used EarlyStopping hold best_epoch (0 = none), best and best_loss only: bad_epochs is then
   * epoch - best_epoch, since every epoch was observed.
   */
  private static Map<String, Double> stoppingState(Map<String, Double> saved, int epoch) {
    if (saved.containsKey("bad_epochs")) return saved;
    double bestEpoch = saved.getOrDefault("best_epoch", 0.0);
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("best", saved.getOrDefault("best", Double.NaN));
    s.put("best_epoch", bestEpoch > 0 ? bestEpoch : -1.0);
    s.put("bad_epochs", bestEpoch > 0 ? epoch - bestEpoch : epoch);
    s.put("best_tie_break", saved.getOrDefault("best_loss", Double.NaN));
    return s;
  }

  /** Writes the final model with its config and metrics (what eval/predict read). */
  public static void saveModel(Path file, Module model, ConfigNode config, Map<String, Double> metrics) {
    JsonText m = new JsonText();
    for (var e : metrics.entrySet()) m.put(e.getKey(), e.getValue());
    Checkpoint.Builder b = Checkpoint.of(model).metadata("config", config.toJson()).metadata("metrics", m.toString());
    if (model instanceof GraphModel g && readsNodeFeatures(g)) {
      b.metadata(NODE_FEATURES, Integer.toString(g.shape().numFeatures()));
    }
    b.build().write(file);
  }

  /** The metadata key of the node feature width a graph model was trained on. */
  private static final String NODE_FEATURES = "node_features";

  private static boolean readsNodeFeatures(GraphModel g) {
    return g.spec().nodeEncoder() != org.gnn4j.model.ModelSpec.Encoder.EMBEDDING;
  }

  /** The config a model checkpoint was trained with. */
  public static ConfigNode readConfig(Path file) {
    Checkpoint c = Checkpoint.read(file);
    String json = c.metadata().get("config");
    if (json == null) {
      throw new Gnn4jConfigException(file.toString(), 0, "not a gnn4j model checkpoint: it carries no model"
          + " config (expected model.ckpt written by 'gnn4j train')");
    }
    return ConfigNode.parse(json, file + " (config)");
  }

  /**
   * The homogeneous model a {@code model.ckpt} holds, rebuilt in {@code ctx} from the config it
   * carries, its weights loaded, in eval mode: what a program that serves predictions needs.
   * The model's input sizes come from the training data, so the config's dataset (embedded, or
   * its {@code dataset.dir}) is read once.
   *
   * @throws Gnn4jConfigException if the file is no model checkpoint, or holds another kind of
   *     model (heterogeneous, recommender, link or rating model)
   */
  public static GraphModel loadGraphModel(Path file, Context ctx) {
    Experiment exp = Experiment.of(readConfig(file));
    Experiment.Run<?> run = exp.run(ctx, null, exp.train().seed());
    if (!(run.model() instanceof GraphModel m) || exp.link() != null) {
      throw new Gnn4jConfigException(file.toString(), 0, "holds a " + run.model().getClass().getSimpleName()
          + (exp.link() != null ? " for link prediction" : "") + ", not a node or graph model");
    }
    loadWeights(file, m);
    m.train(false);
    return m;
  }

  /**
   * Loads a checkpoint's weights, refusing one of another architecture by parameter name.
   *
   * @throws FeatureWidthMismatchException when {@code model} was built for data whose node
   *     features are not as wide as those the checkpoint's model was trained on
   */
  public static void loadWeights(Path file, Module model) {
    Checkpoint c = Checkpoint.read(file);
    String saved = c.metadata().get(NODE_FEATURES);
    if (saved != null && model instanceof GraphModel g && readsNodeFeatures(g)
        && !saved.equals(Integer.toString(g.shape().numFeatures()))) {
      throw new FeatureWidthMismatchException(file.toString(), "the data's node features",
          Integer.parseInt(saved), g.shape().numFeatures());
    }
    c.restoreModel(model);
  }

  /**
   * Initialises {@code model} from another run's model checkpoint, every parameter but the
   * prediction head's ({@code head.*}): the fine-tuning step after pre-training.
   *
   * @throws Gnn4jConfigException naming each parameter that is missing or shaped differently
   */
  public static void loadAllButHead(Path file, Module model) {
    Checkpoint c = Checkpoint.read(file);
    List<String> problems = new java.util.ArrayList<>();
    int loaded = 0;
    for (var e : model.namedParameters().entrySet()) {
      if (e.getKey().startsWith("head.")) continue;
      var entry = c.model().get(e.getKey());
      int[] want = e.getValue().shape().toArray();
      if (entry == null) {
        problems.add("missing '" + e.getKey() + "'");
      } else if (!java.util.Arrays.equals(entry.shape(), want)) {
        problems.add("'" + e.getKey() + "' has shape " + java.util.Arrays.toString(entry.shape()) + ", model expects "
            + java.util.Arrays.toString(want));
      } else {
        System.arraycopy(entry.floats(), 0, e.getValue().data(), 0, entry.floats().length);
        loaded++;
      }
    }
    if (!problems.isEmpty() || loaded == 0) {
      throw new Gnn4jConfigException(file.toString(), 0, "model.init_from does not fit this model: "
          + (problems.isEmpty() ? "no shared parameters" : String.join("; ", problems)));
    }
  }

  private static Module weightsModule(Module model, Map<String, float[]> weights) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (var e : model.namedParameters().entrySet()) {
      Tensor t = e.getValue();
      Context ctx = t.ctx();
      m.put(e.getKey(), ctx.tensor(weights.get(e.getKey()).clone(), t.shape().toArray()));
    }
    return () -> m;
  }

  /** The history as a JSON array; formats only the epochs added since the last call. */
  private static String historyJson(Trainer.TrainState state) {
    List<Trainer.EpochResult> history = state.history;
    StringBuilder sb = state.historyJson;
    if (state.historyJsonEntries > history.size()) {      // history was replaced: start over
      sb.setLength(0);
      state.historyJsonEntries = 0;
    }
    for (int i = state.historyJsonEntries; i < history.size(); i++) {
      Trainer.EpochResult r = history.get(i);
      JsonText metrics = new JsonText();
      for (var e : r.metrics().entrySet()) metrics.put(e.getKey(), e.getValue());
      JsonText o = new JsonText().put("epoch", r.epoch()).put("epochs", r.epochs()).put("loss", r.loss())
          .put("lr", r.lr()).put("seconds", r.seconds()).put("improved", r.improved()).putRaw("metrics", metrics.toString());
      if (i > 0) sb.append(',');
      sb.append(o);
    }
    state.historyJsonEntries = history.size();
    return "[" + sb + "]";
  }

  private static List<Trainer.EpochResult> parseHistory(String json, Path file) {
    if (json == null) return List.of();
    List<Trainer.EpochResult> out = new java.util.ArrayList<>();
    for (Object o : (List<?>) Json.parse(json, file + " (history)")) {
      Map<?, ?> m = (Map<?, ?>) o;
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (var e : ((Map<?, ?>) m.get("metrics")).entrySet()) metrics.put((String) e.getKey(), num(e.getValue()));
      out.add(new Trainer.EpochResult(((Number) m.get("epoch")).intValue(), ((Number) m.get("epochs")).intValue(),
          num(m.get("loss")), num(m.get("lr")), metrics, num(m.get("seconds")), (Boolean) m.get("improved")));
    }
    return out;
  }

  private static double num(Object v) {
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }
}
