package org.gnn4j.internal.kernel;

/**
 * Exact multi-head attention among all nodes of each graph of a batch in O(N) memory (the
 * kernels behind {@code ops.DenseAttention}): a forward that keeps only the log-sum-exp per query
 * and head, and a backward in two passes that recompute the scores, one owning query rows (dq)
 * and one owning key rows (dk, dv), so no thread writes a row another one writes and results are
 * bit-identical for a given thread count. {@link ScalarBlockAttention} is the plain reference;
 * the Vector API set supplies register-blocked micro-kernels.
 *
 * <p>Layouts: q, k, v, out, dOut are [N, H, C] (row i, head h at (i * H + h) * C); lse and dd
 * are [N, H]; graphs are the contiguous node ranges graphPtr[g] .. graphPtr[g + 1].
 */
public interface BlockAttentionKernels {
  /**
   * out = softmax(scale q k^T) v within each graph, per head; lse = log-sum-exp of the scores.
   *
   * @param out [N, H, C], overwritten
   * @param lse [N, H], overwritten
   */
  void forward(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] graphPtr,
               int heads, int c, float scale, Parallel par);

  /**
   * dq_i = scale sum_j p_ij (dOut_i . v_j - D_i) k_j, p_ij = exp(scale q_i . k_j - lse_i).
   *
   * @param dq [N, H, C], overwritten
   * @param dd [N, H]: D = dOut . out per query and head
   */
  void backwardQuery(float[] dq, float[] dOut, float[] dd, float[] lse, float[] q, float[] k,
                     float[] v, int[] graphPtr, int heads, int c, float scale, Parallel par);

  /**
   * dv_j = sum_i p_ij dOut_i, dk_j = scale sum_i p_ij (dOut_i . v_j - D_i) q_i.
   *
   * @param dk [N, H, C], overwritten
   * @param dv [N, H, C], overwritten
   */
  void backwardKey(float[] dk, float[] dv, float[] dOut, float[] dd, float[] lse, float[] q,
                   float[] k, float[] v, int[] graphPtr, int heads, int c, float scale,
                   Parallel par);

  /** The plain-Java blocked reference, its inner steps on {@code math}. */
  static BlockAttentionKernels reference(MathKernels math) {
    return new ScalarBlockAttention(math);
  }
}
