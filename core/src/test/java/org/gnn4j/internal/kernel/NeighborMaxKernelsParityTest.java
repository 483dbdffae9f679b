package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API max aggregation against the scalar reference, forward (maxima and tie counts)
 * and backward, bit for bit: on the tail feature sizes, every graph edge case, values drawn from
 * a few levels so that distinct sources tie, and one and two threads.
 */
class NeighborMaxKernelsParityTest {
  private static final int[] TAILS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
  private static final long SEED = 20260101L;
  private static final NeighborMaxKernels SCALAR = NeighborMaxKernels.scalar();
  private static final NeighborMaxKernels VECTOR = Kernels.vector().neighborMax();
  private static Parallel one;
  private static Parallel two;

  @BeforeAll
  static void pools() {
    one = new Parallel(1);
    two = new Parallel(2);
  }

  @AfterAll
  static void closePools() {
    one.close();
    two.close();
  }

  /** Values on a grid of 7 levels (negative ones included), so ties are common. */
  private static float[] levels(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (r.nextInt(7) - 4) * 0.5f;
    return v;
  }

  @Test
  void vectorMatchesScalarBitForBit() {
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
      for (int f : TAILS) {
        if (c.name().startsWith("hub") && f > 64) continue;
        String what = c.name() + " f=" + f + " seed=" + SEED;
        EdgeIndex e = c.edges();
        SplittableRandom r = new SplittableRandom(SEED * 31 + f);
        Csr byDst = e.csrByDst();
        Csr bySrc = e.csrBySrc();
        int nd = e.numDstNodes();
        int ns = e.numSrcNodes();
        float[] x = levels(r, ns * f);
        float[] dOut = levels(r, nd * f);
        float[] out = new float[nd * f];
        float[] inv = new float[nd * f];
        SCALAR.forward(out, inv, byDst.rowPtr(), byDst.col(), x, nd, f, one);
        float[] dx = new float[ns * f];
        SCALAR.backward(dx, bySrc.rowPtr(), bySrc.col(), x, out, inv, dOut, ns, f, one);
        for (Parallel par : new Parallel[] {one, two}) {
          float[] gotOut = new float[nd * f];
          float[] gotInv = new float[nd * f];
          VECTOR.forward(gotOut, gotInv, byDst.rowPtr(), byDst.col(), x, nd, f, par);
          assertArrayEquals(out, gotOut, 0f, what + " out");
          assertArrayEquals(inv, gotInv, 0f, what + " invCount");
          float[] gotDx = new float[ns * f];
          java.util.Arrays.fill(gotDx, Float.NaN);         // the kernel must overwrite all of it
          VECTOR.backward(gotDx, bySrc.rowPtr(), bySrc.col(), x, out, inv, dOut, ns, f, par);
          assertArrayEquals(dx, gotDx, 0f, what + " dx");
        }
      }
    }
  }
}
