package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class SparseFeaturesTest {
  /** [r, k] with about a fifth of the entries non-zero, one row all zero. */
  private static Tensor sparseMatrix(Context ctx, int r, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[r * k];
    for (int i = 1; i < r; i++) {
      for (int j = 0; j < k; j++) if (rnd.nextInt(5) == 0) x[i * k + j] = (float) rnd.nextGaussian();
    }
    return ctx.tensor(x, r, k);
  }

  @Test
  void timesTransposedEqualsTheDenseProductWithItsGradient() {
    for (Kernels kernels : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).seed(1).kernels(kernels).build()) {
        Tensor x = sparseMatrix(ctx, 9, 17, 3);
        SparseFeatures s = SparseFeatures.ofDense(x);
        int nnz = 0;
        for (float v : x.data()) if (v != 0) nnz++;
        assertEquals(nnz, s.nnz());
        Tensor w = ctx.randn(new SplittableRandom(5), 7, 17).requiresGrad(true);
        OpAssert.assertClose("sparse x w^T", MatMul.matmul(x, w, false, true).data(),
            s.timesTransposed(w).data(), 1e-5, 1e-5);
        GradCheck.defaults().check("sparse x w^T", 1, in -> s.timesTransposed(in[0]), w);
      }
    }
  }

  @Test
  void gcnConvOnSparseFeaturesEqualsItsDenseForward() {
    try (Context ctx = Context.builder().threads(2).seed(1).build()) {
      Tensor x = sparseMatrix(ctx, 6, 11, 8);
      Graph g = Graph.of(EdgeIndex.of(new int[] {0, 1, 1, 2, 3, 5}, new int[] {1, 0, 2, 1, 4, 3}, 6));
      GcnConv conv = new GcnConv(ctx, 11, 4, new SplittableRandom(2));
      Tensor dense = conv.forward(x, g, null);
      Tensor sparse = conv.forwardSparse(SparseFeatures.ofDense(x), g, null);
      OpAssert.assertClose("gcn sparse vs dense", dense.data(), sparse.data(), 1e-5, 1e-5);
      float[] r = new float[dense.numel()];
      for (int i = 0; i < r.length; i++) r[i] = (i % 5) - 2f;
      float[][] grads = new float[2][];
      for (int pass = 0; pass < 2; pass++) {
        conv.parameters().forEach(Tensor::zeroGrad);
        Tensor out = pass == 0 ? conv.forward(x, g, null) : conv.forwardSparse(SparseFeatures.ofDense(x), g, null);
        org.gnn4j.autograd.Autograd.backward(out, r);
        grads[pass] = conv.namedParameters().get("lin.weight").gradArray().clone();
      }
      OpAssert.assertClose("gcn weight gradient sparse vs dense", grads[0], grads[1], 1e-5, 1e-5);
    }
  }

  /** Dense dropout then the non-zeros = the non-zeros then sparse dropout, bit for bit. */
  @Test
  void dropoutEqualsDenseDropoutAtTheNonZeros() {
    for (int[] rk : new int[][] {{9, 17}, {300, 257}}) {               // one block, then three
      try (Context ctx = Context.builder().threads(2).seed(4).build()) {
        Tensor x = sparseMatrix(ctx, rk[0], rk[1], 8);
        SparseFeatures s = SparseFeatures.ofDense(x);
        Tensor dense;
        SparseFeatures dropped;
        double nextDense;
        try (var r = ctx.withRandom(new SplittableRandom(21))) {
          dense = Dropout.apply(x, 0.5f, true);
          nextDense = ctx.random().nextDouble();
        }
        try (var r = ctx.withRandom(new SplittableRandom(21))) {
          dropped = s.dropout(0.5f, true);
          assertEquals(nextDense, ctx.random().nextDouble(), "the stream must advance as dense dropout's");
        }
        SparseFeatures expected = SparseFeatures.ofDense(dense);
        Tensor w = ctx.randn(new SplittableRandom(5), 3, rk[1]);
        // dropped zeros are stored in one and not the other: compare the products
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.timesTransposed(w).data(),
            dropped.timesTransposed(w).data(), rk[0] + "x" + rk[1]);
        assertEquals(s, s.dropout(0.5f, false));
        assertEquals(s, s.dropout(0f, true));
      }
    }
  }

  @Test
  void ofDenseIfSparseKeepsOnlyInputsAtOrBelowTheDensity() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Tensor x = ctx.tensor(new float[] {0, 1, 0, 0, 2, 0, 0, 0}, 2, 4);      // 2 of 8 non-zero
      assertEquals(2, SparseFeatures.ofDenseIfSparse(x, 0.25).nnz());
      assertEquals(null, SparseFeatures.ofDenseIfSparse(x, 0.2));
    }
  }
}
