package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GineKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * GINE's inference pass ({@link #forwardEval}) on the Vector API: per target row, a register
 * holds one lane-block of the row's message sum while the in-edges stream past, so the
 * aggregate is never stored. Each lane does the reference's scalar steps in the same order
 * (messages summed from zero in edge order, ReLU as {@code v > 0 ? v : 0}, then
 * {@code x * scale + sum} as a product and a sum, never a fused multiply-add), so the bits are
 * the reference's. The training loops stay with the plain-Java reference.
 */
final class VectorGine implements GineKernels {
  static final VectorGine INSTANCE = new VectorGine();
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private final GineKernels reference = GineKernels.scalar();

  private VectorGine() {}

  @Override
  public void forwardEval(float[] out, float[] x, float[] e, float scale, int[] rowPtr, int[] edge,
      int[] src, int n, int f, Parallel par) {
    par.forRange(n, 64, (c, from, to) -> {
      for (int i = from; i < to; i++) row(out, x, e, scale, rowPtr[i], rowPtr[i + 1], edge, src, i * f, f);
    });
  }

  private static void row(float[] out, float[] x, float[] e, float scale, int p0, int p1, int[] edge,
                          int[] src, int o, int f) {
    FloatVector zero = FloatVector.zero(S);
    int j = 0;
    for (int bound = S.loopBound(f); j < bound; j += L) {
      FloatVector acc = zero;
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector v = FloatVector.fromArray(S, x, src[k] * f + j).add(FloatVector.fromArray(S, e, k * f + j));
        acc = acc.add(zero.blend(v, v.compare(VectorOperators.GT, 0f)));
      }
      FloatVector.fromArray(S, x, o + j).mul(scale).add(acc).intoArray(out, o + j);
    }
    if (j < f) {
      VectorMask<Float> m = S.indexInRange(j, f);
      FloatVector acc = zero;
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector v = FloatVector.fromArray(S, x, src[k] * f + j, m).add(FloatVector.fromArray(S, e, k * f + j, m));
        acc = acc.add(zero.blend(v, v.compare(VectorOperators.GT, 0f)));
      }
      FloatVector.fromArray(S, x, o + j, m).mul(scale).add(acc).intoArray(out, o + j, m);
    }
  }

  @Override
  public void forward(float[] out, float[] x, float[] e, int[] rowPtr, int[] edge, int[] src, int n,
      int f, Parallel par) {
    reference.forward(out, x, e, rowPtr, edge, src, n, f, par);
  }

  @Override
  public void edgeGrad(float[] de, float[] dOut, float[] x, float[] e, int[] src, int[] dst, int edges,
      int f, Parallel par) {
    reference.edgeGrad(de, dOut, x, e, src, dst, edges, f, par);
  }

  @Override
  public void forwardProjected(float[] out, float[] x, float[] attr, float[] wT, float[] b, int[] rowPtr,
      int[] edge, int[] src, int n, int f, int d, Parallel par) {
    reference.forwardProjected(out, x, attr, wT, b, rowPtr, edge, src, n, f, d, par);
  }

  @Override
  public void backwardProjected(float[] dx, float[] dAttr, float[] dWT, float[] db, float[] dOut,
      float[] x, float[] attr, float[] wT, float[] b, int[] rowPtrBySrc, int[] edgeBySrc,
      int[] dst, int n, int f, int d, Parallel par) {
    reference.backwardProjected(dx, dAttr, dWT, db, dOut, x, attr, wT, b, rowPtrBySrc, edgeBySrc, dst, n, f, d, par);
  }
}
