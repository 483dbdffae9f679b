package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.ElementwiseKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The scaled sum of the first powers of a sparse matrix applied to dense rows,
 * {@code out = scale * sum_{l=0..L} A^l x} with {@code (A x)[i] = sum_{e: j -> i} w[e] x[j]}:
 * LightGCN's layer combination with equal weights (He et al., arXiv:2002.02126) in one op. The
 * same as L {@link Spmm}s, L adds and one scale, but it keeps two work buffers instead of a
 * tensor per step, so a recommender that propagates the whole graph at every batch allocates and
 * sweeps a third of the memory. Backward is the same sum over the transposed edges:
 * {@code dx = scale * sum_l (A^T)^l dOut}. The weights are constants (no gradient reaches w).
 */
public final class PowerSum {
  private PowerSum() {}

  /**
   * @param w null (every weight 1) or [E] constant edge weights
   * @param x [N, F] over the graph's one node set
   * @param layers L >= 0, the highest power
   * @return [N, F]
   * @throws IllegalArgumentException on a bipartite edge set, x not [N, F], w not [E], L &lt; 0
   */
  public static Tensor apply(EdgeIndex e, Tensor w, Tensor x, int layers, float scale) {
    String op = "powerSum";
    if (e.numSrcNodes() != e.numDstNodes()) {
      throw new IllegalArgumentException(op + ": needs one node set (got " + e + ", expected as"
          + " many sources as targets)");
    }
    if (x.rank() != 2 || x.dim(0) != e.numNodes()) {
      throw new IllegalArgumentException(op + ": x has shape " + x.shape() + ", expected ["
          + e.numNodes() + ", F]");
    }
    if (w != null && (w.rank() != 1 || w.dim(0) != e.numEdges())) {
      throw new IllegalArgumentException(op + ": w has shape " + w.shape() + ", expected ["
          + e.numEdges() + "]");
    }
    if (layers < 0) throw new IllegalArgumentException(op + ": layers must be >= 0 (got " + layers + ")");
    float[] out = sum(x.ctx(), e.csrByDst(), w, x.data(), x.dim(1), layers, scale);
    return new Tensor(x.ctx(), x.shape(), out).recordedBy(new Backward(x, e, w, layers, scale));
  }

  /** scale * sum_l M^l src over the CSR of M; src is read, never written. */
  private static float[] sum(Context ctx, Csr csr, Tensor w, float[] src, int f, int layers, float scale) {
    int n = csr.rows();
    int[] dims = {n * f};
    int[] unit = {1};
    float[] out = src.clone();                            // out: [N, F], the running sum
    float[] cur = src;                                    // M^(l-1) src
    float[] next = layers > 0 ? new float[n * f] : null;  // M^l src
    var k = ContextAccess.kernels(ctx);
    for (int l = 1; l <= layers; l++) {
      k.graph().spmmCsr(next, csr.rowPtr(), csr.col(), csr.edge(), w == null ? null : w.data(), 1,
          cur, n, f, ContextAccess.parallel(ctx));
      if (n * f > 0) {
        k.elementwise().binary(ElementwiseKernels.ADD, out, out, unit, next, unit, dims, ContextAccess.parallel(ctx));
      }
      // the previous power is free once the next is made (src itself is the caller's)
      float[] free = cur == src ? null : cur;
      cur = next;
      next = l == layers ? null : free != null ? free : new float[n * f];
    }
    if (scale != 1f && n * f > 0) {
      k.elementwise().unary(ElementwiseKernels.MUL_SCALAR, out, out, scale,
          n * f, ContextAccess.parallel(ctx));
    }
    return out;
  }

  private static final class Backward extends Node {
    private final EdgeIndex e;
    private final Tensor w;
    private final int layers;
    private final float scale;

    Backward(Tensor x, EdgeIndex e, Tensor w, int layers, float scale) {
      super(x);
      this.e = e;
      this.w = w;
      this.layers = layers;
      this.scale = scale;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [N, F]
      Tensor x = inputs()[0];
      // dx = scale * sum_l (A^T)^l dOut: the forward's sum on the CSR by source
      accumulate(0, sum(x.ctx(), e.csrBySrc(), w, dOut, x.dim(1), layers, scale));
    }
  }
}
