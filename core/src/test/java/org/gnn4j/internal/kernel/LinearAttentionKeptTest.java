package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Performer kernels with the feature maps' pre-activations kept from forward to backward
 * give the same bits as the kernels that recompute them, in both kernel sets, across blocks,
 * graphs and threads.
 */
class LinearAttentionKeptTest {
  private static float[] randn(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
    return x;
  }

  /** out, den, kv, ksum, dq, dk, dv, dKsum of one forward and backward. */
  private static float[][] run(LinearAttentionKernels lk, boolean keep, int[] ptr, int heads, int c,
                               int m, Parallel par) {
    SplittableRandom r = new SplittableRandom(11);
    int n = ptr[ptr.length - 1];
    int g = ptr.length - 1;
    float[] q = randn(r, n * heads * c);
    float[] k = randn(r, n * heads * c);
    float[] v = randn(r, n * heads * c);
    float[] w = randn(r, m * c);
    float[] dOut = randn(r, n * heads * c);
    float[] out = new float[n * heads * c];
    float[] den = new float[n * heads];
    float[] kv = new float[g * heads * m * c];
    float[] ksum = new float[g * heads * m];
    float[] preQ = keep ? new float[n * heads * m] : null;
    float[] preK = keep ? new float[n * heads * m] : null;
    lk.forward(out, den, kv, ksum, q, k, v, w, null, ptr, heads, c, m, 1e-3f, preQ, preK,
        float[]::new, par);
    float[] dq = new float[q.length];
    float[] dk = new float[q.length];
    float[] dv = new float[q.length];
    float[] dKsum = new float[ksum.length];
    lk.backward(dq, dk, dv, dKsum, dOut, out, den, kv, ksum, q, k, v, w, ptr, heads, c, m, 1e-3f,
        preQ, preK, float[]::new, par);
    return new float[][] {out, den, kv, ksum, dq, dk, dv, dKsum};
  }

  @Test
  void keptPreActivationsChangeNoBit() {
    // 1,500 nodes in three graphs: two threads of 750 nodes, each more than one 512-node block,
    // and a graph that crosses both a block and a thread boundary
    int[] ptr = {0, 300, 1100, 1500};
    String[] names = {"out", "den", "kv", "ksum", "dq", "dk", "dv", "dKsum"};
    for (Kernels set : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Parallel par = new Parallel(2)) {
        float[][] recomputed = run(set.linearAttention(), false, ptr, 2, 8, 13, par);
        float[][] kept = run(set.linearAttention(), true, ptr, 2, 8, 13, par);
        for (int i = 0; i < names.length; i++) {
          assertArrayEquals(recomputed[i], kept[i], names[i] + " of " + set.getClass().getSimpleName());
        }
      }
    }
  }
}
