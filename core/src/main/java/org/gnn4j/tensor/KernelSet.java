package org.gnn4j.tensor;

/**
 * One implementation of gnn4j's hot loops (Vector API or scalar), as the outside sees it: an
 * opaque value with a name. A {@link Context} normally detects its own; tests and benchmarks
 * that compare implementations hand one to {@link Context.Builder#kernels}. Only gnn4j's own
 * kernel sets are valid there.
 */
public interface KernelSet {
  /** For example {@code vector(512-bit)} or {@code scalar}: what logs and benchmark lines print. */
  String name();
}
