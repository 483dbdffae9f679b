package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GineKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * The GINE message loops ({@link GineKernels#forward}, {@link GineKernels#edgeGrad}) and the
 * inference pass ({@link GineKernels#forwardEval}) on the Vector API, vectorised over channels:
 * per target row and block of lanes, the messages of the in-edges are summed in a register in
 * edge order, starting from zero, so the aggregate is never stored; the ReLU is a compare and a
 * masked add or blend, and the inference pass's {@code x * scale + sum} is a product and a sum,
 * never a fused multiply-add. Every output is the scalar reference's bit for bit (a NaN message
 * counts as zero in both). The fused-projection loops stay on the reference.
 */
final class VectorGine implements GineKernels {
  static final VectorGine INSTANCE = new VectorGine();
  /** A constant species, so C2 compiles the calls to SIMD instructions (see VectorGraphKernels). */
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final GineKernels REFERENCE = GineKernels.scalar();

  private VectorGine() {}

  @Override
  public void forwardEval(float[] out, float[] x, float[] e, float scale, int[] rowPtr, int[] edge,
      int[] src, int n, int f, Parallel par) {
    par.forRange(n, 64, (c, from, to) -> {
      for (int i = from; i < to; i++) evalRow(out, x, e, scale, rowPtr[i], rowPtr[i + 1], edge, src, i * f, f);
    });
  }

  private static void evalRow(float[] out, float[] x, float[] e, float scale, int p0, int p1, int[] edge,
                          int[] src, int o, int f) {
    FloatVector zero = FloatVector.zero(SPECIES);
    int j = 0;
    for (int bound = SPECIES.loopBound(f); j < bound; j += SPECIES.length()) {
      FloatVector acc = zero;
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector v = FloatVector.fromArray(SPECIES, x, src[k] * f + j).add(FloatVector.fromArray(SPECIES, e, k * f + j));
        acc = acc.add(zero.blend(v, v.compare(VectorOperators.GT, 0f)));
      }
      FloatVector.fromArray(SPECIES, x, o + j).mul(scale).add(acc).intoArray(out, o + j);
    }
    if (j < f) {
      VectorMask<Float> m = SPECIES.indexInRange(j, f);
      FloatVector acc = zero;
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector v = FloatVector.fromArray(SPECIES, x, src[k] * f + j, m).add(FloatVector.fromArray(SPECIES, e, k * f + j, m));
        acc = acc.add(zero.blend(v, v.compare(VectorOperators.GT, 0f)));
      }
      FloatVector.fromArray(SPECIES, x, o + j, m).mul(scale).add(acc).intoArray(out, o + j, m);
    }
  }

  @Override
  public void forward(float[] out, float[] x, float[] e, int[] rowPtr, int[] edge, int[] src,
      int n, int f, Parallel par) {
    par.forBounds(Parallel.balancedBounds(rowPtr, n, par.threads()), (c, from, to) -> {
      for (int i = from; i < to; i++) forwardRow(out, i * f, x, e, rowPtr[i], rowPtr[i + 1], edge, src, f);
    });
  }

  private static void forwardRow(float[] out, int o, float[] x, float[] e, int p0, int p1,
                                 int[] edge, int[] src, int f) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    int j = 0;
    for (; j + lanes <= f; j += lanes) {
      FloatVector acc = FloatVector.fromArray(s, out, o + j);          // zero on entry
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector v = FloatVector.fromArray(s, x, src[k] * f + j)
            .add(FloatVector.fromArray(s, e, k * f + j));
        acc = acc.add(v, v.compare(VectorOperators.GT, 0f));
      }
      acc.intoArray(out, o + j);
    }
    for (; j < f; j++) {
      float acc = out[o + j];
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        float v = x[src[k] * f + j] + e[k * f + j];
        acc += v > 0 ? v : 0f;
      }
      out[o + j] = acc;
    }
  }

  @Override
  public void edgeGrad(float[] de, float[] dOut, float[] x, float[] e, int[] src, int[] dst,
      int edges, int f, Parallel par) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    par.forRange(edges, 1024, (c, from, to) -> {
      FloatVector zero = FloatVector.zero(s);
      for (int k = from; k < to; k++) {
        int xs = src[k] * f;
        int gs = dst[k] * f;
        int es = k * f;
        int j = 0;
        for (; j + lanes <= f; j += lanes) {
          FloatVector v = FloatVector.fromArray(s, x, xs + j).add(FloatVector.fromArray(s, e, es + j));
          VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
          zero.blend(FloatVector.fromArray(s, dOut, gs + j), pos).intoArray(de, es + j);
        }
        for (; j < f; j++) de[es + j] = x[xs + j] + e[es + j] > 0 ? dOut[gs + j] : 0f;
      }
    });
  }

  @Override
  public void forwardProjected(float[] out, float[] x, float[] attr, float[] wT, float[] b,
      int[] rowPtr, int[] edge, int[] src, int n, int f, int d, Parallel par) {
    REFERENCE.forwardProjected(out, x, attr, wT, b, rowPtr, edge, src, n, f, d, par);
  }

  @Override
  public void backwardProjected(float[] dx, float[] dAttr, float[] dWT, float[] db, float[] dOut,
      float[] x, float[] attr, float[] wT, float[] b, int[] rowPtrBySrc, int[] edgeBySrc,
      int[] dst, int n, int f, int d, Parallel par) {
    REFERENCE.backwardProjected(dx, dAttr, dWT, db, dOut, x, attr, wT, b, rowPtrBySrc, edgeBySrc,
        dst, n, f, d, par);
  }
}
