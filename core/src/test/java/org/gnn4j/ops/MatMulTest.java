package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MatMulTest {
  private static float[] naive(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb) {
    float[] c = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        }
        c[i * n + j] = (float) s;
      }
    }
    return c;
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4}")
  @CsvSource({"1,1,1,false,false", "3,7,5,false,false", "3,7,5,true,false", "3,7,5,false,true",
      "3,7,5,true,true", "17,33,9,false,false", "64,31,100,true,true", "2,257,8,false,true"})
  void matchesNaiveProductOnBothKernelSets(int m, int n, int k, boolean ta, boolean tb) {
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        SplittableRandom r = new SplittableRandom(m * 31 + n);
        Tensor a = ta ? ctx.randn(r, k, m) : ctx.randn(r, m, k);
        Tensor b = tb ? ctx.randn(r, n, k) : ctx.randn(r, k, n);
        Tensor c = MatMul.matmul(a, b, ta, tb);
        assertEquals(m, c.dim(0));
        assertEquals(n, c.dim(1));
        OpAssert.assertClose(kernels.name() + " matmul", naive(a.data(), b.data(), m, n, k, ta, tb),
            c.data(), 1e-5 * k, 1e-4);
      }
    }
  }

  @ParameterizedTest(name = "ta={0} tb={1}")
  @CsvSource({"false,false", "true,false", "false,true", "true,true"})
  void gradientMatchesFiniteDifferences(boolean ta, boolean tb) {
    try (Context ctx = Context.builder().threads(2).build()) {
      SplittableRandom r = new SplittableRandom(7);
      Tensor a = (ta ? ctx.randn(r, 4, 3) : ctx.randn(r, 3, 4)).requiresGrad(true);
      Tensor b = (tb ? ctx.randn(r, 5, 4) : ctx.randn(r, 4, 5)).requiresGrad(true);
      GradCheck.defaults().check("matmul ta=" + ta + " tb=" + tb, 7,
          in -> MatMul.matmul(in[0], in[1], ta, tb), a, b);
    }
  }

  @Test
  void batchedAndRowBatchedGradients() {
    try (Context ctx = Context.builder().threads(2).build()) {
      SplittableRandom r = new SplittableRandom(9);
      Tensor a = ctx.randn(r, 2, 3, 4).requiresGrad(true);
      Tensor b = ctx.randn(r, 2, 4, 5).requiresGrad(true);
      GradCheck.defaults().check("bmm", 9, in -> MatMul.matmul(in[0], in[1]), a, b);
      Tensor w = ctx.randn(r, 4, 6).requiresGrad(true);
      GradCheck.defaults().check("rows x shared", 9, in -> MatMul.matmul(in[0], in[1], false, false), a, w);
      GradCheck.defaults().check("bmm tb", 9,
          in -> MatMul.matmul(in[0], in[1], false, true), a, ctx.randn(r, 2, 6, 4).requiresGrad(true));
    }
  }

  @Test
  void linearEqualsProductPlusBiasAndHasItsGradients() {
    for (var kernels : org.gnn4j.testing.Contexts.kernelSets()) {
      try (Context ctx = Context.builder().kernels(kernels).threads(2).build()) {
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = ctx.randn(r, 2, 7, 5).requiresGrad(true);   // rows in a leading batch dim
        Tensor w = ctx.randn(r, 3, 5).requiresGrad(true);
        Tensor b = ctx.randn(r, 3).requiresGrad(true);
        Tensor fused = MatMul.linear(x, w, b);
        Tensor plain = Elementwise.add(MatMul.matmul(x, w, false, true), b);
        assertEquals(plain.shape(), fused.shape());
        OpAssert.assertClose(kernels.name() + " linear", plain.data(), fused.data(), 1e-6, 1e-6);
        GradCheck.defaults().check(kernels.name() + " linear", 11,
            in -> MatMul.linear(in[0], in[1], in[2]), x, w, b);
      }
    }
  }

  @Test
  void linearOnNoRowsGivesAZeroBiasGradient() {
    try (Context ctx = Context.create()) {
      Tensor b = ctx.tensor(new float[] {1, 2}, 2).requiresGrad(true);
      Tensor w = ctx.zeros(2, 3).requiresGrad(true);
      Tensor y = MatMul.linear(ctx.zeros(0, 3), w, b);
      assertEquals(0, y.numel());
      y.sum().backward();
      org.junit.jupiter.api.Assertions.assertArrayEquals(new float[2], b.gradArray());
    }
  }

  @Test
  void linearRejectsABiasOfTheWrongWidth() {
    try (Context ctx = Context.create()) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> MatMul.linear(ctx.zeros(3, 4), ctx.zeros(5, 4), ctx.zeros(4)));
      assertTrue(e.getMessage().contains("bias must be [5]"), e.getMessage());
    }
  }

  @Test
  void rejectsMismatchedInnerDimensionNamingShapes() {
    try (Context ctx = Context.create()) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> MatMul.matmul(ctx.zeros(3, 4), ctx.zeros(5, 6)));
      assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 6]"),
          e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.ones(2, 2).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        Tensor c = MatMul.matmul(a, a);
        assertTrue(c.isLeaf() && !c.requiresGrad());
      }
      assertTrue(MatMul.matmul(a, a).requiresGrad());
    }
  }
}
