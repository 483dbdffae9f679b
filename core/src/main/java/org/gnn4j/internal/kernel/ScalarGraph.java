package org.gnn4j.internal.kernel;

/** Reference graph kernels in plain Java: the correctness reference and the fallback. */
final class ScalarGraph implements GraphKernels {
}
