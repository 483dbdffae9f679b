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
 * never a fused multiply-add. The fused-projection loops ({@link GineKernels#forwardProjected},
 * {@link GineKernels#backwardProjected}) build each edge's projection in registers, a product
 * then a sum per input column as the reference does. Every output is the scalar reference's bit
 * for bit (a NaN message counts as zero in both).
 */
final class VectorGine implements GineKernels {
  static final VectorGine INSTANCE = new VectorGine();
  /** A constant species, so C2 compiles the calls to SIMD instructions (see VectorGraphKernels). */
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
    par.forBounds(Parallel.balancedBounds(rowPtr, n, par.threads()), (c, from, to) -> {
      for (int i = from; i < to; i++) {
        projectedRow(out, i * f, x, attr, wT, b, rowPtr[i], rowPtr[i + 1], edge, src, f, d);
      }
    });
  }

  /**
   * One target row of {@link #forwardProjected}: per block of lanes, each in-edge's projection
   * b + sum_t a_t wT[t] is built in a register (a product then a sum per t, the reference's
   * order and rounding) and its ReLU added to the row's accumulator, in edge order. The
   * projection is written inline here and in edgeBackward: a vector or mask passed to a call C2
   * does not inline is boxed on the heap, once per edge.
   */
  private static void projectedRow(float[] out, int o, float[] x, float[] attr, float[] wT,
                                   float[] b, int p0, int p1, int[] edge, int[] src, int f,
                                   int d) {
    for (int j = 0; j < f; j += SPECIES.length()) {
      VectorMask<Float> m = SPECIES.indexInRange(j, f);
      FloatVector acc = FloatVector.fromArray(SPECIES, out, o + j, m);   // zero on entry
      FloatVector bias = b == null ? FloatVector.zero(SPECIES)
          : FloatVector.fromArray(SPECIES, b, j, m);
      for (int p = p0; p < p1; p++) {
        int k = edge[p];
        FloatVector e = bias;                             // inline: no vector crosses a call
        for (int t = 0, a = k * d; t < d; t++) {
          e = e.add(FloatVector.fromArray(SPECIES, wT, t * f + j, m).mul(attr[a + t]));
        }
        FloatVector v = FloatVector.fromArray(SPECIES, x, src[k] * f + j, m).add(e);
        acc = acc.add(v, v.compare(VectorOperators.GT, 0f));
      }
      acc.intoArray(out, o + j, m);
    }
  }

  /**
   * The reference's loop on vectors, with the same bits: per source row and out-edge, the
   * edge's dE = mask * dOut[dst] is made lanes at a time and used at once for dx and the
   * chunk's float partials of dW and db (flushed to double every {@link #FLUSH_EDGES} edges, as
   * the reference does); dAttr[t] = sum_j w[j, t] dE[j] runs over t in the lanes and over j in
   * order, so each lane repeats the reference's sequential sum.
   */
  @Override
  public void backwardProjected(float[] dx, float[] dAttr, float[] dWT, float[] db, float[] dOut,
      float[] x, float[] attr, float[] wT, float[] b, int[] rowPtrBySrc, int[] edgeBySrc,
      int[] dst, int n, int f, int d, Parallel par) {
    int[] bounds = Parallel.balancedBounds(rowPtrBySrc, n, par.threads());
    int chunks = bounds.length - 1;
    boolean params = dWT != null || db != null;
    double[] accW = params ? new double[chunks * d * f] : null;   // per chunk: [d, f]
    double[] accB = params ? new double[chunks * f] : null;       // per chunk: [f]
    float[] w = new float[f * d];                                 // w: [f, d], wT transposed back
    for (int t = 0; t < d; t++) {
      for (int j = 0; j < f; j++) w[j * d + t] = wT[t * f + j];
    }
    par.forBounds(bounds, (c, from, to) -> {
      float[] g = new float[f];                           // g: [f] the edge's dE
      float[] blockW = params ? new float[d * f] : null;  // float partials, flushed to double
      float[] blockB = params ? new float[f] : null;
      int inBlock = 0;
      for (int i = from; i < to; i++) {
        for (int p = rowPtrBySrc[i]; p < rowPtrBySrc[i + 1]; p++) {
          int k = edgeBySrc[p];
          edgeBackward(g, dx, blockW, blockB, dOut, x, attr, wT, b, i * f, dst[k] * f, k * d,
              f, d);
          if (dAttr != null) attrGrad(dAttr, k * d, w, g, f, d);
          if (params && ++inBlock == FLUSH_EDGES) {
            flush(accW, c * d * f, blockW);
            flush(accB, c * f, blockB);
            inBlock = 0;
          }
        }
      }
      if (params) {
        flush(accW, c * d * f, blockW);
        flush(accB, c * f, blockB);
      }
    });
    if (dWT != null) sumChunks(dWT, accW, chunks);
    if (db != null) sumChunks(db, accB, chunks);
  }

  /** Edges summed in float before a flush into the double partials: the reference's bound. */
  private static final int FLUSH_EDGES = 256;

  /**
   * g = dE of one edge (source row xs, target row gs, attribute row aOff), added to dx[xs] and
   * to the float partials of dW (blockW, [d, f]) and db; any of those may be null. Two methods,
   * each small enough for C1: as one, C1 ran out of registers compiling it, the method stayed
   * at its lowest tier, never reached C2, and every vector operation in it was a heap object.
   */
  private static void edgeBackward(float[] g, float[] dx, float[] blockW, float[] blockB,
                                   float[] dOut, float[] x, float[] attr, float[] wT, float[] b,
                                   int xs, int gs, int aOff, int f, int d) {
    edgeGrad(g, dOut, x, attr, wT, b, xs, gs, aOff, f, d);
    if (dx != null || blockW != null) addEdgeGrad(g, dx, blockW, blockB, attr, xs, aOff, f, d);
  }

  /** g = dE of one edge: dOut[gs] where x[xs] + b + sum_t a_t wT[t] > 0, else 0. */
  private static void edgeGrad(float[] g, float[] dOut, float[] x, float[] attr, float[] wT,
                               float[] b, int xs, int gs, int aOff, int f, int d) {
    FloatVector zero = FloatVector.zero(SPECIES);
    for (int j = 0; j < f; j += SPECIES.length()) {
      VectorMask<Float> m = SPECIES.indexInRange(j, f);
      FloatVector e = b == null ? zero : FloatVector.fromArray(SPECIES, b, j, m);
      for (int t = 0; t < d; t++) {
        e = e.add(FloatVector.fromArray(SPECIES, wT, t * f + j, m).mul(attr[aOff + t]));
      }
      FloatVector v = FloatVector.fromArray(SPECIES, x, xs + j, m).add(e);
      zero.blend(FloatVector.fromArray(SPECIES, dOut, gs + j, m), v.compare(VectorOperators.GT, 0f))
          .intoArray(g, j, m);
    }
  }

  /** dx[xs] += g; blockW[t] += g a_t and blockB += g (when blockW is not null). */
  private static void addEdgeGrad(float[] g, float[] dx, float[] blockW, float[] blockB,
                                  float[] attr, int xs, int aOff, int f, int d) {
    for (int j = 0; j < f; j += SPECIES.length()) {
      VectorMask<Float> m = SPECIES.indexInRange(j, f);
      FloatVector gv = FloatVector.fromArray(SPECIES, g, j, m);
      if (dx != null) {
        FloatVector.fromArray(SPECIES, dx, xs + j, m).add(gv).intoArray(dx, xs + j, m);
      }
      if (blockW != null) {
        for (int t = 0; t < d; t++) {
          int r = t * f + j;
          FloatVector.fromArray(SPECIES, blockW, r, m).add(gv.mul(attr[aOff + t]))
              .intoArray(blockW, r, m);
        }
        FloatVector.fromArray(SPECIES, blockB, j, m).add(gv).intoArray(blockB, j, m);
      }
    }
  }

  /** dAttr[aOff + t] = sum_j w[j, t] g[j] for every t, j in order (lanes over t). */
  private static void attrGrad(float[] dAttr, int aOff, float[] w, float[] g, int f, int d) {
    for (int t = 0; t < d; t += SPECIES.length()) {
      VectorMask<Float> m = SPECIES.indexInRange(t, d);
      FloatVector sum = FloatVector.zero(SPECIES);
      for (int j = 0; j < f; j++) {
        sum = sum.add(FloatVector.fromArray(SPECIES, w, j * d + t, m).mul(g[j]));
      }
      sum.intoArray(dAttr, aOff + t, m);
    }
  }

  private static void flush(double[] acc, int off, float[] block) {
    for (int j = 0; j < block.length; j++) {
      acc[off + j] += block[j];
      block[j] = 0f;
    }
  }

  private static void sumChunks(float[] dst, double[] acc, int chunks) {
    int len = dst.length;
    for (int j = 0; j < len; j++) {
      double v = 0;
      for (int c = 0; c < chunks; c++) v += acc[c * len + j];
      dst[j] = (float) v;
    }
  }
}
