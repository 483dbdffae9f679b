package org.gnn4j.internal.kernel;

/**
 * Fused graph attention: per destination node, an online (running-max) softmax over its CSR
 * in-edges and the weighted sum of value rows in one pass, per head; and the matching backward,
 * which recomputes what it needs instead of storing E x H x C intermediates.
 */
public interface AttentionKernels {
}
