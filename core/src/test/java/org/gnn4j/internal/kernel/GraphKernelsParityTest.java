package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API graph kernels against the scalar reference: every kernel on the tail feature
 * sizes (around and between vector widths) and on every graph edge case, with one and two
 * threads; and determinism: the same inputs give the same bits run to run and for 1 vs 2
 * threads, because each output row is reduced by one thread in CSR order.
 */
class GraphKernelsParityTest {
  private static final int[] TAILS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
  private static final long SEED = 20261124L;
  private static final GraphKernels SCALAR = Kernels.scalar().graph();
  private static final GraphKernels VECTOR = Kernels.vector().graph();
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

  private static float[] randn(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
    return v;
  }

  private static int maxRowLength(Csr csr) {
    int m = 0;
    for (int r = 0; r < csr.rows(); r++) m = Math.max(m, csr.rowPtr()[r + 1] - csr.rowPtr()[r]);
    return m;
  }

  /** Runs {@code body} for each edge case and each tail width, smaller widths on the hub. */
  private interface CaseBody {
    void run(String what, EdgeIndex e, int f, SplittableRandom r);
  }

  private static void forEachCase(CaseBody body) {
    for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
      for (int f : TAILS) {
        if (c.name().startsWith("hub") && f > 64) continue;     // keep the suite fast
        SplittableRandom r = new SplittableRandom(SEED * 31 + f);
        body.run(c.name() + " f=" + f + " seed=" + SEED, c.edges(), f, r);
      }
    }
  }

  @Test
  void spmmVectorMatchesScalarUnweightedAndPerEdge() {
    forEachCase((what, e, f, r) -> {
      Csr csr = e.csrByDst();
      float[] x = randn(r, e.numSrcNodes() * f);
      float[] w = randn(r, e.numEdges());
      int rows = e.numDstNodes();
      double atol = 1e-6 * (maxRowLength(csr) + 1);
      for (float[] weights : new float[][] {null, w}) {
        float[] expected = new float[rows * f];
        SCALAR.spmmCsr(expected, csr.rowPtr(), csr.col(), csr.edge(), weights, 1, x, rows, f, one);
        for (Parallel par : new Parallel[] {one, two}) {
          float[] got = new float[rows * f];
          VECTOR.spmmCsr(got, csr.rowPtr(), csr.col(), csr.edge(), weights, 1, x, rows, f, par);
          OpAssert.assertClose("spmm " + (weights == null ? "sum " : "w[E] ") + what + " threads="
              + par.threads(), expected, got, atol, 1e-5);
        }
      }
    });
  }

  @Test
  void spmmVectorMatchesScalarPerHead() {
    forEachCase((what, e, c, r) -> {
      // 2, 3: heads wider or narrower than a vector; 8: GAT's layout; 20: more heads than lanes
      for (int heads : new int[] {2, 3, 8, 20}) {
        if (heads >= 8 && c > 17) continue;
        int f = heads * c;
        Csr csr = e.csrByDst();
        float[] x = randn(r, e.numSrcNodes() * f);
        float[] w = randn(r, e.numEdges() * heads);
        int rows = e.numDstNodes();
        float[] expected = new float[rows * f];
        float[] got = new float[rows * f];
        SCALAR.spmmCsr(expected, csr.rowPtr(), csr.col(), csr.edge(), w, heads, x, rows, f, one);
        VECTOR.spmmCsr(got, csr.rowPtr(), csr.col(), csr.edge(), w, heads, x, rows, f, two);
        OpAssert.assertClose("spmm heads=" + heads + " " + what, expected, got,
            1e-6 * (maxRowLength(csr) + 1), 1e-5);
      }
    });
  }

  @Test
  void sddmmVectorMatchesScalar() {
    forEachCase((what, e, c, r) -> {
      for (int heads : new int[] {1, 2}) {
        int f = heads * c;
        float[] a = randn(r, e.numSrcNodes() * f);
        float[] b = randn(r, e.numDstNodes() * f);
        float[] expected = new float[e.numEdges() * heads];
        float[] got = new float[e.numEdges() * heads];
        SCALAR.sddmmCoo(expected, e.src(), e.dst(), a, b, e.numEdges(), heads, c, one);
        VECTOR.sddmmCoo(got, e.src(), e.dst(), a, b, e.numEdges(), heads, c, two);
        OpAssert.assertClose("sddmm heads=" + heads + " " + what, expected, got, 1e-6 * (c + 1),
            1e-5);
      }
    });
  }

  @Test
  void gatherAndSegmentSumVectorMatchScalar() {
    forEachCase((what, e, f, r) -> {
      float[] x = randn(r, e.numSrcNodes() * f);
      float[] scale = randn(r, e.numSrcNodes());
      int edges = e.numEdges();
      for (float[] s : new float[][] {null, scale}) {
        float[] expected = new float[edges * f];
        float[] got = new float[edges * f];
        SCALAR.gatherRows(expected, x, e.src(), s, edges, f, one);
        VECTOR.gatherRows(got, x, e.src(), s, edges, f, two);
        assertArrayEquals(expected, got, "gather scale=" + (s != null) + " " + what);
      }
      Csr csr = e.csrByDst();
      float[] msg = randn(r, edges * f);
      for (boolean mean : new boolean[] {false, true}) {
        float[] expected = new float[e.numDstNodes() * f];
        float[] got = new float[e.numDstNodes() * f];
        SCALAR.segmentSumCsr(expected, csr.rowPtr(), csr.edge(), msg, mean, csr.rows(), f, one);
        VECTOR.segmentSumCsr(got, csr.rowPtr(), csr.edge(), msg, mean, csr.rows(), f, two);
        OpAssert.assertClose("segment " + (mean ? "mean " : "sum ") + what, expected, got,
            1e-6 * (maxRowLength(csr) + 1), 1e-5);
      }
    });
  }

  @Test
  void segmentMaxAndSoftmaxVectorMatchScalar() {
    forEachCase((what, e, f, r) -> {
      Csr csr = e.csrByDst();
      int rows = csr.rows();
      float[] msg = randn(r, e.numEdges() * f);
      float[] expected = new float[rows * f];
      int[] expectedArg = new int[rows * f];
      float[] got = new float[rows * f];
      int[] gotArg = new int[rows * f];
      SCALAR.segmentMaxCsr(expected, expectedArg, csr.rowPtr(), csr.edge(), msg, rows, f, one);
      VECTOR.segmentMaxCsr(got, gotArg, csr.rowPtr(), csr.edge(), msg, rows, f, two);
      assertArrayEquals(expected, got, "segment max " + what);
      assertArrayEquals(expectedArg, gotArg, "segment argmax " + what);
      float[] dOut = randn(r, rows * f);
      float[] dExpected = new float[msg.length];
      float[] dGot = new float[msg.length];
      SCALAR.segmentMaxBackward(dExpected, dOut, expectedArg, rows, f, one);
      VECTOR.segmentMaxBackward(dGot, dOut, gotArg, rows, f, two);
      assertArrayEquals(dExpected, dGot, "segment max backward " + what);
      if (f > 8) return;                                     // f doubles as the head count
      float[] scores = randn(r, e.numEdges() * f);
      float[] p = new float[scores.length];
      float[] pv = new float[scores.length];
      SCALAR.edgeSoftmaxCsr(p, csr.rowPtr(), csr.edge(), scores, rows, f, one);
      VECTOR.edgeSoftmaxCsr(pv, csr.rowPtr(), csr.edge(), scores, rows, f, two);
      assertArrayEquals(p, pv, "edge softmax " + what);
      float[] dp = randn(r, scores.length);
      float[] ds = new float[scores.length];
      float[] dsv = new float[scores.length];
      SCALAR.edgeSoftmaxBackwardCsr(ds, csr.rowPtr(), csr.edge(), p, dp, rows, f, one);
      VECTOR.edgeSoftmaxBackwardCsr(dsv, csr.rowPtr(), csr.edge(), p, dp, rows, f, two);
      assertArrayEquals(ds, dsv, "edge softmax backward " + what);
    });
  }

  @Test
  void sameBitsRunToRunAndForOneOrTwoThreads() {
    EdgeIndex e = RandomGraphs.uniform(3000, 60000, SEED);   // big enough to split over threads
    Csr csr = e.csrByDst();
    int f = 33;
    SplittableRandom r = new SplittableRandom(SEED);
    float[] x = randn(r, e.numSrcNodes() * f);
    float[] w = randn(r, e.numEdges());
    for (GraphKernels k : new GraphKernels[] {SCALAR, VECTOR}) {
      float[] ref = null;
      for (Parallel par : new Parallel[] {one, two, two}) {
        float[] out = new float[e.numDstNodes() * f];
        k.spmmCsr(out, csr.rowPtr(), csr.col(), csr.edge(), w, 1, x, e.numDstNodes(), f, par);
        float[] sum = new float[e.numDstNodes() * f];
        k.segmentSumCsr(sum, csr.rowPtr(), csr.col(), x, true, e.numDstNodes(), f, par);
        float[] max = new float[e.numDstNodes() * f];
        k.segmentMaxCsr(max, new int[max.length], csr.rowPtr(), csr.col(), x, e.numDstNodes(), f,
            par);
        float[] p = new float[e.numEdges()];
        k.edgeSoftmaxCsr(p, csr.rowPtr(), csr.edge(), w, e.numDstNodes(), 1, par);
        float[] dot = new float[e.numEdges()];
        k.sddmmCoo(dot, e.src(), e.dst(), x, x, e.numEdges(), 1, f, par);
        float[] all = concat(out, sum, max, p, dot);
        if (ref == null) ref = all;
        else assertArrayEquals(ref, all, "bits differ with " + par.threads() + " threads, seed "
            + SEED);
      }
    }
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] part : parts) n += part.length;
    float[] all = new float[n];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
