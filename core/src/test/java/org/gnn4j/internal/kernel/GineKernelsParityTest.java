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
 * The Vector API GINE message loops against the scalar reference, forward and edge gradient
 * and the loops with the edge projection fused, bit for bit: on the tail feature sizes, every graph edge case, values on a grid that makes
 * many pre-activations exactly zero (the ReLU's edge), and one and two threads.
 */
class GineKernelsParityTest {
  private static final int[] TAILS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 96, 100, 257};
  private static final long SEED = 20261207L;
  private static final GineKernels SCALAR = GineKernels.scalar();
  private static final GineKernels VECTOR = Kernels.vector().gine();
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

  /** Values on a grid of 9 levels around zero, with a random fraction part on some. */
  private static float[] values(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextInt(9) - 4) * 0.25f + (r.nextBoolean() ? 0f : (float) r.nextDouble(-0.1, 0.1));
    }
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
        int nd = e.numDstNodes();
        int ns = e.numSrcNodes();
        int ne = e.numEdges();
        float[] x = values(r, ns * f);
        float[] ea = values(r, ne * f);
        float[] dOut = values(r, nd * f);
        float[] out = new float[nd * f];
        SCALAR.forward(out, x, ea, byDst.rowPtr(), byDst.edge(), e.src(), nd, f, one);
        float[] de = new float[ne * f];
        SCALAR.edgeGrad(de, dOut, x, ea, e.src(), e.dst(), ne, f, one);
        for (Parallel par : new Parallel[] {one, two}) {
          float[] gotOut = new float[nd * f];
          VECTOR.forward(gotOut, x, ea, byDst.rowPtr(), byDst.edge(), e.src(), nd, f, par);
          assertArrayEquals(out, gotOut, 0f, what + " out");
          float[] gotDe = new float[ne * f];
          java.util.Arrays.fill(gotDe, Float.NaN);         // the kernel must overwrite all of it
          VECTOR.edgeGrad(gotDe, dOut, x, ea, e.src(), e.dst(), ne, f, par);
          assertArrayEquals(de, gotDe, 0f, what + " dE");
        }
      }
    }
  }

  @Test
  void projectedLoopsMatchScalarBitForBit() {
    int[] dims = {1, 3, 16, 17};
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
      for (int f : TAILS) {
        if (c.name().startsWith("hub") && f > 64) continue;
        for (int d : dims) {
          for (boolean bias : new boolean[] {false, true}) {
            String what = c.name() + " f=" + f + " d=" + d + " bias=" + bias + " seed=" + SEED;
            EdgeIndex e = c.edges();
            SplittableRandom r = new SplittableRandom(SEED * 37 + f * 101L + d);
            int nd = e.numDstNodes();
            int ns = e.numSrcNodes();
            int ne = e.numEdges();
            float[] x = values(r, ns * f);
            float[] attr = values(r, ne * d);
            float[] wT = values(r, d * f);
            float[] b = bias ? values(r, f) : null;
            float[] dOut = values(r, nd * f);
            for (Parallel par : new Parallel[] {one, two}) {
              float[][] want = projected(SCALAR, e, x, attr, wT, b, dOut, nd, ns, ne, f, d, par);
              float[][] got = projected(VECTOR, e, x, attr, wT, b, dOut, nd, ns, ne, f, d, par);
              String[] names = {"out", "dx", "dAttr", "dWT", "db"};
              for (int t = 0; t < names.length; t++) {
                if (want[t] == null) continue;
                assertArrayEquals(want[t], got[t], 0f, what + " threads=" + par.threads() + " "
                    + names[t]);
              }
            }
          }
        }
      }
    }
  }

  /** out, dx, dAttr, dWT, db (db null without a bias) of one kernel set's projected loops. */
  private static float[][] projected(GineKernels k, EdgeIndex e, float[] x, float[] attr,
                                     float[] wT, float[] b, float[] dOut, int nd, int ns, int ne,
                                     int f, int d, Parallel par) {
    Csr byDst = e.csrByDst();
    Csr bySrc = e.csrBySrc();
    float[] out = new float[nd * f];
    k.forwardProjected(out, x, attr, wT, b, byDst.rowPtr(), byDst.edge(), e.src(), nd, f, d, par);
    float[] dx = new float[ns * f];
    float[] dAttr = new float[ne * d];
    float[] dWT = new float[d * f];
    float[] db = b == null ? null : new float[f];
    k.backwardProjected(dx, dAttr, dWT, db, dOut, x, attr, wT, b, bySrc.rowPtr(), bySrc.edge(),
        e.dst(), ns, f, d, par);
    return new float[][] {out, dx, dAttr, dWT, db};
  }
}
