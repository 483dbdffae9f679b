package org.gnn4j.internal.kernel;

import org.gnn4j.tensor.Context;

/**
 * How ops and encodings reach a {@link Context}'s kernels and worker pool, which Context keeps
 * off its public API (this package is not exported): Context hands over one accessor from its
 * static initialiser, the JDK's {@code SharedSecrets} pattern. The field is written once, before
 * any Context exists, so every call that can pass a Context finds it set.
 */
public final class ContextAccess {
  /** What Context hands over. */
  public interface Accessor {
    Kernels kernels(Context ctx);

    Parallel parallel(Context ctx);

    float[] floats(Context ctx, int n);

    float[] floatsToOverwrite(Context ctx, int n);

    void backwardBegin(Context ctx);

    void backwardEnd(Context ctx, java.util.List<org.gnn4j.tensor.Tensor> reached);

    void gradDead(Context ctx, float[] grad);

    int backwardMark(Context ctx);

    void backwardRelease(Context ctx, int mark, org.gnn4j.tensor.Tensor[] inputs);
  }

  private static volatile Accessor accessor;

  private ContextAccess() {}

  /** Called once, by Context's static initialiser. */
  public static void register(Accessor a) {
    if (accessor != null) throw new IllegalStateException("ContextAccess: already registered");
    accessor = a;
  }

  /** The kernels {@code ctx} runs. */
  public static Kernels kernels(Context ctx) {
    return accessor.kernels(ctx);
  }

  /**
   * The worker pool of {@code ctx}.
   *
   * @throws org.gnn4j.tensor.ContextClosedException after the context (or its origin) was closed
   */
  public static Parallel parallel(Context ctx) {
    return accessor.parallel(ctx);
  }

  /**
   * A zeroed float array of {@code n} elements for an op's output, saved state or gradient:
   * inside a {@link Context#step()} on its thread a large one comes from the context's pool (and
   * returns when the step ends), otherwise it is a new array. Use it only for storage that lives
   * no longer than the step: never for caches, parameters or optimizer state.
   */
  public static float[] floats(Context ctx, int n) {
    return accessor.floats(ctx, n);
  }

  /**
   * Like {@link #floats}, for an array the caller's kernel writes in full before anything reads
   * it: a pooled array then comes back with the last step's values instead of being zeroed first
   * (on the gin and gat workloads the zeroing was a sixth of a step). Any element the kernel may
   * skip makes results depend on the previous step: when in doubt, use {@link #floats}.
   */
  public static float[] floatsToOverwrite(Context ctx, int n) {
    return accessor.floatsToOverwrite(ctx, n);
  }

  /** Autograd: a backward pass over {@code ctx}'s tensors starts (its buffers may come back early). */
  public static void backwardBegin(Context ctx) {
    accessor.backwardBegin(ctx);
  }

  /** Autograd: the backward pass ended; {@code reached} are the tensors it walked. */
  public static void backwardEnd(Context ctx, java.util.List<org.gnn4j.tensor.Tensor> reached) {
    accessor.backwardEnd(ctx, reached);
  }

  /** Autograd: nothing refers to gradient buffer {@code grad} any more. */
  public static void gradDead(Context ctx, float[] grad) {
    accessor.gradDead(ctx, grad);
  }

  /** Autograd: one node's backward starts; pass the result to {@link #backwardRelease}. */
  public static int backwardMark(Context ctx) {
    return accessor.backwardMark(ctx);
  }

  /** Autograd: that node's backward ended; its scratch buffers are free again. */
  public static void backwardRelease(Context ctx, int mark, org.gnn4j.tensor.Tensor[] inputs) {
    accessor.backwardRelease(ctx, mark, inputs);
  }
}
