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
}
