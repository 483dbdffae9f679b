package org.gnn4j.internal.kernel;

import java.util.Arrays;

/** The reference max aggregation: one output row at a time, edges in CSR order. */
final class ScalarNeighborMax implements NeighborMaxKernels {
  static final ScalarNeighborMax INSTANCE = new ScalarNeighborMax();

  private ScalarNeighborMax() {}

  @Override
  public void forward(float[] out, float[] invCount, int[] rowPtr, int[] col, float[] x,
                      int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int oo = r * f;
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        if (p0 == p1) {                                    // no in-edges: 0, and no gradient
          Arrays.fill(out, oo, oo + f, 0f);
          Arrays.fill(invCount, oo, oo + f, 0f);
          continue;
        }
        Arrays.fill(out, oo, oo + f, Float.NEGATIVE_INFINITY);
        Arrays.fill(invCount, oo, oo + f, 0f);             // the tie count until the end
        for (int p = p0; p < p1; p++) {
          int xo = col[p] * f;
          for (int k = 0; k < f; k++) {
            float v = x[xo + k];
            if (v > out[oo + k]) {
              out[oo + k] = v;
              invCount[oo + k] = 1f;
            } else if (v == out[oo + k]) {
              invCount[oo + k] += 1f;
            }
          }
        }
        for (int k = oo; k < oo + f; k++) invCount[k] = 1f / invCount[k];
      }
    });
  }

  @Override
  public void backward(float[] dx, int[] rowPtr, int[] col, float[] x, float[] out,
                       float[] invCount, float[] dOut, int rows, int f, Parallel par) {
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int j = r0; j < r1; j++) {
        int xo = j * f;
        Arrays.fill(dx, xo, xo + f, 0f);
        for (int p = rowPtr[j]; p < rowPtr[j + 1]; p++) {
          int oo = col[p] * f;
          for (int k = 0; k < f; k++) {
            if (x[xo + k] == out[oo + k]) dx[xo + k] += dOut[oo + k] * invCount[oo + k];
          }
        }
      }
    });
  }
}
