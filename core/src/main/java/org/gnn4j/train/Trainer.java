package org.gnn4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.LongSupplier;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.GradClip;
import org.gnn4j.optim.MetricMode;
import org.gnn4j.optim.ReduceOnPlateau;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Tensor;

/**
 * The training loop every task shares: epochs of {@link Task#trainEpoch}, evaluation of the
 * validation split after each, early stopping on the task's metric ({@link EarlyStopping}), the
 * best model's weights restored for the final train/val/test scores (ties of the metric broken
 * by the lower validation loss), and (with a run directory) a checkpoint written
 * atomically at the end of an epoch, so {@code resume} after a killed process continues from
 * the last one written. Each epoch draws from its own random stream derived from the seed and
 * the epoch number: a resumed run and an uninterrupted one see the same dropout masks and
 * shuffles, so epochs re-run after a kill give exactly what they gave the first time. That is
 * what lets runs of sub-second epochs write their checkpoint at most once per
 * {@code checkpointSeconds} instead of after every epoch: a kill costs at most that much
 * training time again, never a different result.
 */
public final class Trainer {
  /**
   * @param patience stop after this many epochs without a better validation metric (0 = never)
   * @param clipNorm clip the global gradient norm to this value before each step (0 = off)
   * @param lrAt the learning rate of an epoch (1-based), e.g. warm-up then cosine; null keeps
   *     the optimizer's own
   * @param runDir where checkpoints go (null = no checkpoints)
   * @param resume continue from {@code runDir}'s checkpoint when there is one
   * @param plateau reduce the learning rate when the validation metric stalls (null = off)
   * @param selectOnLoss select (and early-stop) on the validation loss instead of the metric
   * @param checkpointSeconds with a run directory, write the checkpoint at the end of an epoch
   *     only once this many seconds have passed since the last one (and always after the last
   *     epoch); 0 writes it after every epoch
   */
  public record Options(int epochs, int patience, float clipNorm, IntToDoubleFunction lrAt,
                        Path runDir, boolean resume, Plateau plateau,
                        boolean selectOnLoss, double checkpointSeconds) {
    public Options {
      if (epochs < 1) throw new IllegalArgumentException("train: epochs must be >= 1 (got " + epochs + ")");
      if (patience < 0) throw new IllegalArgumentException("train: patience must be >= 0 (got " + patience + ")");
      if (!(checkpointSeconds >= 0)) {
        throw new IllegalArgumentException("train: checkpointSeconds must be >= 0 (got " + checkpointSeconds + ")");
      }
    }

    public static Options of(int epochs) {
      return new Options(epochs, 0, 0f, null, null, false, null, false, 0);
    }
  }

  /** Reduce-on-plateau settings (torch's ReduceLROnPlateau, watching the validation metric). */
  public record Plateau(double factor, int patience, double minLr) {}

  /** One finished epoch, as the progress display and the metrics file see it. */
  public record EpochResult(int epoch, int epochs, double loss, double lr, Map<String, Double> metrics,
                            double seconds, boolean improved) {}

  /** Receives every finished epoch (progress bars, metric files). */
  public interface Listener {
    void epochEnd(EpochResult r);

    /**
     * A resumed run's finished epochs, as its checkpoint recorded them, before the first new
     * epoch: a metrics file rebuilds itself from them, whatever a kill left in it.
     */
    default void resumed(List<EpochResult> history) {}
  }

  /** The moments of an epoch's save, in order; a probe sees each (fault-injection tests). */
  public enum SavePhase { BEFORE_CHECKPOINT, DURING_CHECKPOINT, AFTER_CHECKPOINT, AFTER_BEST }

  /**
   * Called at every {@link SavePhase} of every epoch's save; throwing from it is how a test
   * kills the run at that moment (the rest of the save does not happen).
   */
  public interface SaveProbe {
    void at(SavePhase phase, int epoch);
  }

  /**
   * The outcome: scores of the selected model on each split and how it was selected.
   * {@code epochSecondsMedian} is the median time of the training steps of one epoch (no
   * evaluation, no checkpoint) over the epochs this process ran; NaN when it ran none.
   */
  public record Result(Map<String, Double> metrics, int bestEpoch, int epochsRun, boolean stoppedEarly,
                       int resumedFrom, List<EpochResult> history, double epochSecondsMedian) {}

  /** A task bound to its model, so the loop needs neither's type. */
  private interface Bound {
    double trainEpoch(Optimizer optimizer, SplittableRandom rng, Runnable beforeStep);

    Map<String, Double> evaluate(String split);
  }

  private final Module model;
  private final Task<?> task;
  private final Bound bound;
  private final Optimizer optimizer;
  private final Options opt;
  private final long seed;
  private final List<Listener> listeners = new ArrayList<>();
  private SaveProbe probe = (phase, epoch) -> { };
  private LongSupplier nanoClock = System::nanoTime;

  public <M extends Module> Trainer(M model, Task<M> task, Optimizer optimizer, long seed, Options options) {
    this.model = model;
    this.task = task;
    this.bound = new Bound() {
      @Override
      public double trainEpoch(Optimizer o, SplittableRandom rng, Runnable beforeStep) {
        return task.trainEpoch(model, o, rng, beforeStep);
      }

      @Override
      public Map<String, Double> evaluate(String split) {
        return task.evaluate(model, split);
      }
    };
    this.optimizer = optimizer;
    this.opt = options;
    this.seed = seed;
  }

  public Trainer listen(Listener l) {
    listeners.add(l);
    return this;
  }

  /** Sets the probe that sees each phase of each epoch's save (default: none). */
  public Trainer probeSaves(SaveProbe p) {
    this.probe = p;
    return this;
  }

  /** Sets the clock that spaces checkpoints (tests use a fake one); default System.nanoTime. */
  Trainer clock(LongSupplier nanoTime) {
    this.nanoClock = nanoTime;
    return this;
  }

  public Result fit() {
    String key = opt.selectOnLoss() ? "val_loss" : "val_" + task.metric();
    boolean higherIsBetter = !opt.selectOnLoss() && task.higherIsBetter();
    MetricMode mode = higherIsBetter ? MetricMode.MAX : MetricMode.MIN;
    // patience 0 means "never stop"; EarlyStopping counts at most Integer.MAX_VALUE bad epochs
    TrainState state = new TrainState(new EarlyStopping(EarlyStopping.Config.of(mode,
        opt.patience() == 0 ? Integer.MAX_VALUE : opt.patience())));
    if (opt.plateau() != null) {
      Plateau p = opt.plateau();
      state.plateau = new ReduceOnPlateau(new ReduceOnPlateau.Config(mode,
          p.factor(), p.patience(), 1e-4, true, 0, p.minLr()), optimizer.lr());
    }
    int resumedFrom = 0;
    if (opt.resume() && opt.runDir() != null && TrainCheckpoints.exists(opt.runDir())) {
      TrainCheckpoints.load(opt.runDir(), model, optimizer, state);
      resumedFrom = state.epoch;
      for (Listener l : listeners) l.resumed(List.copyOf(state.history));
    }
    Runnable beforeStep = () -> {
      if (opt.clipNorm() > 0) GradClip.clipByGlobalNorm(optimizer.params(), opt.clipNorm());
    };
    boolean stopped = false;
    List<Double> trainSeconds = new ArrayList<>();
    long lastSave = nanoClock.getAsLong();
    for (int epoch = state.epoch + 1; epoch <= opt.epochs(); epoch++) {
      long t0 = System.nanoTime();
      if (opt.lrAt() != null) optimizer.setLr((float) opt.lrAt().applyAsDouble(epoch));
      double lr = optimizer.lr();
      long tTrain = System.nanoTime();
      double loss = bound.trainEpoch(optimizer, epochRandom(epoch), beforeStep);
      trainSeconds.add((System.nanoTime() - tTrain) / 1e9);
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException("train: the loss became " + loss + " at epoch " + epoch
            + " (learning rate " + lr + "); lower optim.lr or set optim.clip_norm");
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("train_loss", loss);
      boolean improved;
      if (task.hasValidation()) {
        Map<String, Double> val = bound.evaluate("val");
        for (var e : val.entrySet()) metrics.put("val_" + e.getKey(), e.getValue());
        double v = metrics.get(key);
        if (state.plateau != null) state.plateau.observe(v, optimizer);
        improved = state.stopping.observe(epoch, v, metrics.getOrDefault("val_loss", Double.NaN));
      } else {
        state.stopping.observeUnscored(epoch);
        improved = true;
      }
      if (improved) state.bestWeights = snapshot(model);
      state.epoch = epoch;
      EpochResult r = new EpochResult(epoch, opt.epochs(), loss, lr, metrics, (System.nanoTime() - t0) / 1e9, improved);
      state.history.add(r);
      boolean stop = state.stopping.shouldStop();
      if (opt.runDir() != null && (stop || epoch == opt.epochs()
          || nanoClock.getAsLong() - lastSave >= opt.checkpointSeconds() * 1e9)) {
        TrainCheckpoints.save(opt.runDir(), model, optimizer, state, probe);
        lastSave = nanoClock.getAsLong();
      }
      for (Listener l : listeners) l.epochEnd(r);
      if (stop) {
        stopped = true;
        break;
      }
    }
    restore(model, state.bestWeights);
    Map<String, Double> fin = new LinkedHashMap<>();
    for (String split : task.hasValidation() ? new String[] {"train", "val", "test"} : new String[] {"train", "test"}) {
      for (var e : bound.evaluate(split).entrySet()) fin.put(split + "_" + e.getKey(), e.getValue());
    }
    return new Result(fin, state.bestEpoch(), state.epoch, stopped, resumedFrom, List.copyOf(state.history),
        median(trainSeconds));
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) return Double.NaN;
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The random stream of one epoch: a pure function of (seed, epoch). */
  SplittableRandom epochRandom(int epoch) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 1);
  }

  static Map<String, float[]> snapshot(Module model) {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (var e : model.namedParameters().entrySet()) m.put(e.getKey(), e.getValue().data().clone());
    return m;
  }

  static void restore(Module model, Map<String, float[]> weights) {
    if (weights == null) return;
    for (var e : model.namedParameters().entrySet()) {
      Tensor t = e.getValue();
      float[] w = weights.get(e.getKey());
      System.arraycopy(w, 0, t.data(), 0, w.length);
    }
  }

  /** What a checkpoint holds besides model and optimizer: the loop's own position. */
  static final class TrainState {
    final EarlyStopping stopping;
    int epoch;
    Map<String, float[]> bestWeights;
    ReduceOnPlateau plateau;
    final List<EpochResult> history = new ArrayList<>();
    // The checkpoint stores the whole history as JSON after every epoch; finished epochs never
    // change, so their text is kept and only the new epoch is formatted (else the run formats
    // epochs^2 / 2 entries, and the JIT spends its time on JSON instead of the kernels).
    final StringBuilder historyJson = new StringBuilder();
    int historyJsonEntries;
    // The best epoch best.ckpt holds, as far as this process knows (-1: unknown, so the first
    // save writes it): with checkpoints spaced in time, an improving epoch may not be saved.
    int bestSaved = -1;

    TrainState(EarlyStopping stopping) {
      this.stopping = stopping;
    }

    /** The 1-based best epoch, 0 before any. */
    int bestEpoch() {
      return (int) Math.max(0, stopping.bestEpoch());
    }
  }
}
