package org.gnn4j.internal.kernel;

/** Reference fused-attention kernels in plain Java: the correctness reference and fallback. */
final class ScalarAttention implements AttentionKernels {
}
