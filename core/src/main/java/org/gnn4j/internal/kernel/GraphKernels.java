package org.gnn4j.internal.kernel;

/**
 * Sparse and graph kernels on CSR/COO index arrays and flat row-major feature arrays.
 * Outputs first, sizes last; each method's Javadoc gives the shapes.
 */
public interface GraphKernels {
}
