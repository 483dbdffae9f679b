package org.gnn4j.internal.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.GraphKernels;
import org.gnn4j.internal.kernel.Parallel;

/**
 * Graph kernels on the Vector API, vectorised over the feature dimension. SpMM (and the segment
 * sum that shares its loop) keeps up to four vectors of one output row in registers while it
 * walks the row's edges, so each gathered source row is read once per block and the output row
 * is written once: the kernel streams the index arrays and the gathered rows, which is the
 * memory-bound minimum. Segment max keeps its running argmax in an int vector of the same lane
 * count. Edge softmax works on per-edge scalars (one per head) and uses the scalar reference.
 */
final class VectorGraphKernels implements GraphKernels {
  /**
   * C2 only compiles Vector API calls to SIMD instructions when the species is a constant; read
   * from an instance field it boxes every vector (8 GB/s of garbage in the SpMM benchmark).
   */
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Ints with as many lanes as {@link #SPECIES}, for the argmax of segment max. */
  private static final VectorSpecies<Integer> INT_SPECIES =
      VectorSpecies.of(int.class, SPECIES.vectorShape());
  private final GraphKernels reference;

  VectorGraphKernels(VectorSpecies<Float> species, GraphKernels reference) {
    if (!species.equals(SPECIES)) {
      throw new UnsupportedOperationException("graph kernels are compiled for the preferred"
          + " species " + SPECIES + ", not " + species);
    }
    this.reference = reference;
  }

  @Override
  public void gatherRows(float[] out, float[] x, int[] index, float[] scale, int rows, int f,
                         Parallel par) {
    if (scale == null) {
      // a row copy is already an intrinsic memcpy
      reference.gatherRows(out, x, index, null, rows, f, par);
      return;
    }
    int lanes = SPECIES.length();
    par.forRange(rows, Math.max(1, 16384 / Math.max(1, f)), (chunk, r0, r1) -> {
      int upper = SPECIES.loopBound(f);
      for (int r = r0; r < r1; r++) {
        int xo = index[r] * f;
        int oo = r * f;
        float s = scale[index[r]];
        int k = 0;
        for (; k < upper; k += lanes) {
          FloatVector.fromArray(SPECIES, x, xo + k).mul(s).intoArray(out, oo + k);
        }
        for (; k < f; k++) out[oo + k] = x[xo + k] * s;
      }
    });
  }

  @Override
  public void segmentSumCsr(float[] out, int[] rowPtr, int[] edge, float[] src, boolean mean,
                            int rows, int f, Parallel par) {
    int lanes = SPECIES.length();
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        // a segment sum is an unweighted SpMM whose "column" is the source row itself
        sumRow(out, r * f, rowPtr[r], rowPtr[r + 1], edge, src, f);
        int deg = rowPtr[r + 1] - rowPtr[r];
        if (mean && deg > 1) {
          float d = deg;                                   // divide, as the reference does
          int oo = r * f;
          int k = 0;
          for (int upper = SPECIES.loopBound(f); k < upper; k += lanes) {
            FloatVector.fromArray(SPECIES, out, oo + k).div(d).intoArray(out, oo + k);
          }
          for (; k < f; k++) out[oo + k] /= d;
        }
      }
    });
  }

  @Override
  public void segmentMaxCsr(float[] out, int[] argmax, int[] rowPtr, int[] edge, float[] src,
                            int rows, int f, Parallel par) {
    int lanes = SPECIES.length();
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      int upper = SPECIES.loopBound(f);
      for (int r = r0; r < r1; r++) {
        int oo = r * f;
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        if (p0 == p1) {
          java.util.Arrays.fill(out, oo, oo + f, 0f);
          java.util.Arrays.fill(argmax, oo, oo + f, -1);
          continue;
        }
        int k = 0;
        for (; k < upper; k += lanes) {
          int e0 = edge[p0];
          FloatVector best = FloatVector.fromArray(SPECIES, src, e0 * f + k);
          IntVector arg = IntVector.broadcast(INT_SPECIES, e0);
          for (int p = p0 + 1; p < p1; p++) {
            int e = edge[p];
            FloatVector v = FloatVector.fromArray(SPECIES, src, e * f + k);
            // strict '>' keeps the first maximum on ties, exactly like the scalar reference
            VectorMask<Float> gt = v.compare(VectorOperators.GT, best);
            best = best.blend(v, gt);
            arg = arg.blend(IntVector.broadcast(INT_SPECIES, e), gt.cast(INT_SPECIES));
          }
          best.intoArray(out, oo + k);
          arg.intoArray(argmax, oo + k);
        }
        for (; k < f; k++) {
          int e0 = edge[p0];
          float best = src[e0 * f + k];
          int arg = e0;
          for (int p = p0 + 1; p < p1; p++) {
            float v = src[edge[p] * f + k];
            if (v > best) {
              best = v;
              arg = edge[p];
            }
          }
          out[oo + k] = best;
          argmax[oo + k] = arg;
        }
      }
    });
  }

  @Override
  public void segmentMaxBackward(float[] dsrc, float[] dout, int[] argmax, int rows, int f,
                                 Parallel par) {
    reference.segmentMaxBackward(dsrc, dout, argmax, rows, f, par);
  }

  @Override
  public void edgeSoftmaxCsr(float[] out, int[] rowPtr, int[] edge, float[] scores, int rows,
                             int heads, Parallel par) {
    reference.edgeSoftmaxCsr(out, rowPtr, edge, scores, rows, heads, par);
  }

  @Override
  public void edgeSoftmaxBackwardCsr(float[] dScores, int[] rowPtr, int[] edge, float[] p,
                                     float[] dp, int rows, int heads, Parallel par) {
    reference.edgeSoftmaxBackwardCsr(dScores, rowPtr, edge, p, dp, rows, heads, par);
  }

  @Override
  public void spmmCsr(float[] out, int[] rowPtr, int[] col, int[] edge, float[] w, int heads,
                      float[] x, int rows, int f, Parallel par) {
    if (f == 0) return;                                    // also covers heads == 0
    int c = f / heads;
    int lanes = SPECIES.length();
    boolean spread = w != null && heads > 1 && c % lanes != 0 && heads <= lanes;
    VectorMask<Float> headMask = spread ? SPECIES.indexInRange(0, heads) : null;
    @SuppressWarnings("unchecked")
    VectorShuffle<Float>[] shuffles = spread ? new VectorShuffle[f / lanes] : null;
    for (int v = 0; spread && v < shuffles.length; v++) {
      int base = v * lanes;                                // vector v holds columns base..
      shuffles[v] = VectorShuffle.fromOp(SPECIES, l -> (base + l) / c);
    }
    par.forBounds(GraphKernels.rowBounds(par, rowPtr, rows, f), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        if (w == null) {
          sumRow(out, r * f, p0, p1, col, x, f);
        } else if (heads == 1) {
          weightedRow(out, r * f, p0, p1, col, edge, w, 1, 0, x, f, 0, f);
        } else if (c % lanes == 0) {
          alignedHeadsRow(out, r * f, p0, p1, col, edge, w, heads, x, f, c);
        } else if (spread) {
          spreadHeadsRow(out, r * f, p0, p1, col, edge, w, heads, x, f, c, headMask, shuffles);
        } else {
          for (int h = 0; h < heads; h++) {       // more heads than lanes, each narrower than one
            weightedRow(out, r * f, p0, p1, col, edge, w, heads, h, x, f, h * c, c);
          }
        }
      }
    });
  }

  /**
   * Per-head weights when every vector lies inside one head (C a multiple of the lane count):
   * the whole row in blocks of four vectors, each vector's weight a broadcast of its head's.
   */
  private void alignedHeadsRow(float[] out, int oo, int p0, int p1, int[] col, int[] edge,
                               float[] w, int heads, float[] x, int f, int c) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    int k = 0;
    for (; k + 4 * lanes <= f; k += 4 * lanes) {
      int h0 = k / c;
      int h1 = (k + lanes) / c;
      int h2 = (k + 2 * lanes) / c;
      int h3 = (k + 3 * lanes) / c;
      FloatVector a0 = FloatVector.zero(s);
      FloatVector a1 = FloatVector.zero(s);
      FloatVector a2 = FloatVector.zero(s);
      FloatVector a3 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f + k;
        int wo = edge[p] * heads;
        a0 = FloatVector.fromArray(s, x, xo).fma(FloatVector.broadcast(s, w[wo + h0]), a0);
        a1 = FloatVector.fromArray(s, x, xo + lanes).fma(FloatVector.broadcast(s, w[wo + h1]), a1);
        a2 = FloatVector.fromArray(s, x, xo + 2 * lanes)
            .fma(FloatVector.broadcast(s, w[wo + h2]), a2);
        a3 = FloatVector.fromArray(s, x, xo + 3 * lanes)
            .fma(FloatVector.broadcast(s, w[wo + h3]), a3);
      }
      a0.intoArray(out, oo + k);
      a1.intoArray(out, oo + k + lanes);
      a2.intoArray(out, oo + k + 2 * lanes);
      a3.intoArray(out, oo + k + 3 * lanes);
    }
    for (; k < f; k += lanes) {                          // f is a multiple of lanes here
      int h0 = k / c;
      FloatVector a0 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        FloatVector wv = FloatVector.broadcast(s, w[edge[p] * heads + h0]);
        a0 = FloatVector.fromArray(s, x, col[p] * f + k).fma(wv, a0);
      }
      a0.intoArray(out, oo + k);
    }
  }

  /**
   * Per-head weights when heads are narrower than (or straddle) a vector, e.g. GAT's H=8, C=8,
   * with H <= lanes: the edge's H weights are loaded once (masked) and spread to the lanes by
   * a fixed permutation per vector ({@code shuffles[v]} lane l -> head (v*lanes + l) / C), so the
   * row is walked once with the accumulators in registers. Columns past the last whole vector
   * are done in scalar code.
   */
  private void spreadHeadsRow(float[] out, int oo, int p0, int p1, int[] col, int[] edge,
                              float[] w, int heads, float[] x, int f, int c,
                              VectorMask<Float> headMask, VectorShuffle<Float>[] shuffles) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    int k = 0;
    for (; k + 2 * lanes <= f; k += 2 * lanes) {
      VectorShuffle<Float> s0 = shuffles[k / lanes];
      VectorShuffle<Float> s1 = shuffles[k / lanes + 1];
      FloatVector a0 = FloatVector.zero(s);
      FloatVector a1 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f + k;
        FloatVector wh = FloatVector.fromArray(s, w, edge[p] * heads, headMask);
        a0 = FloatVector.fromArray(s, x, xo).fma(wh.rearrange(s0), a0);
        a1 = FloatVector.fromArray(s, x, xo + lanes).fma(wh.rearrange(s1), a1);
      }
      a0.intoArray(out, oo + k);
      a1.intoArray(out, oo + k + lanes);
    }
    for (; k + lanes <= f; k += lanes) {
      VectorShuffle<Float> s0 = shuffles[k / lanes];
      FloatVector a0 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        FloatVector wh = FloatVector.fromArray(s, w, edge[p] * heads, headMask);
        a0 = FloatVector.fromArray(s, x, col[p] * f + k).fma(wh.rearrange(s0), a0);
      }
      a0.intoArray(out, oo + k);
    }
    if (k < f) {
      for (int j = k; j < f; j++) out[oo + j] = 0f;
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f;
        int wo = edge[p] * heads;
        for (int j = k; j < f; j++) out[oo + j] += w[wo + j / c] * x[xo + j];
      }
    }
  }

  /**
   * out[oo .. oo + f) = sum over positions p in [p0, p1) of x[col[p]*f ..]. Columns go in blocks
   * of four vectors (the accumulators stay in registers across all of the row's edges), then
   * single vectors, then scalars. Kept free of branches inside the edge loop so C2 keeps the
   * vectors in registers instead of boxing them.
   */
  private void sumRow(float[] out, int oo, int p0, int p1, int[] col, float[] x, int f) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    int k = 0;
    for (; k + 4 * lanes <= f; k += 4 * lanes) {
      FloatVector a0 = FloatVector.zero(s);
      FloatVector a1 = FloatVector.zero(s);
      FloatVector a2 = FloatVector.zero(s);
      FloatVector a3 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f + k;
        a0 = a0.add(FloatVector.fromArray(s, x, xo));
        a1 = a1.add(FloatVector.fromArray(s, x, xo + lanes));
        a2 = a2.add(FloatVector.fromArray(s, x, xo + 2 * lanes));
        a3 = a3.add(FloatVector.fromArray(s, x, xo + 3 * lanes));
      }
      a0.intoArray(out, oo + k);
      a1.intoArray(out, oo + k + lanes);
      a2.intoArray(out, oo + k + 2 * lanes);
      a3.intoArray(out, oo + k + 3 * lanes);
    }
    for (; k + lanes <= f; k += lanes) {
      FloatVector a0 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) a0 = a0.add(FloatVector.fromArray(s, x, col[p] * f + k));
      a0.intoArray(out, oo + k);
    }
    if (k < f) {
      for (int j = k; j < f; j++) out[oo + j] = 0f;
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f;
        for (int j = k; j < f; j++) out[oo + j] += x[xo + j];
      }
    }
  }

  /**
   * out[oo + base .. + len) = sum over positions p in [p0, p1) of w[edge[p]*heads + h] *
   * x[col[p]*f + base ..]: one head's slice of a weighted row, blocked like {@link #sumRow}.
   */
  private void weightedRow(float[] out, int oo, int p0, int p1, int[] col, int[] edge,
                           float[] w, int heads, int h, float[] x, int f, int base, int len) {
    VectorSpecies<Float> s = SPECIES;
    int lanes = s.length();
    int end = base + len;
    int k = base;
    for (; k + 4 * lanes <= end; k += 4 * lanes) {
      FloatVector a0 = FloatVector.zero(s);
      FloatVector a1 = FloatVector.zero(s);
      FloatVector a2 = FloatVector.zero(s);
      FloatVector a3 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f + k;
        FloatVector wv = FloatVector.broadcast(s, w[edge[p] * heads + h]);
        a0 = FloatVector.fromArray(s, x, xo).fma(wv, a0);
        a1 = FloatVector.fromArray(s, x, xo + lanes).fma(wv, a1);
        a2 = FloatVector.fromArray(s, x, xo + 2 * lanes).fma(wv, a2);
        a3 = FloatVector.fromArray(s, x, xo + 3 * lanes).fma(wv, a3);
      }
      a0.intoArray(out, oo + k);
      a1.intoArray(out, oo + k + lanes);
      a2.intoArray(out, oo + k + 2 * lanes);
      a3.intoArray(out, oo + k + 3 * lanes);
    }
    for (; k + lanes <= end; k += lanes) {
      FloatVector a0 = FloatVector.zero(s);
      for (int p = p0; p < p1; p++) {
        FloatVector wv = FloatVector.broadcast(s, w[edge[p] * heads + h]);
        a0 = FloatVector.fromArray(s, x, col[p] * f + k).fma(wv, a0);
      }
      a0.intoArray(out, oo + k);
    }
    if (k < end) {
      for (int j = k; j < end; j++) out[oo + j] = 0f;
      for (int p = p0; p < p1; p++) {
        int xo = col[p] * f;
        float wv = w[edge[p] * heads + h];
        for (int j = k; j < end; j++) out[oo + j] += wv * x[xo + j];
      }
    }
  }

  @Override
  public void sddmmCoo(float[] out, int[] src, int[] dst, float[] a, float[] b, int edges,
                       int heads, int c, Parallel par) {
    int f = heads * c;
    par.forRange(edges, Math.max(1, 16384 / Math.max(1, f)), (chunk, e0, e1) -> {
      VectorSpecies<Float> s = SPECIES;
      int lanes = s.length();
      int upper = s.loopBound(c);
      // laneSums: [lanes]; reduceLanes(ADD) may add lanes in a different order once C2 compiles
      // it than in the interpreter, which would change bits between runs, so sum in lane order
      float[] laneSums = new float[lanes];
      for (int e = e0; e < e1; e++) {
        for (int h = 0; h < heads; h++) {
          int ao = src[e] * f + h * c;
          int bo = dst[e] * f + h * c;
          float sum = 0f;
          int k = 0;
          if (upper > 0) {
            FloatVector acc = FloatVector.zero(s);
            for (; k < upper; k += lanes) {
              acc = FloatVector.fromArray(s, a, ao + k)
                  .fma(FloatVector.fromArray(s, b, bo + k), acc);
            }
            acc.intoArray(laneSums, 0);
            for (int l = 0; l < lanes; l++) sum += laneSums[l];
          }
          for (; k < c; k++) sum += a[ao + k] * b[bo + k];
          out[e * heads + h] = sum;
        }
      }
    });
  }
}
