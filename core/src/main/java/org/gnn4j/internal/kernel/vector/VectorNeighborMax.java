package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.NeighborMaxKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Max aggregation on the Vector API, vectorised over channels: per output row, one vector of
 * running maxima and one of tie counts per block of lanes, updated by compare-and-blend, so the
 * result and the tie counts are those of the scalar reference bit for bit. Tails use scalar code.
 */
final class VectorNeighborMax implements NeighborMaxKernels {
  static final VectorNeighborMax INSTANCE = new VectorNeighborMax();
  /** A constant species, so C2 compiles the calls to SIMD instructions (see VectorGraphKernels). */
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorNeighborMax() {}

  @Override
  public void forward(float[] out, float[] invCount, int[] rowPtr, int[] col, float[] x,
                      int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) forwardRow(out, invCount, rowPtr[r], rowPtr[r + 1], col, x,
          r * f, f);
    });
  }

  private static void forwardRow(float[] out, float[] invCount, int p0, int p1, int[] col,
                                 float[] x, int oo, int f) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    if (p0 == p1) {                                        // no in-edges: 0, and no gradient
      java.util.Arrays.fill(out, oo, oo + f, 0f);
      java.util.Arrays.fill(invCount, oo, oo + f, 0f);
      return;
    }
    FloatVector one = FloatVector.broadcast(s, 1f);
    int k = 0;
    for (; k + lanes <= f; k += lanes) {
      FloatVector m = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY);
      FloatVector c = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        FloatVector v = FloatVector.fromArray(s, x, col[p] * f + k);
        VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
        VectorMask<Float> eq = v.compare(VectorOperators.EQ, m);
        m = m.blend(v, gt);
        c = c.add(one, eq).blend(one, gt);
      }
      m.intoArray(out, oo + k);
      one.div(c).intoArray(invCount, oo + k);
    }
    for (; k < f; k++) {
      float m = Float.NEGATIVE_INFINITY;
      float c = 0f;
      for (int p = p0; p < p1; p++) {
        float v = x[col[p] * f + k];
        if (v > m) {
          m = v;
          c = 1f;
        } else if (v == m) {
          c += 1f;
        }
      }
      out[oo + k] = m;
      invCount[oo + k] = 1f / c;
    }
  }

  @Override
  public void backward(float[] dx, int[] rowPtr, int[] col, float[] x, float[] out,
                       float[] invCount, float[] dOut, int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      VectorSpecies<Float> s = SPECIES;
      int lanes = s.length();
      for (int j = r0; j < r1; j++) {
        int xo = j * f;
        int p0 = rowPtr[j];
        int p1 = rowPtr[j + 1];
        int k = 0;
        for (; k + lanes <= f; k += lanes) {
          FloatVector xv = FloatVector.fromArray(s, x, xo + k);
          FloatVector acc = FloatVector.zero(s);
          for (int p = p0; p < p1; p++) {
            int oo = col[p] * f + k;
            VectorMask<Float> tie = xv.compare(VectorOperators.EQ, FloatVector.fromArray(s, out, oo));
            FloatVector g = FloatVector.fromArray(s, dOut, oo)
                .mul(FloatVector.fromArray(s, invCount, oo));
            acc = acc.add(g, tie);
          }
          acc.intoArray(dx, xo + k);
        }
        for (; k < f; k++) {
          float acc = 0f;
          float xv = x[xo + k];
          for (int p = p0; p < p1; p++) {
            int oo = col[p] * f + k;
            if (xv == out[oo]) acc += dOut[oo] * invCount[oo];
          }
          dx[xo + k] = acc;
        }
      }
    });
  }
}
