package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API SGEMM against the scalar reference: every transpose combination, tail sizes
 * around the vector width and the micro-tile (12 x 32 with AVX-512, 6 x 16 with AVX2), sizes
 * that cross the row and k cache blocks, offsets and leading dimensions larger than the rows,
 * alpha and beta, one and two threads. The padding around each matrix holds sentinels that must
 * survive, and beta = 0 must overwrite NaN.
 */
class SgemmParityTest {
  private static final float SENTINEL = -12345.5f;

  /** One GEMM problem embedded in larger arrays: offsets and row strides wider than rows. */
  private record Problem(int m, int n, int k, boolean ta, boolean tb, int off, int pad,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
    static Problem random(int m, int n, int k, boolean ta, boolean tb, int off, int pad, long seed,
                          boolean nanInC) {
      SplittableRandom r = new SplittableRandom(seed);
      int aRows = ta ? k : m, aCols = ta ? m : k;
      int bRows = tb ? n : k, bCols = tb ? k : n;
      int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
      float[] a = filled(r, off + aRows * lda, off, aRows, aCols, lda);
      float[] b = filled(r, off + bRows * ldb, off, bRows, bCols, ldb);
      float[] c = filled(r, off + m * ldc, off, m, n, ldc);
      if (nanInC) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) c[off + i * ldc + j] = Float.NaN;
        }
      }
      return new Problem(m, n, k, ta, tb, off, pad, a, lda, b, ldb, c, ldc);
    }

    /** Sentinels everywhere, then N(0, 1) values inside the [rows, cols] window. */
    private static float[] filled(SplittableRandom r, int len, int off, int rows, int cols, int ld) {
      float[] x = new float[len];
      java.util.Arrays.fill(x, SENTINEL);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) x[off + i * ld + j] = (float) gaussian(r);
      }
      return x;
    }

    float[] run(DenseKernels dense, float alpha, float beta, int threads) {
      float[] out = c.clone();
      try (Parallel par = new Parallel(threads)) {
        dense.sgemm(out, off, ldc, beta, a, off, lda, ta, b, off, ldb, tb, alpha, m, n, k, par);
      }
      return out;
    }

    String describe(float alpha, float beta, int threads) {
      return "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " off=" + off
          + " pad=" + pad + " alpha=" + alpha + " beta=" + beta + " threads=" + threads;
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble(), v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static DenseKernels vector() {
    return Kernels.vector().dense();
  }

  private static DenseKernels scalar() {
    return Kernels.scalar().dense();
  }

  private static void assertParity(Problem p, float alpha, float beta, int threads, long seed) {
    String what = p.describe(alpha, beta, threads) + " seed=" + seed;
    float[] expected = p.run(scalar(), alpha, beta, threads);
    float[] actual = p.run(vector(), alpha, beta, threads);
    // Both sum k products in float; their orders differ, so the error grows with k.
    double atol = 2e-6 * p.k() * Math.max(1, Math.abs(alpha)) + 1e-6;
    OpAssert.assertClose(what, expected, actual, atol, 1e-4);
    for (int i = 0; i < actual.length; i++) {
      boolean inside = i >= p.off() && (i - p.off()) % p.ldc() < p.n();
      if (!inside) assertEquals(SENTINEL, actual[i], what + ": wrote outside C at " + i);
      else assertTrue(Float.isFinite(actual[i]), what + ": non-finite C at " + i);
    }
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @CsvSource({"1,1,1", "3,7,8", "8,9,15", "16,17,31", "17,33,9", "33,31,64", "64,100,257",
      "100,257,33", "257,64,100", "15,16,17", "9,257,3", "31,1,100", "1,100,64", "100,3,1"})
  void vectorMatchesScalarOnTailSizesForAllTransposes(int m, int n, int k) {
    long seed = 1000L * m + 31L * n + k;
    for (int combo = 0; combo < 4; combo++) {
      boolean ta = (combo & 1) != 0, tb = (combo & 2) != 0;
      Problem p = Problem.random(m, n, k, ta, tb, 0, 0, seed + combo, false);
      assertParity(p, 1f, 0f, 2, seed + combo);
    }
  }

  @ParameterizedTest(name = "ta={0} tb={1} alpha={2} beta={3} threads={4}")
  @CsvSource({"false,false,1,1,1", "true,false,-1.5,0.5,2", "false,true,0.25,1,2",
      "true,true,1,0,1", "false,false,2,-1,2", "true,true,-0.5,1,2"})
  void vectorMatchesScalarWithOffsetsStridesAlphaBeta(boolean ta, boolean tb, float alpha,
                                                      float beta, int threads) {
    int[][] sizes = {{7, 33, 17}, {64, 64, 64}, {31, 100, 9}, {257, 17, 33}};
    for (int[] s : sizes) {
      long seed = 77L * s[0] + s[1] + (ta ? 5 : 0) + (tb ? 11 : 0);
      Problem p = Problem.random(s[0], s[1], s[2], ta, tb, 5, 3, seed, false);
      assertParity(p, alpha, beta, threads, seed);
    }
  }

  @ParameterizedTest(name = "ta={0} tb={1}")
  @CsvSource({"false,false", "true,false", "false,true", "true,true"})
  void vectorMatchesScalarAcrossCacheBlocks(boolean ta, boolean tb) {
    // m crosses the per-thread row block, k the k-block (256), n several column strips
    long seed = 4242L + (ta ? 1 : 0) + (tb ? 2 : 0);
    Problem p = Problem.random(211, 97, 600, ta, tb, 1, 2, seed, false);
    assertParity(p, 0.75f, 0.5f, 2, seed);
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @CsvSource({"1,1,1", "17,33,16", "100,64,257"})
  void betaZeroOverwritesNaNInC(int m, int n, int k) {
    long seed = 7L * m + n;
    for (int threads = 1; threads <= 2; threads++) {
      Problem p = Problem.random(m, n, k, false, true, 2, 1, seed, true);
      assertParity(p, 1.5f, 0f, threads, seed);
    }
  }

  @Test
  void resultIsBitIdenticalAcrossRunsAndThreadCounts() {
    Problem p = Problem.random(150, 70, 300, false, false, 0, 0, 99, false);
    float[] first = p.run(vector(), 1f, 0f, 2);
    assertArrayEquals(first, p.run(vector(), 1f, 0f, 2), "seed=99: second run differs");
    assertArrayEquals(first, p.run(vector(), 1f, 0f, 1), "seed=99: 1 thread differs from 2");
  }

  @Test
  void fewRowsGiveTheSameBitsBeforeAndAfterTheJitCompilesTheKernel() {
    // a linear layer on one molecule: few rows, PyTorch's [out, in] weight (B transposed)
    Problem p = Problem.random(23, 96, 96, false, true, 0, 0, 11, false);
    float[] first = p.run(vector(), 1f, 0f, 1);
    for (int i = 0; i < 3000; i++) p.run(vector(), 1f, 0f, 1);
    assertArrayEquals(first, p.run(vector(), 1f, 0f, 1), "seed=11: bits changed once compiled");
  }

  @Test
  void zeroInnerDimensionScalesC() {
    Problem p = Problem.random(20, 40, 0, false, false, 0, 0, 5, false);
    float[] expected = p.run(scalar(), 1f, 0.5f, 2);
    OpAssert.assertClose("k=0 seed=5", expected, p.run(vector(), 1f, 0.5f, 2), 0, 0);
  }
}
