package org.gnn4j.internal.kernel;

/**
 * The fused GINE message loops: {@code out[i] = sum over in-edges k of relu(x[src_k] + e[k])}
 * and its backward, without the three [E, F] temporaries (gathered rows, sum, ReLU) the unfused
 * form keeps for backward; optionally with the edge projection e_k = W a_k + b fused too, so the
 * projected edge features are computed per edge and never stored. Reached through
 * {@link Kernels#gine()}; {@link #scalar()} is the plain-Java reference.
 */
public interface GineKernels {
  /**
   * @param out [N, f] zeroed
   * @param rowPtr [N+1] CSR by target; {@code edge[p]} the edge id, {@code src[edge]} its source
   */
  void forward(float[] out, float[] x, float[] e, int[] rowPtr, int[] edge, int[] src, int n,
      int f, Parallel par);

  /**
   * dE[k] = dOut[dst_k] where x[src_k] + e[k] > 0, else 0.
   *
   * @param de [E, f]
   */
  void edgeGrad(float[] de, float[] dOut, float[] x, float[] e, int[] src, int[] dst, int edges,
      int f, Parallel par);

  /**
   * out[i] += sum over in-edges k of relu(x[src_k] + wT^T a[k] + b).
   *
   * @param attr [E, d] raw edge features
   * @param wT [d, f] the projection's weight, transposed so each input column is a row
   * @param b [f] bias, or null
   */
  void forwardProjected(float[] out, float[] x, float[] attr, float[] wT, float[] b, int[] rowPtr,
      int[] edge, int[] src, int n, int f, int d, Parallel par);

  /**
   * Backward of {@link #forwardProjected}, one pass over the edges grouped by source: each
   * edge's dE = mask * dOut[dst] is recomputed and used at once for dx (the source row, owned by
   * this chunk), dAttr (the edge's own row), and the chunk's partial dW and db, which are summed
   * in chunk order afterwards. Any of dx, dAttr, dWT, db may be null when not needed.
   *
   * @param dWT [d, f] receives dW transposed
   */
  void backwardProjected(float[] dx, float[] dAttr, float[] dWT, float[] db, float[] dOut,
      float[] x, float[] attr, float[] wT, float[] b, int[] rowPtrBySrc, int[] edgeBySrc,
      int[] dst, int n, int f, int d, Parallel par);

  /**
   * GINE's input to its MLP in one pass, for inference: {@code out[i] = scale x[i] + sum over
   * in-edges k of relu(x[src_k] + e[k])}, with scale = 1 + eps. The same bits as {@link
   * #forward} into a zeroed buffer followed by {@code x * scale + aggr} (each row's messages are
   * summed from zero in edge order, then added to the scaled row), without the [N, f] aggregate
   * being written and read back.
   *
   * @param out [N, f], overwritten
   */
  default void forwardEval(float[] out, float[] x, float[] e, float scale, int[] rowPtr, int[] edge,
      int[] src, int n, int f, Parallel par) {
    par.forRange(n, 64, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        int o = i * f;
        for (int j = 0; j < f; j++) {
          float acc = 0f;
          for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
            int k = edge[p];
            float v = x[src[k] * f + j] + e[k * f + j];
            acc += v > 0 ? v : 0f;
          }
          out[o + j] = x[o + j] * scale + acc;
        }
      }
    });
  }

  /** The plain-Java reference. */
  static GineKernels scalar() {
    return ScalarGine.INSTANCE;
  }
}
