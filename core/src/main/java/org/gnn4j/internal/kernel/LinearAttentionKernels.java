package org.gnn4j.internal.kernel;

import java.util.function.IntFunction;

/**
 * Performer linear attention with a ReLU random-feature map (Choromanski et al.,
 * arXiv:2009.14794, in PyG's form), per graph and head, in node blocks so that the feature
 * maps phi(x) = relu(x W^T) + eps of shape [N, H, M] never exist whole: each block of nodes maps
 * its rows ([block * H, C] x [C, M], one GEMM), uses them, and forgets them; the backward
 * recomputes them. Memory is O(N H C + G H M C), time O(N H M C).
 *
 * <p>Forward, for graph g and head h: kv = sum_j phi(k_j) v_j^T [M, C], ksum = sum_j phi(k_j)
 * [M], den_i = phi(q_i) . ksum, out_i = phi(q_i)^T kv / den_i. Layout: q, k, v, out are
 * [N, H * C] (node i, head h at (i * H + h) * C); w is [M, C]; graphs are the contiguous node
 * ranges graphPtr[g] .. graphPtr[g + 1]. The products go to the kernel set's
 * {@link DenseKernels#sgemm} (OpenBLAS or the Vector API kernel in the vector set). Reached
 * through {@link Kernels#linearAttention()}.
 */
public interface LinearAttentionKernels {
  /**
   * out, den, kv and ksum as in the class doc; ksumExtra [G, H, M] (or null) is added to ksum
   * after the keys are summed (PyG's padding rows). out, den, kv, ksum must be zero-filled.
   *
   * @param out [N, H, C] (written)
   * @param den [N, H] (written)
   * @param kv [G, H, M, C] (written)
   * @param ksum [G, H, M] (written)
   * @param preQ [N * H, M] or null: relu(q W^T), written here for {@link #backward} to read
   * @param preK [N * H, M] or null: relu(k W^T), the same
   * @param scratch the block buffers' allocator (length -> array), called on this thread only;
   *     the kernel writes what it reads, so arrays need not be zeroed
   */
  void forward(float[] out, float[] den, float[] kv, float[] ksum, float[] q, float[] k,
      float[] v, float[] w, float[] ksumExtra, int[] graphPtr, int heads, int c, int m, float eps,
      float[] preQ, float[] preK, IntFunction<float[]> scratch, Parallel par);

  /**
   * Gradients of {@link #forward}. dnum_i = dOut_i / den_i, dden_i = -(dOut_i . out_i) / den_i;
   * dphi(q_i) = kv dnum_i + ksum dden_i; dkv = sum_i phi(q_i) dnum_i^T; dksum = sum_i phi(q_i)
   * dden_i; dphi(k_j) = dkv v_j + dksum; dv_j = dkv^T phi(k_j); dx = (dphi masked by x W^T > 0)
   * W. Any of dq, dk, dv may be null when not wanted.
   *
   * @param dKsum [G, H, M] (written): the gradient of ksum, for whoever added ksumExtra
   * @param preQ what {@link #forward} wrote there, or null to recompute it; preK the same
   * @param scratch as for {@link #forward}
   */
  void backward(float[] dq, float[] dk, float[] dv, float[] dKsum, float[] dOut, float[] out,
      float[] den, float[] kv, float[] ksum, float[] q, float[] k, float[] v, float[] w,
      int[] graphPtr, int heads, int c, int m, float eps, float[] preQ, float[] preK,
      IntFunction<float[]> scratch, Parallel par);

  /** The plain-Java loops around {@code dense}'s products and {@code math}'s row kernels. */
  static LinearAttentionKernels on(DenseKernels dense, MathKernels math) {
    return new ScalarLinearAttention(dense, math);
  }
}
