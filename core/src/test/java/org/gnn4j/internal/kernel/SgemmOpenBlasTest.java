package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optional OpenBLAS SGEMM against the scalar reference, where the OpenBLAS preset is on the
 * test class path (skipped, with the reason, where it is not): transposes, row splits over
 * threads, offsets and wide leading dimensions, alpha/beta, NaN in C with beta = 0.
 */
class SgemmOpenBlasTest {
  private static SgemmOpenBlas blas;

  @BeforeAll
  static void load() {
    try {
      blas = SgemmOpenBlas.load(Kernels.scalar().dense());
    } catch (UnsupportedOperationException e) {
      Assumptions.abort(e.getMessage());
    }
  }

  private static float[] run(DenseKernels dense, int m, int n, int k, boolean ta, boolean tb,
                             float alpha, float beta, int threads, long seed, boolean nanInC) {
    SplittableRandom r = new SplittableRandom(seed);
    int off = 3, pad = 2;
    int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
    float[] a = new float[off + (ta ? k : m) * lda];
    float[] b = new float[off + (tb ? n : k) * ldb];
    float[] c = new float[off + m * ldc];
    for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
    for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() * 2 - 1);
    for (int i = 0; i < c.length; i++) c[i] = nanInC ? Float.NaN : (float) (r.nextDouble() * 2 - 1);
    try (Parallel par = new Parallel(threads)) {
      dense.sgemm(c, off, ldc, beta, a, off, lda, ta, b, off, ldb, tb, alpha, m, n, k, par);
    }
    // the padding columns and the offset prefix are not part of C: blank them for comparison
    for (int i = 0; i < c.length; i++) {
      if (i < off || (i - off) % ldc >= n) c[i] = 0f;
    }
    return c;
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4}")
  @CsvSource({"130,70,90,false,false", "130,70,90,true,false", "130,70,90,false,true",
      "130,70,90,true,true", "257,33,100,false,false", "64,64,64,true,true"})
  void matchesScalarReference(int m, int n, int k, boolean ta, boolean tb) {
    long seed = 31L * m + n + (ta ? 7 : 0) + (tb ? 13 : 0);
    for (int threads = 1; threads <= 2; threads++) {
      float[] expected = run(Kernels.scalar().dense(), m, n, k, ta, tb, -0.75f, 0.5f, threads,
          seed, false);
      float[] actual = run(blas, m, n, k, ta, tb, -0.75f, 0.5f, threads, seed, false);
      OpAssert.assertClose("openblas m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb
          + " threads=" + threads + " seed=" + seed, expected, actual, 2e-6 * k, 1e-4);
    }
  }

  /**
   * A weight gradient's shape (few rows of C, a long reduction): it splits over two threads by
   * rows, and each row is the one-thread result bit for bit, so training is unchanged by the split.
   */
  @Test
  void aWeightGradientSplitOverTwoThreadsKeepsTheOneThreadBits() {
    float[] one = run(blas, 96, 96, 3000, true, false, 1f, 0f, 1, 11, false);
    float[] two = run(blas, 96, 96, 3000, true, false, 1f, 0f, 2, 11, false);
    assertArrayEquals(one, two, 0f, "openblas m=96 n=96 k=3000 ta=true seed=11");
  }

  @Test
  void betaZeroOverwritesNaN() {
    float[] c = run(blas, 100, 80, 70, false, true, 1f, 0f, 2, 5, true);
    for (float v : c) assertTrue(Float.isFinite(v), "seed=5: NaN survived beta = 0");
  }

  @Test
  void smallProductsGoToTheFallback() {
    float[] expected = run(Kernels.scalar().dense(), 5, 7, 3, false, false, 1f, 0f, 2, 9, false);
    assertArrayEquals(expected, run(blas, 5, 7, 3, false, false, 1f, 0f, 2, 9, false),
        "seed=9: below MIN_WORK the fallback must run");
  }

  @Test
  void reportsItsVersion() {
    assertTrue(blas.version().contains("OpenBLAS"), blas.version());
    assertEquals(16L * 16 * 16, SgemmOpenBlas.MIN_WORK);
  }
}
