package org.gnn4j.testing;

import java.util.List;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;

/** Contexts for tests: both kernel sets, one and two threads, fixed seeds. */
public final class Contexts {
  private Contexts() {}

  /** The scalar and the Vector API kernels (tests run against both, never just the detected). */
  public static List<Kernels> kernelSets() {
    return List.of(Kernels.scalar(), Kernels.vector());
  }

  public static Context scalar(int threads) {
    return Context.builder().threads(threads).seed(42).kernels(Kernels.scalar()).build();
  }

  public static Context vector(int threads) {
    return Context.builder().threads(threads).seed(42).kernels(Kernels.vector()).build();
  }
}
