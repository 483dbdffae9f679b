package org.gnn4j.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;
import org.gnn4j.io.UnsupportedModelVersionException;
import org.gnn4j.nn.Module;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Tensor;

/**
 * Everything needed to resume training, in one safetensors file: the model's parameters and
 * buffers ({@code model.<state_dict name>}, F32), the optimizer state ({@code optimizer.<name>}),
 * the epoch and RNG position ({@code train.epoch}, {@code train.rng} = [seed, counter], I64),
 * and in the {@code __metadata__} string map the scheduler and early-stopping state (doubles
 * written so they read back exactly) and free-form user entries such as the model config and
 * the metrics so far ({@code meta.<key>}). A checkpoint is an immutable snapshot taken by
 * {@link Builder#build()}; {@link #write} replaces the file atomically, and {@link #read} then
 * {@link #restoreModel} check that the file fits the model, naming every parameter that does not.
 */
public final class Checkpoint {
  static final String FORMAT = "gnn4j-checkpoint";
  /**
   * The newest {@code __metadata__ format_version} this build reads and the one it writes; raise
   * it when a change means an older gnn4j would misread the file.
   */
  public static final int FORMAT_VERSION = 1;
  private static final String MODEL = "model.";
  private static final String OPTIM = "optimizer.";
  private static final String SCHED = "scheduler.";
  private static final String STOP = "early_stopping.";
  private static final String META = "meta.";
  private static final String BEST = "best.";

  private final Map<String, Safetensors.Entry> model;   // by state_dict name, no prefix
  private final String optimizerKind;                     // null when no optimizer was saved
  private final Map<String, float[]> optimizer;
  private final Map<String, float[]> best;                // best.<name>, empty when none
  private final Map<String, Double> scheduler;
  private final Map<String, Double> earlyStopping;
  private final long epoch;
  private final long rngSeed;
  private final long rngCounter;
  private final Map<String, String> metadata;
  private final String source;

  private Checkpoint(Builder b, String source) {
    this.model = Collections.unmodifiableMap(b.model);
    this.optimizerKind = b.optimizerKind;
    this.optimizer = Collections.unmodifiableMap(b.optimizer);
    this.best = Collections.unmodifiableMap(b.best);
    this.scheduler = Collections.unmodifiableMap(b.scheduler);
    this.earlyStopping = Collections.unmodifiableMap(b.earlyStopping);
    this.epoch = b.epoch;
    this.rngSeed = b.rngSeed;
    this.rngCounter = b.rngCounter;
    this.metadata = Collections.unmodifiableMap(b.metadata);
    this.source = source;
  }

  /** Starts a snapshot of {@code model}: its parameters and buffers are copied now. */
  public static Builder of(Module model) {
    return new Builder(model);
  }

  /** Collects the parts of a checkpoint; every setter copies its argument. */
  public static final class Builder {
    private final Map<String, Safetensors.Entry> model = new LinkedHashMap<>();
    private String optimizerKind;
    private final Map<String, float[]> optimizer = new LinkedHashMap<>();
    private final Map<String, float[]> best = new LinkedHashMap<>();
    private final Map<String, Double> scheduler = new LinkedHashMap<>();
    private final Map<String, Double> earlyStopping = new LinkedHashMap<>();
    private long epoch;
    private long rngSeed;
    private long rngCounter;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder() {}

    private Builder(Module m) {
      for (var e : m.namedParameters().entrySet()) {
        Tensor t = e.getValue();
        model.put(e.getKey(), new Safetensors.Entry(MODEL + e.getKey(), "F32",
            t.shape().toArray(), t.toArray(), null));
      }
    }

    public Builder optimizer(Optimizer opt) {
      optimizerKind = opt.getClass().getSimpleName();
      optimizer.clear();
      for (var e : opt.state().entrySet()) optimizer.put(e.getKey(), e.getValue().clone());
      return this;
    }

    /**
     * The best epoch's weights by parameter name (flat), stored beside the current ones so that
     * one atomic file holds both: a run killed at any moment resumes with a consistent pair.
     */
    public Builder best(Map<String, float[]> weights) {
      best.clear();
      for (var e : weights.entrySet()) best.put(e.getKey(), e.getValue().clone());
      return this;
    }

    /** A scheduler's exported state, e.g. {@code ReduceOnPlateau.state()}. */
    public Builder scheduler(Map<String, Double> state) {
      scheduler.clear();
      scheduler.putAll(state);
      return this;
    }

    public Builder earlyStopping(Map<String, Double> state) {
      earlyStopping.clear();
      earlyStopping.putAll(state);
      return this;
    }

    /** The last finished epoch. */
    public Builder epoch(long epoch) {
      this.epoch = epoch;
      return this;
    }

    /** Where the trainer's random streams stand: the seed and how many draws/splits it made. */
    public Builder rng(long seed, long counter) {
      this.rngSeed = seed;
      this.rngCounter = counter;
      return this;
    }

    /** A free-form string, e.g. {@code "config"} (the model config) or {@code "metrics"} (JSON). */
    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    public Checkpoint build() {
      return new Checkpoint(this, "(in memory)");
    }
  }

  // ---- writing ---------------------------------------------------------------------------------

  /**
   * Writes this checkpoint to {@code file}, replacing it atomically (see {@link AtomicFiles}).
   *
   * @throws UncheckedIOException naming the file; the previous file is then left unchanged
   */
  public void write(Path file) {
    write(file, UnaryOperator.identity(), true);
  }

  /**
   * @param syncDirectory false for the files replaced after every epoch: their rename is not
   *     forced to disk (see {@link AtomicFiles#write(Path, AtomicFiles.Body, UnaryOperator, boolean)})
   */
  void write(Path file, UnaryOperator<OutputStream> wrap, boolean syncDirectory) {
    List<Safetensors.Entry> entries = new ArrayList<>(model.values());
    for (var e : optimizer.entrySet()) {
      entries.add(new Safetensors.Entry(OPTIM + e.getKey(), "F32", new int[] {e.getValue().length},
          e.getValue(), null));
    }
    for (var e : best.entrySet()) {
      entries.add(new Safetensors.Entry(BEST + e.getKey(), "F32", new int[] {e.getValue().length},
          e.getValue(), null));
    }
    entries.add(new Safetensors.Entry("train.epoch", "I64", new int[] {1}, null, new long[] {epoch}));
    entries.add(new Safetensors.Entry("train.rng", "I64", new int[] {2}, null,
        new long[] {rngSeed, rngCounter}));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(FORMAT_VERSION));
    if (optimizerKind != null) meta.put("optimizer", optimizerKind);
    scheduler.forEach((k, v) -> meta.put(SCHED + k, Double.toString(v)));
    earlyStopping.forEach((k, v) -> meta.put(STOP + k, Double.toString(v)));
    metadata.forEach((k, v) -> meta.put(META + k, v));
    meta.put(CheckpointDigest.KEY, CheckpointDigest.of(entries, meta));
    try {
      AtomicFiles.write(file, out -> SafetensorsWriter.write(out, entries, meta), wrap, syncDirectory);
    } catch (IOException e) {
      // the cause says why (a full disk, a permission); the command line prints it after this
      throw new UncheckedIOException("checkpoint: cannot write " + file
          + "; any previous checkpoint there is unchanged", e);
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws UnsupportedModelVersionException when a newer gnn4j wrote it
   * @throws Gnn4jConfigException naming the file when it is unreadable, truncated, or not a
   *     gnn4j checkpoint
   */
  public static Checkpoint read(Path file) {
    Safetensors st = Safetensors.read(file);
    String name = file.toString();
    Map<String, String> meta = st.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new Gnn4jConfigException(name, 0, "not a gnn4j checkpoint (__metadata__ format is "
          + meta.get("format") + ", expected " + FORMAT + "); plain weights load with StateDict");
    }
    requireReadableVersion(meta.get("format_version"), name);
    String stored = meta.get(CheckpointDigest.KEY);
    // checkpoints written before the digest existed have none; every newer one must match
    if (stored != null && !stored.equals(CheckpointDigest.of(st.tensors().values(), meta))) {
      throw new Gnn4jConfigException(name, 0, "checksum mismatch: the file was changed or damaged"
          + " after it was written (stored SHA-256 " + stored.substring(0, 12) + "...); refusing"
          + " to use it");
    }
    Builder b = new Builder();
    for (var e : st.tensors().entrySet()) {
      String k = e.getKey();
      Safetensors.Entry v = e.getValue();
      if (k.startsWith(MODEL)) {
        b.model.put(k.substring(MODEL.length()), requireFinite(requireF32(v, name), name));
      } else if (k.startsWith(OPTIM)) {
        b.optimizer.put(k.substring(OPTIM.length()), requireF32(v, name).floats());
      } else if (k.startsWith(BEST)) {
        b.best.put(k.substring(BEST.length()), requireFinite(requireF32(v, name), name).floats());
      }
    }
    b.epoch = requireI64(st, "train.epoch", 1, name)[0];
    long[] rng = requireI64(st, "train.rng", 2, name);
    b.rngSeed = rng[0];
    b.rngCounter = rng[1];
    b.optimizerKind = meta.get("optimizer");
    for (var e : meta.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(META)) b.metadata.put(k.substring(META.length()), e.getValue());
      else if (k.startsWith(SCHED)) b.scheduler.put(k.substring(SCHED.length()), number(e, name));
      else if (k.startsWith(STOP)) b.earlyStopping.put(k.substring(STOP.length()), number(e, name));
    }
    return new Checkpoint(b, name);
  }

  /** A version above {@link #FORMAT_VERSION} is a newer gnn4j's file: refused before anything is read. */
  private static void requireReadableVersion(String version, String file) {
    int v;
    try {
      v = Integer.parseInt(version == null ? "" : version.trim());
    } catch (NumberFormatException e) {
      throw new Gnn4jConfigException(file, 0, "__metadata__ format_version is '" + version
          + "', expected a whole number (1 to " + FORMAT_VERSION + ")", e);
    }
    if (v > FORMAT_VERSION) throw new UnsupportedModelVersionException(file, v, FORMAT_VERSION);
    if (v < 1) {
      throw new Gnn4jConfigException(file, 0, "__metadata__ format_version is " + v
          + ", expected 1 to " + FORMAT_VERSION);
    }
  }

  private static Safetensors.Entry requireF32(Safetensors.Entry e, String file) {
    if (e.floats() == null) {
      throw new Gnn4jConfigException(file, 0, "tensor '" + e.name() + "' has dtype " + e.dtype()
          + ", expected F32");
    }
    return e;
  }

  /** A NaN or infinite weight is never a model to evaluate: refused, naming the tensor. */
  private static Safetensors.Entry requireFinite(Safetensors.Entry e, String file) {
    float[] f = e.floats();
    for (int i = 0; i < f.length; i++) {
      if (!Float.isFinite(f[i])) {
        throw new Gnn4jConfigException(file, 0, "tensor '" + e.name() + "' holds " + f[i]
            + " at index " + i + " (expected finite weights); the run that wrote it diverged or"
            + " the file is damaged");
      }
    }
    return e;
  }

  private static long[] requireI64(Safetensors st, String key, int length, String file) {
    if (!st.has(key) || st.get(key).longs() == null || st.get(key).longs().length != length) {
      throw new Gnn4jConfigException(file, 0, "checkpoint entry '" + key + "' is missing or not "
          + length + " I64 value(s)");
    }
    return st.get(key).longs();
  }

  private static double number(Map.Entry<String, String> e, String file) {
    try {
      return Double.parseDouble(e.getValue());
    } catch (NumberFormatException ex) {
      throw new Gnn4jConfigException(file, 0, "metadata '" + e.getKey() + "' = '" + e.getValue()
          + "' is not a number", ex);
    }
  }

  // ---- restoring -------------------------------------------------------------------------------

  /**
   * Copies the saved parameters and buffers into {@code m}, after checking that the names and
   * shapes are exactly the model's; on a mismatch nothing is copied.
   *
   * @throws Gnn4jConfigException listing every missing, unexpected and wrongly shaped parameter
   *     with the model's and the checkpoint's shape
   */
  public void restoreModel(Module m) {
    Map<String, Tensor> params = m.namedParameters();
    List<String> problems = new ArrayList<>();
    for (var p : params.entrySet()) {
      Safetensors.Entry e = model.get(p.getKey());
      int[] want = p.getValue().shape().toArray();
      if (e == null) {
        problems.add("missing '" + p.getKey() + "' (model expects shape " + Arrays.toString(want) + ")");
      } else if (!Arrays.equals(want, e.shape())) {
        problems.add("'" + p.getKey() + "' has shape " + Arrays.toString(e.shape())
            + ", model expects " + Arrays.toString(want));
      }
    }
    for (var e : model.entrySet()) {
      if (!params.containsKey(e.getKey())) {
        problems.add("unexpected '" + e.getKey() + "' (shape " + Arrays.toString(e.getValue().shape())
            + ", the model has no such parameter)");
      }
    }
    if (!problems.isEmpty()) {
      throw new Gnn4jConfigException(source, 0, "checkpoint does not fit the model: "
          + String.join("; ", problems));
    }
    for (var p : params.entrySet()) {
      float[] src = model.get(p.getKey()).floats();
      System.arraycopy(src, 0, p.getValue().data(), 0, src.length);
    }
  }

  /**
   * Restores the optimizer state.
   *
   * @throws Gnn4jConfigException when the checkpoint has no optimizer state, state of another
   *     optimizer kind, or state that does not fit the optimizer's parameters
   */
  public void restoreOptimizer(Optimizer opt) {
    String kind = opt.getClass().getSimpleName();
    if (optimizerKind == null) {
      throw new Gnn4jConfigException(source, 0, "checkpoint holds no optimizer state (cannot"
          + " restore " + kind + ")");
    }
    if (!optimizerKind.equals(kind)) {
      throw new Gnn4jConfigException(source, 0, "checkpoint holds " + optimizerKind
          + " state, cannot restore it into " + kind);
    }
    try {
      opt.loadState(optimizer);
    } catch (IllegalArgumentException e) {
      throw new Gnn4jConfigException(source, 0, e.getMessage(), e);
    }
  }

  /** Saved parameters and buffers by state_dict name (F32 entries; arrays must not be changed). */
  /** The best epoch's weights stored with {@link Builder#best} (empty when none), by name. */
  public Map<String, float[]> best() {
    return best;
  }

  public Map<String, Safetensors.Entry> model() {
    return model;
  }

  /** Simple class name of the saved optimizer, or null. */
  public String optimizerKind() {
    return optimizerKind;
  }

  public Map<String, float[]> optimizerState() {
    return optimizer;
  }

  public Map<String, Double> schedulerState() {
    return scheduler;
  }

  public Map<String, Double> earlyStoppingState() {
    return earlyStopping;
  }

  public long epoch() {
    return epoch;
  }

  public long rngSeed() {
    return rngSeed;
  }

  public long rngCounter() {
    return rngCounter;
  }

  /** The user entries given to {@link Builder#metadata}. */
  public Map<String, String> metadata() {
    return metadata;
  }
}
