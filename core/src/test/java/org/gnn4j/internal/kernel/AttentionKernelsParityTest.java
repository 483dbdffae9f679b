package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * The Vector API attention kernels against the scalar reference on channel counts around the
 * vector width (tails), on every graph edge case, with and without edge features and score
 * bias, on one and two threads; and bit-for-bit determinism across runs and thread counts.
 */
class AttentionKernelsParityTest {
  private static final long SEED = 77;
  private static final int[] TAIL_SIZES = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
  private static final int[] EDGE_CASE_SIZES = {1, 3, 8, 16, 17, 33};

  /** Everything the three kernels produce for one problem. */
  private record Result(float[] out, float[] lse, float[] dq, float[] dEkv, float[] dBias,
                        float[] dDot, float[] dk, float[] dv) {
    /** Outputs start as NaN, so a NaN left over means the kernel skipped an element it owns. */
    void assertNoNaN(String what) {
      float[][] all = {out, lse, dq, dEkv, dBias, dDot, dk, dv};
      String[] names = {"out", "lse", "dq", "dEkv", "dBias", "dDot", "dk", "dv"};
      for (int a = 0; a < all.length; a++) {
        if (all[a] == null) continue;
        for (int i = 0; i < all[a].length; i++) {
          if (Float.isNaN(all[a][i])) fail(what + ": " + names[a] + "[" + i + "] not written");
        }
      }
    }
  }

  /** One random problem: a graph plus inputs for the given sizes. */
  private record Problem(EdgeIndex g, int heads, int ch, float[] q, float[] k, float[] v,
                         float[] ekv, float[] bias, float[] dOut, float scale) {
    static Problem of(EdgeIndex g, int heads, int ch, boolean withEkv, boolean withBias,
                      long seed) {
      return of(g, heads, ch, withEkv, withBias, seed, (float) (1 / Math.sqrt(ch)));
    }

    static Problem of(EdgeIndex g, int heads, int ch, boolean withEkv, boolean withBias,
                      long seed, float scale) {
      SplittableRandom r = new SplittableRandom(seed);
      int nd = g.numDstNodes();
      int ns = g.numSrcNodes();
      int ne = g.numEdges();
      return new Problem(g, heads, ch, randn(r, nd * heads * ch), randn(r, ns * heads * ch),
          randn(r, ns * heads * ch), withEkv ? randn(r, ne * heads * ch) : null,
          withBias ? randn(r, ne * heads) : null, randn(r, nd * heads * ch), scale);
    }

    Result run(AttentionKernels ak, Parallel par, boolean allGrads) {
      int nd = g.numDstNodes();
      int ns = g.numSrcNodes();
      int ne = g.numEdges();
      int hc = heads * ch;
      float[] out = filled(nd * hc);
      float[] lse = filled(nd * heads);
      Csr byDst = g.csrByDst();
      ak.forward(out, lse, q, k, v, ekv, bias, byDst.rowPtr(), byDst.col(), byDst.edge(), scale,
          nd, heads, ch, par);
      float[] dq = allGrads ? filled(nd * hc) : null;
      float[] dEkv = allGrads && ekv != null ? filled(ne * hc) : null;
      float[] dBias = allGrads && bias != null ? filled(ne * heads) : null;
      float[] dDot = filled(nd * heads);
      ak.backwardDst(dq, dEkv, dBias, dDot, dOut, out, lse, q, k, v, ekv, bias, byDst.rowPtr(),
          byDst.col(), byDst.edge(), scale, nd, heads, ch, par);
      float[] dk = allGrads ? filled(ns * hc) : null;
      float[] dv = filled(ns * hc);
      Csr bySrc = g.csrBySrc();
      ak.backwardSrc(dk, dv, dOut, dDot, lse, q, k, v, ekv, bias, bySrc.rowPtr(), bySrc.col(),
          bySrc.edge(), scale, ns, heads, ch, par);
      Result res = new Result(out, lse, dq, dEkv, dBias, dDot, dk, dv);
      res.assertNoNaN(ak.getClass().getSimpleName() + " C=" + ch);
      return res;
    }
  }

  private static float[] randn(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian());
    return a;
  }

  /** Garbage-filled, to prove the kernels overwrite every element they own. */
  private static float[] filled(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, Float.NaN);
    return a;
  }

  private static List<RandomGraphs.Case> graphs() {
    List<RandomGraphs.Case> cases = new ArrayList<>(RandomGraphs.edgeCases(SEED));
    SplittableRandom r = new SplittableRandom(SEED);
    int[] src = new int[40];
    int[] dst = new int[40];
    for (int e = 0; e < 40; e++) {
      src[e] = r.nextInt(11);
      dst[e] = r.nextInt(5);
    }
    cases.add(new RandomGraphs.Case("bipartite-11to5", EdgeIndex.bipartite(src, dst, 11, 5)));
    return cases;
  }

  private static void assertParity(String what, Problem pr, Result s, Result v) {
    assertParity(what, pr, s, v, 1);
  }

  /**
   * {@code gradFactor} widens the tolerance of the score gradients (dq, dk, dEdgeKv, dBias):
   * ds = p (dp - D) cancels when one edge takes all the weight, and scale multiplies it.
   */
  private static void assertParity(String what, Problem pr, Result s, Result v,
                                   double gradFactor) {
    int ch = pr.ch();
    double atol = 2e-6 * Math.sqrt(ch) + 1e-6;
    double gtol = 4 * atol * gradFactor;
    double rtol = 1e-4;
    OpAssert.assertClose(what + " out", s.out(), v.out(), atol, rtol);
    OpAssert.assertClose(what + " lse", s.lse(), v.lse(), atol, rtol);
    OpAssert.assertClose(what + " dDot", s.dDot(), v.dDot(), atol, rtol);
    OpAssert.assertClose(what + " dv", s.dv(), v.dv(), 4 * atol, rtol);
    if (s.dq() != null) {
      OpAssert.assertClose(what + " dq", s.dq(), v.dq(), gtol, rtol);
      OpAssert.assertClose(what + " dk", s.dk(), v.dk(), gtol, rtol);
    }
    if (s.dEkv() != null) OpAssert.assertClose(what + " dEkv", s.dEkv(), v.dEkv(), gtol, rtol);
    if (s.dBias() != null) OpAssert.assertClose(what + " dBias", s.dBias(), v.dBias(), gtol, rtol);
  }

  @Test
  void vectorMatchesScalarOnTailSizes() {
    AttentionKernels scalar = Kernels.scalar().attention();
    AttentionKernels vector = Kernels.vector().attention();
    EdgeIndex g = RandomGraphs.uniform(20, 80, SEED);
    for (int threads = 1; threads <= 2; threads++) {
      try (Parallel par = new Parallel(threads)) {
        for (int ch : TAIL_SIZES) {
          for (int variant = 0; variant < 4; variant += 3) {  // neither, or both extras
            Problem pr = Problem.of(g, 2, ch, (variant & 1) != 0, (variant & 2) != 0, SEED + ch);
            String what = "C=" + ch + " threads=" + threads + " variant=" + variant
                + " seed=" + (SEED + ch);
            assertParity(what, pr, pr.run(scalar, par, true), pr.run(vector, par, true));
          }
        }
      }
    }
  }

  @Test
  void vectorMatchesScalarOnGraphEdgeCases() {
    AttentionKernels scalar = Kernels.scalar().attention();
    AttentionKernels vector = Kernels.vector().attention();
    for (int threads = 1; threads <= 2; threads++) {
      try (Parallel par = new Parallel(threads)) {
        for (RandomGraphs.Case gc : graphs()) {
          for (int ch : EDGE_CASE_SIZES) {
            boolean extras = (ch & 1) != 0;
            Problem pr = Problem.of(gc.edges(), 3, ch, extras, extras, SEED + ch);
            String what = gc + " C=" + ch + " threads=" + threads + " seed=" + (SEED + ch);
            assertParity(what, pr, pr.run(scalar, par, true), pr.run(vector, par, true));
          }
        }
      }
    }
  }

  @Test
  void vectorMatchesScalarOnPeakedScores() {
    // Scores spread over hundreds: softmax weights down to exp(-87) and below, where the vector
    // kernel's own exp clamps, must still agree with Math.exp in the reference.
    AttentionKernels scalar = Kernels.scalar().attention();
    AttentionKernels vector = Kernels.vector().attention();
    try (Parallel par = new Parallel(2)) {
      for (RandomGraphs.Case gc : graphs()) {
        Problem pr = Problem.of(gc.edges(), 2, 16, true, true, SEED, 10f);
        String what = gc + " peaked seed=" + SEED;
        assertParity(what, pr, pr.run(scalar, par, true), pr.run(vector, par, true), 10);
      }
    }
  }

  @Test
  void optionalGradientsCanBeSkipped() {
    EdgeIndex g = RandomGraphs.uniform(20, 90, SEED);
    Problem pr = Problem.of(g, 2, 9, true, true, SEED);
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Parallel par = new Parallel(2)) {
        Result all = pr.run(kernels.attention(), par, true);
        Result some = pr.run(kernels.attention(), par, false);
        assertArrayEquals(all.dDot(), some.dDot(), kernels.name() + " dDot");
        assertArrayEquals(all.dv(), some.dv(), kernels.name() + " dv");
      }
    }
  }

  @Test
  void resultsKeepTheirBitsOnceTheKernelsAreJitCompiled() {
    // The first calls run interpreted, later ones in C2 code: both must agree to the bit.
    Problem pr = Problem.of(RandomGraphs.hub(1500, SEED), 4, 16, true, true, SEED);
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Parallel par = new Parallel(1)) {
        Result first = pr.run(kernels.attention(), par, true);
        for (int rep = 0; rep < 20; rep++) {
          Result later = pr.run(kernels.attention(), par, true);
          String what = kernels.name() + " repeat " + rep + " seed=" + SEED;
          assertArrayEquals(first.out(), later.out(), what + " out");
          assertArrayEquals(first.dq(), later.dq(), what + " dq");
          assertArrayEquals(first.dk(), later.dk(), what + " dk");
          assertArrayEquals(first.dEkv(), later.dEkv(), what + " dEkv");
        }
      }
    }
  }

  @Test
  void resultsAreBitIdenticalAcrossRunsAndThreadCounts() {
    List<RandomGraphs.Case> cases = graphs();
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (RandomGraphs.Case gc : cases) {
        Problem pr = Problem.of(gc.edges(), 2, 17, true, true, SEED);
        Result one;
        Result twoA;
        Result twoB;
        try (Parallel p1 = new Parallel(1); Parallel p2 = new Parallel(2)) {
          one = pr.run(kernels.attention(), p1, true);
          twoA = pr.run(kernels.attention(), p2, true);
          twoB = pr.run(kernels.attention(), p2, true);
        }
        for (Result other : new Result[] {twoA, twoB}) {
          String what = kernels.name() + " " + gc + " seed=" + SEED;
          assertArrayEquals(one.out(), other.out(), what + " out");
          assertArrayEquals(one.lse(), other.lse(), what + " lse");
          assertArrayEquals(one.dq(), other.dq(), what + " dq");
          assertArrayEquals(one.dk(), other.dk(), what + " dk");
          assertArrayEquals(one.dv(), other.dv(), what + " dv");
          assertArrayEquals(one.dEkv(), other.dEkv(), what + " dEkv");
          assertArrayEquals(one.dBias(), other.dBias(), what + " dBias");
        }
      }
    }
  }
}
