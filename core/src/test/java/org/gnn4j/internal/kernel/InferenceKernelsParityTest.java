package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.RandomGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused inference kernels against what they replace, bit for bit: GINE's eval pass
 * ({@link GineKernels#forwardEval}) against {@link GineKernels#forward} into a zeroed buffer
 * followed by {@code x * scale + aggr}, for the scalar and the Vector API kernels; and
 * {@link MathKernels#normReluAdd} on the Vector API against the plain-Java default. Feature
 * widths around the vector widths, so the masked tails run; inputs with zeros of both signs and
 * negative values, so ReLU's edge cases run; one and two threads.
 */
class InferenceKernelsParityTest {
  private static final int[] TAILS = {1, 3, 7, 15, 16, 17, 33, 96, 100};
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

  private static float[] values(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(10);
      v[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void gineEvalPassEqualsMessagesThenScaledSum() {
    SplittableRandom r = new SplittableRandom(41);
    for (int f : TAILS) {
      for (int n : new int[] {1, 5, 130}) {
        EdgeIndex edges = RandomGraph.uniform(n, 3 * n, r);
        Csr byDst = edges.csrByDst();
        float[] x = values(r, n * f);
        float[] e = values(r, edges.numEdges() * f);
        float scale = 1f + (float) r.nextGaussian() * 0.3f;
        float[] aggr = new float[n * f];
        GineKernels.scalar().forward(aggr, x, e, byDst.rowPtr(), byDst.edge(), edges.src(), n, f, one);
        float[] expected = new float[n * f];
        for (int i = 0; i < expected.length; i++) expected[i] = x[i] * scale + aggr[i];
        for (GineKernels k : new GineKernels[] {GineKernels.scalar(), Kernels.vector().gine()}) {
          for (Parallel par : new Parallel[] {one, two}) {
            float[] out = new float[n * f];
            java.util.Arrays.fill(out, Float.NaN);             // overwritten, never read
            k.forwardEval(out, x, e, scale, byDst.rowPtr(), byDst.edge(), edges.src(), n, f, par);
            assertArrayEquals(expected, out, 0f, k.getClass().getSimpleName() + ", f = " + f + ", n = " + n
                + ", threads = " + par.threads());
          }
        }
      }
    }
  }

  @Test
  void normReluAddOnVectorsEqualsThePlainLoop() {
    SplittableRandom r = new SplittableRandom(43);
    MathKernels plain = Kernels.scalar().math();     // the interface's plain-Java default
    MathKernels vector = Kernels.vector().math();
    for (int f : TAILS) {
      int rows = 9;
      float[] x = values(r, rows * f);
      float[] res = values(r, rows * f);
      float[] mean = values(r, f);
      float[] scale = values(r, f);
      float[] shift = values(r, f);
      for (boolean norm : new boolean[] {true, false}) {
        for (boolean residual : new boolean[] {true, false}) {
          float[] want = new float[rows * f];
          float[] got = new float[rows * f];
          float[] m = norm ? mean : null;
          float[] rs = residual ? res : null;
          plain.normReluAdd(want, x, m, scale, shift, rs, f, 0, rows);
          vector.normReluAdd(got, x, m, scale, shift, rs, f, 2, rows);   // rows from 2 on
          vector.normReluAdd(got, x, m, scale, shift, rs, f, 0, 2);
          assertArrayEquals(want, got, 0f, "f = " + f + ", norm " + norm + ", residual " + residual);
        }
      }
    }
  }
}
