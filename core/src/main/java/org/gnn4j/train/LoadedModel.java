package org.gnn4j.train;

import java.nio.file.Path;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A trained {@code model.ckpt} opened for serving: the model in eval mode, and the {@link
 * Context} (worker threads) it owns, which never records gradients. Open it once, predict from
 * any number of threads (each caller thread with its own {@link #requestContext} for its inputs),
 * and close it when the service stops; a call after {@link #close()} throws {@link
 * ModelClosedException}, an op already under way fails with its parent {@code
 * ContextClosedException}.
 *
 * <pre>{@code
 * try (LoadedModel m = LoadedModel.open(Path.of("model.ckpt"), 4);
 *      Context request = m.requestContext(1)) {
 *   Tensor out = m.predict(ModelInput.of(request.tensor(x, n, m.model().shape().numFeatures()), graph));
 * }
 * }</pre>
 */
public final class LoadedModel implements AutoCloseable {
  private final Path file;
  private final Context ctx;
  private final GraphModel model;
  private volatile boolean closed;

  private LoadedModel(Path file, Context ctx, GraphModel model) {
    this.file = file;
    this.ctx = ctx;
    this.model = model;
  }

  /**
   * Loads the homogeneous model of a {@code model.ckpt} with a context of {@code threads}
   * worker threads and the seed it was trained with.
   *
   * @throws org.gnn4j.io.UnsupportedModelVersionException when a newer gnn4j wrote the file
   * @throws org.gnn4j.io.Gnn4jConfigException when the file is no model checkpoint of a node or
   *     graph model, naming the file
   */
  public static LoadedModel open(Path checkpoint, int threads) {
    long seed = Experiment.of(TrainCheckpoints.readConfig(checkpoint)).train().seed();
    Context ctx = Context.builder().threads(threads).seed(seed).build();
    try {
      GraphModel model = TrainCheckpoints.loadGraphModel(checkpoint, ctx);
      // Left open on purpose: the model's context serves inference only, for its whole life.
      ctx.noGrad();
      return new LoadedModel(checkpoint, ctx, model);
    } catch (RuntimeException e) {
      ctx.close();
      throw e;
    }
  }

  /** The model, in eval mode; read it, never train it. */
  public GraphModel model() {
    requireOpen();
    return model;
  }

  /** The model's context (its parameters live there); build inputs in a {@link #requestContext} when serving from several threads. */
  public Context context() {
    requireOpen();
    return ctx;
  }

  /**
   * A context for one caller thread's inputs, with {@code threads} worker threads of its own;
   * the caller closes it. Results are bit-identical to the model's own context with the same
   * thread count.
   */
  public Context requestContext(int threads) {
    requireOpen();
    return ctx.derive(threads);
  }

  /**
   * The model's output for {@code in}, computed without gradient bookkeeping.
   *
   * @param in inputs built in {@link #context()} or a {@link #requestContext}
   * @return [N, outDim] for a node model, [G, outDim] for a graph model
   * @throws ModelClosedException after {@link #close()}
   * @throws org.gnn4j.model.FeatureWidthMismatchException when the input's features are not as
   *     wide as the model's training data
   */
  public Tensor predict(ModelInput in) {
    requireOpen();
    Tensor first = in.x() != null ? in.x() : in.pe() != null ? in.pe() : in.edgeAttr();
    Context inputs = first == null ? ctx : first.ctx();
    if (!inputs.sharesTensorsWith(ctx)) {
      throw new IllegalArgumentException("LoadedModel.predict: the input's tensors come from a"
          + " context unrelated to " + file + "'s; build them in model.context() or model.requestContext(threads)");
    }
    try (var s = inputs.noGrad()) {
      return model.forward(in);
    }
  }

  /** The file the model was loaded from. */
  public Path file() {
    return file;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Stops the model's worker threads; later calls throw {@link ModelClosedException}. Closing twice does nothing. */
  @Override
  public void close() {
    closed = true;
    ctx.close();
  }

  private void requireOpen() {
    if (closed) throw new ModelClosedException(file.toString());
  }
}
