package org.gnn4j.nn;

import static org.gnn4j.testing.LoopRef.linear;
import static org.gnn4j.testing.LoopRef.p;
import static org.gnn4j.testing.LoopRef.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import org.gnn4j.nn.transformer.MultiHeadAttention;
import org.gnn4j.tensor.Tensor;

/**
 * What the attention-recording tests share: one recorded forward with the checks every layer
 * owes (recording does not change the output, one record per forward, a removed recorder records
 * nothing), and the query and key rows of a {@link MultiHeadAttention} for the loop references.
 */
final class AttentionRecords {
  private AttentionRecords() {}

  /** Runs forward without, then with a recorder; asserts equal bits; returns the one record. */
  static AttentionWeights recordOnce(String what, AttentionLayer layer, Supplier<Tensor> forward) {
    float[] plain = forward.get().data().clone();
    AttentionRecorder r = new AttentionRecorder(3);
    layer.recordAttention(r);
    float[] recorded = forward.get().data();
    layer.recordAttention(null);
    assertArrayEquals(plain, recorded, what + ": output changed by recording");
    assertEquals(1, r.recorded().size(), what + ": one record per forward");
    forward.get();
    assertEquals(1, r.recorded().size(), what + ": a removed recorder records nothing more");
    assertEquals(3, r.recorded().get(0).layer());
    return r.recorded().get(0);
  }

  /** {q, k}: [n, dim] each, from the layer's packed input projection of x [n, dim]. */
  static double[][] queriesAndKeys(MultiHeadAttention mha, Tensor x, int n) {
    int dim = x.dim(1);
    double[] qkv = linear(toDouble(x.data()), n, dim, p(mha, "in_proj_weight"), p(mha, "in_proj_bias"));
    double[] q = new double[n * dim];
    double[] k = new double[n * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(qkv, i * 3 * dim, q, i * dim, dim);
      System.arraycopy(qkv, i * 3 * dim + dim, k, i * dim, dim);
    }
    return new double[][] {q, k};
  }
}
