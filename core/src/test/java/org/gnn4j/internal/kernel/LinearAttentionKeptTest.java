package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Performer kernels with the feature maps' pre-activations kept from forward to backward
 * give what the kernels that recompute them give, in both kernel sets, across blocks, graphs
 * and threads: the same values up to float rounding (the two paths sum their blocks in other
 * groupings), and the same bits from one run to the next.
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
  void keptPreActivationsChangeOnlyRounding() {
    // 1,500 nodes in three graphs: two threads of 750 nodes, each more than one block of either
    // size, and a graph that crosses both a block and a thread boundary
    int[] ptr = {0, 300, 1100, 1500};
    String[] names = {"out", "den", "kv", "ksum", "dq", "dk", "dv", "dKsum"};
    for (Kernels set : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Parallel par = new Parallel(2)) {
        float[][] recomputed = run(set.linearAttention(), false, ptr, 2, 8, 13, par);
        float[][] kept = run(set.linearAttention(), true, ptr, 2, 8, 13, par);
        for (int i = 0; i < names.length; i++) {
          float scale = 0;
          for (float x : recomputed[i]) scale = Math.max(scale, Math.abs(x));
          assertTrue(scale > 0, names[i] + " is not all zero");
          // a wrong offset or block bound moves values by their own size, not by 1e-5 of it
          assertArrayEquals(recomputed[i], kept[i], 1e-5f * scale,
              names[i] + " of " + set.getClass().getSimpleName());
        }
        for (boolean keep : new boolean[] {false, true}) {
          float[][] again = run(set.linearAttention(), keep, ptr, 2, 8, 13, par);
          float[][] first = keep ? kept : recomputed;
          for (int i = 0; i < names.length; i++) assertArrayEquals(first[i], again[i], names[i]);
        }
      }
    }
  }
}
