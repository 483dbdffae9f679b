package org.gnn4j.internal.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SgemmNarrow against the scalar reference, called directly and through the vector kernel set:
 * widths that leave every number of the tile's four vectors partly or wholly masked (1, 16, 17,
 * 33, 48, 50, 63, 64), row counts off the
 * four-row tile, offsets and leading dimensions wider than the rows (sentinels there must
 * survive), alpha and beta, NaN in C with beta = 0, and the reduce's bits for one and two
 * threads.
 */
class SgemmNarrowTest {
  private static final float SENTINEL = -12345.5f;

  private static float[] filled(SplittableRandom r, int len, int off, int rows, int cols, int ld,
                                boolean nan) {
    float[] x = new float[len];
    Arrays.fill(x, SENTINEL);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[off + i * ld + j] = nan ? Float.NaN : (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  /** C = alpha op(A) op(B) + beta C by the vector set (or SgemmNarrow directly) against the scalar reference. */
  private static float[] check(int m, int n, int k, boolean ta, boolean tb, float alpha,
                               float beta, int threads, boolean direct) {
    SplittableRandom r = new SplittableRandom(31L * m + 7L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
    int off = 3, pad = 5;
    int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
    int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
    float[] a = filled(r, off + aRows * lda, off, aRows, aCols, lda, false);
    float[] b = filled(r, off + bRows * ldb, off, bRows, bCols, ldb, false);
    float[] c0 = filled(r, off + m * ldc, off, m, n, ldc, beta == 0f);
    float[] expected = c0.clone();
    float[] actual = c0.clone();
    try (Parallel par = new Parallel(threads)) {
      Kernels.scalar().dense().sgemm(expected, off, ldc, beta, a, off, lda, ta, b, off, ldb, tb,
          alpha, m, n, k, par);
      if (!direct) {
        Kernels.vector().dense().sgemm(actual, off, ldc, beta, a, off, lda, ta, b, off, ldb, tb,
            alpha, m, n, k, par);
      } else if (ta) {
        SgemmNarrow.reduce(actual, off, ldc, beta, a, off, lda, b, off, ldb, alpha, m, n, k, par);
      } else {
        SgemmNarrow.tall(actual, off, ldc, beta, a, off, lda, b, off, ldb, tb, alpha, m, n, k,
            par);
      }
    }
    String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " alpha="
        + alpha + " beta=" + beta + " threads=" + threads + " direct=" + direct;
    OpAssert.assertClose(what, expected, actual, 2e-6 * k * Math.max(1, Math.abs(alpha)) + 1e-6,
        1e-4);
    for (int i = 0; i < actual.length; i++) {
      boolean inside = i >= off && (i - off) % ldc < n;
      if (!inside) assertEquals(SENTINEL, actual[i], what + ": wrote outside C at " + i);
      else assertTrue(Float.isFinite(actual[i]), what + ": non-finite C at " + i);
    }
    return actual;
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} tb={3}")
  @CsvSource({"128,64,64,true", "131,64,64,false", "1027,64,1,true", "130,16,128,false",
      "133,17,100,false", "129,48,16,true", "135,63,33,false", "128,1,7,true", "200,33,9,true"})
  void tallMatchesTheScalarReference(int m, int n, int k, boolean tb) {
    assumeTrue(SgemmNarrow.S.length() == 16, "the kernel needs 16-lane vectors");
    check(m, n, k, false, tb, 1f, 0f, 2, true);
    check(m, n, k, false, tb, -0.5f, 1f, 1, true);
    check(m, n, k, false, tb, 2f, 0.25f, 2, false);
    check(m, n, k, false, tb, 1f, -0f, 1, true);            // -0 is zero too: NaN in C ignored
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @CsvSource({"64,64,10000", "1,64,256", "66,64,1023", "128,16,512", "127,17,300",
      "7,1,5000", "5,50,700", "128,64,256"})
  void reduceMatchesTheScalarReferenceAndIgnoresTheThreadCount(int m, int n, int k) {
    assumeTrue(SgemmNarrow.S.length() == 16, "the kernel needs 16-lane vectors");
    float[] two = check(m, n, k, true, false, 1f, 0f, 2, true);
    float[] one = check(m, n, k, true, false, 1f, 0f, 1, true);
    assertArrayEquals(two, one, "the reduce's bits changed with the thread count");
    check(m, n, k, true, false, 0.5f, -1f, 2, true);
    check(m, n, k, true, false, 1f, 1f, 2, false);
  }

  @Test
  void aLayersProductsComeHere() {
    assumeTrue(SgemmNarrow.S.length() == 16, "the kernel needs 16-lane vectors");
    assertTrue(SgemmNarrow.tallApplies(10_000, 64, 64, false), "x W^T, dY W");
    assertTrue(SgemmNarrow.tallApplies(128, 16, 128, false), "narrower and shorter");
    assertTrue(SgemmNarrow.reduceApplies(64, 64, 10_000, true, false), "dY^T x");
    assertTrue(SgemmNarrow.reduceApplies(128, 1, 256, true, false), "one column");
  }

  @Test
  void otherShapesAreLeftToTheOtherKernels() {
    assertFalse(SgemmNarrow.tallApplies(64, 64, 64, false), "few rows");
    assertFalse(SgemmNarrow.tallApplies(1000, 64, 64, true), "A transposed");
    assertFalse(SgemmNarrow.tallApplies(1000, 1024, 1024, false), "op(B) too large");
    assertFalse(SgemmNarrow.tallApplies(1000, 65, 64, false), "wider than a tile");
    assertFalse(SgemmNarrow.tallApplies(2048, 266, 64, false), "Performer feature map");
    assertFalse(SgemmNarrow.tallApplies(2048, 64, 266, false), "Performer input gradient");
    assertFalse(SgemmNarrow.reduceApplies(266, 64, 512, true, false), "Performer key sums");
    assertFalse(SgemmNarrow.reduceApplies(64, 65, 10000, true, false), "too many columns");
    assertFalse(SgemmNarrow.reduceApplies(64, 64, 100, true, false), "short inner dimension");
    assertFalse(SgemmNarrow.reduceApplies(64, 64, 10000, true, true), "B transposed");
    assertFalse(SgemmNarrow.reduceApplies(1000, 64, 10000, true, false), "too many rows");
  }

  @Test
  void theVectorKernelSetSendsALayersProductsHere() {
    assumeTrue(SgemmNarrow.S.length() == 16, "the kernel needs 16-lane vectors");
    // forward x W^T of a 64-wide layer on 1,000 nodes: same bits as the kernel called directly
    float[] viaSet = check(1000, 64, 64, false, true, 1f, 1f, 2, false);
    float[] direct = check(1000, 64, 64, false, true, 1f, 1f, 2, true);
    assertArrayEquals(direct, viaSet);
  }
}
