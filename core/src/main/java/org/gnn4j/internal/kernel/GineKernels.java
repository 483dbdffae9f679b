package org.gnn4j.internal.kernel;

/**
 * The fused GINE message loops: {@code out[i] = sum over in-edges k of relu(x[src_k] + e[k])}
 * and its backward, without the three [E, F] temporaries (gathered rows, sum, ReLU) the unfused
 * form keeps for backward. Parallel over target nodes (forward) and edges (backward), each row
 * written by one thread in a fixed order, so results are the same bits for a thread count.
 */
public final class GineKernels {
  private GineKernels() {}

  /**
   * @param out [N, f] zeroed
   * @param rowPtr [N+1] CSR by target; {@code edge[p]} the edge id, {@code src[edge]} its source
   */
  public static void forward(float[] out, float[] x, float[] e, int[] rowPtr, int[] edge, int[] src, int n,
                             int f, Parallel par) {
    par.forRange(n, 64, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        int o = i * f;
        for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          int k = edge[p];
          int xs = src[k] * f;
          int es = k * f;
          for (int j = 0; j < f; j++) {
            float v = x[xs + j] + e[es + j];
            out[o + j] += v > 0 ? v : 0f;
          }
        }
      }
    });
  }

  /**
   * dE[k] = dOut[dst_k] where x[src_k] + e[k] > 0, else 0.
   *
   * @param de [E, f]
   */
  public static void edgeGrad(float[] de, float[] dOut, float[] x, float[] e, int[] src, int[] dst, int edges,
                              int f, Parallel par) {
    par.forRange(edges, 1024, (c, from, to) -> {
      for (int k = from; k < to; k++) {
        int xs = src[k] * f;
        int gs = dst[k] * f;
        int es = k * f;
        for (int j = 0; j < f; j++) {
          de[es + j] = x[xs + j] + e[es + j] > 0 ? dOut[gs + j] : 0f;
        }
      }
    });
  }
}
