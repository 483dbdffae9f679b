package org.gnn4j.tensor;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Everything that PyTorch keeps process-wide and gnn4j keeps explicit: the worker threads, the
 * root random seed, the chosen {@link Kernels} (Vector API or scalar) and whether ops record
 * gradients. Create one per application (or per test), pass it around, close it at the end.
 * Results are deterministic for a given seed and thread count.
 */
public final class Context implements AutoCloseable {
  static {
    ContextAccess.register(new ContextAccess.Accessor() {
      @Override
      public Kernels kernels(Context ctx) {
        return ctx.kernels;
      }

      @Override
      public Parallel parallel(Context ctx) {
        return ctx.parallel();
      }

      @Override
      public float[] floats(Context ctx, int n) {
        return ctx.pool.take(n);
      }

      @Override
      public float[] floatsToOverwrite(Context ctx, int n) {
        return ctx.pool.takeToOverwrite(n);
      }

      @Override
      public void backwardBegin(Context ctx) {
        ctx.pool.backwardBegin();
      }

      @Override
      public void backwardEnd(Context ctx, java.util.List<Tensor> reached) {
        ctx.pool.backwardEnd(reached);
      }

      @Override
      public int backwardMark(Context ctx) {
        return ctx.pool.backwardMark();
      }

      @Override
      public void backwardRelease(Context ctx, int mark, Tensor[] inputs) {
        ctx.pool.backwardRelease(mark, inputs);
      }

      @Override
      public void gradDead(Context ctx, float[] grad) {
        ctx.pool.releaseGrad(grad);
      }
    });
  }

  private final Parallel parallel;
  private final Kernels kernels;
  private final long seed;
  private final SplittableRandom rootRandom;
  private final Context origin;           // the context derived ones share tensors with; this for a root
  final BufferPool pool = new BufferPool();
  private final boolean stepPool;         // false: step() scopes lend nothing (A/B and debugging)
  private boolean gradEnabled = true;
  private volatile boolean closed;
  private SplittableRandom random;

  private Context(int threads, long seed, Kernels kernels, boolean stepPool) {
    this(threads, seed, kernels, null, stepPool);
  }

  private Context(int threads, long seed, Kernels kernels, Context origin, boolean stepPool) {
    this.origin = origin == null ? this : origin;
    this.stepPool = stepPool;
    this.parallel = new Parallel(threads);
    this.kernels = kernels;
    this.seed = seed;
    this.rootRandom = new SplittableRandom(seed);
    // Its own stream, not a split of the root: taking it must not shift what newRandom() returns.
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
  }

  /** A context with one thread per core, seed 0 and the kernels {@link Kernels#detect()} picks. */
  public static Context create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings for a {@link Context}; defaults: all cores, seed 0, detected kernels. */
  public static final class Builder {
    private int threads = Runtime.getRuntime().availableProcessors();
    private long seed = 0;
    private Kernels kernels;
    private boolean stepPool = true;

    private Builder() {}

    /**
     * Whether {@link Context#step()} reuses buffers from step to step (default true). Off, a
     * step scope changes nothing: every op allocates as outside a step. Results are the same
     * bits either way; this is for comparing memory and for ruling the pool out when debugging.
     */
    public Builder stepPool(boolean on) {
      this.stepPool = on;
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("Context: threads must be >= 1 (got " + threads + ")");
      }
      this.threads = threads;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Runs on {@code kernels} instead of the detected ones (tests and benchmarks that compare
     * implementations).
     *
     * @throws IllegalArgumentException for a kernel set gnn4j did not make
     */
    public Builder kernels(KernelSet kernels) {
      if (!(kernels instanceof Kernels k)) {
        throw new IllegalArgumentException("Context: kernels must be one of gnn4j's kernel sets (got "
            + (kernels == null ? "null" : kernels.getClass().getName()) + ")");
      }
      this.kernels = k;
      return this;
    }

    public Context build() {
      return new Context(threads, seed, kernels == null ? Kernels.detect() : kernels, stepPool);
    }
  }

  public int threads() {
    return parallel.threads();
  }

  /**
   * A context for one caller thread of a model built in this context (a request of a service):
   * its own grad mode, random streams and worker pool of {@code threads}, the same seed and
   * kernels. Tensors of the two contexts (the model's parameters, the request's inputs) may meet
   * in one op; an op runs on the context of its first input. With the same thread count every
   * derived context computes exactly what this one does. Close it when the caller is done; the
   * model's context stays open. Once the model's context is closed, ops on a derived one throw
   * {@link ContextClosedException} too: the model they serve is gone.
   */
  public Context derive(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Context.derive: threads must be >= 1 (got " + threads + ")");
    }
    return new Context(threads, seed, kernels, origin, stepPool);
  }

  /** Whether tensors of {@code other} may meet tensors of this context in one op (one is derived from the other, or both from a third). */
  public boolean sharesTensorsWith(Context other) {
    return other != null && other.origin == origin;
  }

  public long seed() {
    return seed;
  }

  /** The kernels this context runs (what {@link Builder#kernels} set, or detection chose). */
  public KernelSet kernels() {
    return kernels;
  }

  /**
   * The name of the kernels this context runs, as the one INFO line of detection reports them
   * (for example {@code vector(512-bit)} or {@code scalar}): for logs and benchmark lines.
   */
  public String kernelsName() {
    return kernels.name();
  }

  /**
   * The context's worker pool, for kernels: every op asks for it, so this is where a use after
   * {@link #close()} is caught.
   *
   * @throws ContextClosedException after {@link #close()}
   */
  private Parallel parallel() {
    if (closed || origin.closed) {
      throw new ContextClosedException("Context: an op ran after the context (or the model that"
          + " owns it) was closed; create or load it again");
    }
    return parallel;
  }

  /** Whether {@link #close()} was called (on this context or the one it was derived from): ops then throw {@link ContextClosedException}. */
  public boolean isClosed() {
    return closed || origin.closed;
  }

  /**
   * A new independent random stream split from the root seed. The n-th call returns the same
   * stream for the same seed, so components that take their stream in a fixed order (parameter
   * init, dropout, samplers) are reproducible.
   */
  public SplittableRandom newRandom() {
    return rootRandom.split();
  }

  /**
   * The current random stream of training-time randomness (dropout masks): the one a
   * {@link #withRandom} scope set, else the context's own stream derived from the seed. A trainer
   * sets one stream per epoch, so a resumed run draws exactly what the uninterrupted one drew.
   */
  public SplittableRandom random() {
    return random;
  }

  /**
   * Makes {@code stream} the current random stream until the returned scope is closed:
   * {@code try (var s = ctx.withRandom(epochStream)) { ... }}.
   */
  public RandomScope withRandom(SplittableRandom stream) {
    if (stream == null) throw new IllegalArgumentException("Context.withRandom: stream is null");
    return new RandomScope(stream);
  }

  /** Restores the previous random stream when closed. */
  public final class RandomScope implements AutoCloseable {
    private final SplittableRandom previous;

    private RandomScope(SplittableRandom stream) {
      previous = random;
      random = stream;
    }

    @Override
    public void close() {
      random = previous;
    }
  }

  public boolean gradEnabled() {
    return gradEnabled;
  }

  /**
   * Turns gradient recording off until the returned scope is closed:
   * {@code try (var s = ctx.noGrad()) { ... }}. Ops then record nothing and keep no
   * intermediates (inference mode).
   */
  public GradScope noGrad() {
    return new GradScope(false);
  }

  /** Turns recording on inside a {@link #noGrad()} region until closed. */
  public GradScope enableGrad() {
    return new GradScope(true);
  }

  /** Restores the previous grad mode when closed. */
  public final class GradScope implements AutoCloseable {
    private final boolean previous;

    private GradScope(boolean enabled) {
      previous = gradEnabled;
      gradEnabled = enabled;
    }

    @Override
    public void close() {
      gradEnabled = previous;
    }
  }

  /**
   * Opens one training step: {@code try (var step = ctx.step()) { forward; backward; optimizer
   * step }}. Until the scope closes, the large buffers that ops running on this thread allocate
   * (outputs, saved intermediates, gradients) come from this context's pool, and intermediate
   * gradients go back to it as soon as backward is done with them; when it closes, every buffer
   * the step took returns to the pool for the next step, except the gradients left in leaves
   * (parameters, inputs), which stay with their tensors. A repeated step thus allocates almost
   * nothing after the first, and its memory no longer depends on how the garbage collector is
   * tuned. Results are bit-identical with and without a step (buffers come back zeroed).
   *
   * <p>Tensors computed inside the step share the recycled storage: read what you need (the
   * loss value, metrics) before the scope closes; afterwards reading such a tensor throws
   * {@link IllegalStateException}. Nested steps join the outer one. Other threads using this
   * context meanwhile allocate as usual.
   *
   * @throws IllegalStateException if a step is open on another thread
   */
  public StepScope step() {
    if (stepPool) pool.open(Thread.currentThread());
    return new StepScope(stepPool);
  }

  /** Returns the step's buffers to the pool when closed; see {@link #step()}. */
  public final class StepScope implements AutoCloseable {
    private boolean closed;

    private StepScope(boolean pooled) {
      this.closed = !pooled;                     // an unpooled scope has nothing to return
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      pool.close();
    }
  }

  /** Floats the step pool holds for the next step (for tests and diagnostics). */
  long pooledFloats() {
    return pool.freeFloats();
  }

  long pooledMisses() {
    return pool.misses();
  }

  // ---- factories -----------------------------------------------------------------------------

  public Tensor zeros(int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(this, s, new float[s.numel()]);
  }

  public Tensor full(float value, int... dims) {
    Tensor t = zeros(dims);
    java.util.Arrays.fill(t.data(), value);
    return t;
  }

  public Tensor ones(int... dims) {
    return full(1f, dims);
  }

  /** Wraps a copy of {@code values} as a tensor of the given shape. */
  public Tensor tensor(float[] values, int... dims) {
    return new Tensor(this, Shape.of(dims), values.clone());
  }

  /** Standard normal entries drawn from {@code random}. */
  public Tensor randn(SplittableRandom random, int... dims) {
    Tensor t = zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i += 2) {
      // Box-Muller: two normals per pair of uniforms, so the stream is consumed deterministically.
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      d[i] = (float) (r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < d.length) d[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
    }
    return t;
  }

  /** Uniform entries in [lo, hi) drawn from {@code random}. */
  public Tensor uniform(SplittableRandom random, float lo, float hi, int... dims) {
    Tensor t = zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * (float) random.nextDouble();
    return t;
  }

  /**
   * Stops the worker threads. Tensors stay readable; running more ops throws
   * {@link ContextClosedException}. Closing twice does nothing.
   */
  @Override
  public void close() {
    closed = true;
    parallel.close();
  }
}
