package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

/**
 * The register-blocked Vector API kernels of exact within-graph attention against the blocked
 * plain-Java reference: graph sizes around the tile width (16 or 32 lanes) and the streamed
 * block (64 rows), channel counts around the 4-channel register group, batches with empty and
 * one-node graphs, one and two threads; every output element written; the same bits for one and
 * two threads and across JIT tiers.
 */
class BlockAttentionKernelsParityTest {
  private static final int[][] BATCHES = {
      {1}, {3}, {15}, {16}, {17}, {31}, {32}, {33}, {63}, {64}, {65}, {100}, {130},
      {1, 70, 0, 5, 33}, {0, 2, 0}, {40, 40, 1}};
  private static final int[] CHANNELS = {1, 3, 4, 5, 8, 16, 17};

  /** The five outputs of one problem. */
  private record Result(float[] out, float[] lse, float[] dq, float[] dk, float[] dv) {}

  private static int[] ptr(int[] sizes) {
    int[] p = new int[sizes.length + 1];
    for (int g = 0; g < sizes.length; g++) p[g + 1] = p[g] + sizes[g];
    return p;
  }

  private static float[] randn(SplittableRandom r, int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      // Box-Muller: the reference and the vector kernels get the same inputs from one seed.
      double u = 1 - r.nextDouble();
      a[i] = (float) (sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    return a;
  }

  private static float[] nans(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  private static Result run(BlockAttentionKernels ba, int[] graphPtr, int heads, int c,
                            long seed, Parallel par) {
    int n = graphPtr[graphPtr.length - 1];
    int size = n * heads * c;
    SplittableRandom r = new SplittableRandom(seed);
    // sd 2 keeps scores spread over several units, so the online rescaling is exercised
    float[] q = randn(r, size, 2);
    float[] k = randn(r, size, 2);
    float[] v = randn(r, size, 1);
    float[] dOut = randn(r, size, 1);
    float scale = (float) (1 / Math.sqrt(c));
    float[] out = nans(size);
    float[] lse = nans(n * heads);
    ba.forward(out, lse, q, k, v, graphPtr, heads, c, scale, par);
    float[] dd = new float[n * heads];
    for (int i = 0; i < n * heads; i++) {
      for (int d = 0; d < c; d++) dd[i] += dOut[i * c + d] * out[i * c + d];
    }
    float[] dq = nans(size);
    float[] dk = nans(size);
    float[] dv = nans(size);
    ba.backwardQuery(dq, dOut, dd, lse, q, k, v, graphPtr, heads, c, scale, par);
    ba.backwardKey(dk, dv, dOut, dd, lse, q, k, v, graphPtr, heads, c, scale, par);
    return new Result(out, lse, dq, dk, dv);
  }

  private static void assertWritten(String what, Result res) {
    float[][] all = {res.out(), res.lse(), res.dq(), res.dk(), res.dv()};
    for (int a = 0; a < all.length; a++) {
      for (int i = 0; i < all[a].length; i++) {
        if (Float.isNaN(all[a][i])) fail(what + ": output " + a + " [" + i + "] not written");
      }
    }
  }

  @Test
  void vectorKernelsMatchTheScalarReference() {
    BlockAttentionKernels vector = Kernels.vector().blockAttention();
    BlockAttentionKernels reference = BlockAttentionKernels.reference(MathKernels.scalar());
    assertNotSame(reference.getClass(), vector.getClass());
    try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
      long seed = 3;
      for (int[] sizes : BATCHES) {
        for (int c : CHANNELS) {
          int heads = 1 + (int) (seed % 3);
          int[] gp = ptr(sizes);
          String what = "sizes " + Arrays.toString(sizes) + " H=" + heads + " C=" + c
              + " seed " + seed;
          Result ref = run(reference, gp, heads, c, seed, one);
          Result got = run(vector, gp, heads, c, seed, seed % 2 == 0 ? one : two);
          assertWritten(what, got);
          OpAssert.assertClose(what + " out", ref.out(), got.out(), 1e-5, 1e-4);
          OpAssert.assertClose(what + " lse", ref.lse(), got.lse(), 1e-5, 1e-5);
          OpAssert.assertClose(what + " dq", ref.dq(), got.dq(), 1e-5, 1e-4);
          OpAssert.assertClose(what + " dk", ref.dk(), got.dk(), 1e-5, 1e-4);
          OpAssert.assertClose(what + " dv", ref.dv(), got.dv(), 1e-5, 1e-4);
          seed++;
        }
      }
    }
  }

  @Test
  void sameBitsForOneAndTwoThreadsAndAcrossJitTiers() {
    BlockAttentionKernels vector = Kernels.vector().blockAttention();
    int[] gp = ptr(new int[] {90, 7, 150});
    try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
      Result first = run(vector, gp, 2, 16, 9, one);
      // 20 calls: the kernels run interpreted first and compiled by C2 later.
      for (int rep = 0; rep < 20; rep++) {
        Result again = run(vector, gp, 2, 16, 9, rep % 2 == 0 ? two : one);
        String what = "rep " + rep;
        assertArrayEquals(first.out(), again.out(), what + " out");
        assertArrayEquals(first.lse(), again.lse(), what + " lse");
        assertArrayEquals(first.dq(), again.dq(), what + " dq");
        assertArrayEquals(first.dk(), again.dk(), what + " dk");
        assertArrayEquals(first.dv(), again.dv(), what + " dv");
      }
    }
  }
}
