package org.gnn4j.internal.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.GatKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.junit.jupiter.api.Test;

/** Which rows the vector GAT kernels take, and their per-head sums against a plain loop. */
class GatRowsTest {
  private static final int L = GatRows.L;

  @Test
  void vectorKernelSetUsesTheVectorGatKernelsAndScalarSetTheReference() {
    assertSame(VectorGatKernels.INSTANCE, Kernels.vector().gat());
    assertSame(GatKernels.scalar(), Kernels.scalar().gat());
  }

  @Test
  void fitsOnlyRowsOfWholeVectorsWithChannelsDividingOrMultiplesOfTheVector() {
    assertTrue(GatRows.fits(8, 8), "H = C = 8");
    assertTrue(GatRows.fits(1, 2 * L), "C = 2L");
    assertTrue(GatRows.fits(L, 1), "C = 1");
    assertFalse(GatRows.fits(1, 3), "HC = 3");
    assertFalse(GatRows.fits(3, 17), "C = 17");
    assertFalse(GatRows.fits(2 * L, 3), "C = 3 does not divide L");
  }

  @Test
  void headSumsEqualAPlainLoopForEveryChannelWidthThatFits() {
    SplittableRandom r = new SplittableRandom(3);
    for (int c = 1; c <= 4 * L; c *= 2) {
      int heads = Math.max(1, 2 * L / c);
      if (!GatRows.fits(heads, c)) continue;
      float[] row = new float[heads * c];
      for (int k = 0; k < row.length; k++) row[k] = (float) r.nextGaussian();
      float[] got = new float[heads + L];
      GatRows.headSums(got, 0, row, heads * c, c);
      for (int h = 0; h < heads; h++) {
        float want = 0f;
        for (int k = 0; k < c; k++) want += row[h * c + k];
        assertEquals(want, got[h], 1e-5f * c, "C=" + c + " head " + h);
      }
    }
  }
}
