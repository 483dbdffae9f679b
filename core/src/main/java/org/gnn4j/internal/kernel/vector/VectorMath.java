package org.gnn4j.internal.kernel.vector;

import static org.gnn4j.internal.kernel.ElementwiseKernels.ELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.EXP;
import static org.gnn4j.internal.kernel.ElementwiseKernels.GELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LEAKY_RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.LOG;
import static org.gnn4j.internal.kernel.ElementwiseKernels.RELU;
import static org.gnn4j.internal.kernel.ElementwiseKernels.SIGMOID;
import static org.gnn4j.internal.kernel.ElementwiseKernels.TANH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gnn4j.internal.kernel.MathKernels;
import org.gnn4j.internal.kernel.SignMask;

/**
 * {@link MathKernels} on the Vector API: lanewise EXP/LOG/TANH/EXPM1 (the JDK's vectorised
 * math stubs, ~1 ulp) in float. Range tails run the same code under a lane mask, so an
 * element's value never depends on where a parallel chunk starts. Gelu evaluates the erfc
 * formula of {@code Erf.erfc} in float with exp(P(t) - z^2) split as
 * exp(P(t)) exp(-z^2) (1 - err), err the exact rounding error of z^2 (from an fma), which keeps
 * its relative error near float's ulp even deep in the tail.
 */
// Exponentials and lane sums go through Lanes (bit-stable across JIT tiers). LOG, TANH and EXPM1
// below still use VectorOperators, whose results may differ in the last bits between the
// interpreter and C2: a known gap for log/tanh/elu, to be replaced by Lanes-style versions.
public final class VectorMath implements MathKernels {
  private static final float INV_SQRT_2 = 0.70710678f;
  private static final float INV_SQRT_2PI = 0.39894228f;
  // A constant species: C2 only turns vector code into registers when the shape is known at
  // compile time; an instance field makes it box every intermediate vector.
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private final String name = "vector(" + S.vectorBitSize() + "-bit)";

  private VectorMath() {}

  /** Called reflectively by {@code MathKernels}. */
  public static MathKernels create() {
    return new VectorMath();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void activation(int op, float[] out, float[] x, float p, int from, int to) {
    switch (op) {
      case RELU -> leakyRelu(out, x, 0f, from, to);
      case LEAKY_RELU -> leakyRelu(out, x, p, from, to);
      case EXP -> exp(out, x, from, to);
      case LOG -> log(out, x, from, to);
      case TANH -> tanh(out, x, from, to);
      case SIGMOID -> sigmoid(out, x, from, to);
      case ELU -> elu(out, x, p, from, to);
      case GELU -> gelu(out, x, from, to);
      default -> throw new AssertionError("activation op " + op);
    }
  }

  // One loop per op so each stays small enough for C2 to inline every vector call. The tail
  // runs the same math under a lane mask.

  private static void exp(float[] out, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      Lanes.exp(FloatVector.fromArray(S, x, i)).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      Lanes.exp(FloatVector.fromArray(S, x, i, m)).intoArray(out, i, m);
    }
  }

  private static void log(float[] out, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      FloatVector.fromArray(S, x, i).lanewise(VectorOperators.LOG).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      FloatVector.fromArray(S, x, i, m).lanewise(VectorOperators.LOG).intoArray(out, i, m);
    }
  }

  // max(x, 0) + slope min(x, 0), the scalar reference's formula, so both kernel sets agree to the
  // bit; relu (slope 0) skips the second term so that relu(-inf) is 0, not 0 * -inf = NaN. Plain
  // loops on purpose: C2 vectorizes them as well as the Vector API would, and until C2 has compiled
  // a Vector API loop every lane operation allocates, which made a relu over a [10k, 64] tensor
  // take several milliseconds in the first steps of a run (profiles of the gin workload).
  private static void leakyRelu(float[] out, float[] x, float slope, int from, int to) {
    if (slope == 0f) {
      for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f);
    } else {
      for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f) + slope * Math.min(x[i], 0f);
    }
  }

  private static void tanh(float[] out, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      FloatVector.fromArray(S, x, i, m).lanewise(VectorOperators.TANH).intoArray(out, i, m);
    }
  }

  // 1 / (1 + e^-x): e^-x = inf for very negative x gives 0, as it should
  private static FloatVector sigmoid(FloatVector v) {
    return FloatVector.broadcast(S, 1f).div(Lanes.exp(v.neg()).add(1f));
  }

  private static void sigmoid(float[] out, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      sigmoid(FloatVector.fromArray(S, x, i)).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      sigmoid(FloatVector.fromArray(S, x, i, m)).intoArray(out, i, m);
    }
  }

  private static FloatVector elu(FloatVector v, float alpha) {
    return v.lanewise(VectorOperators.EXPM1).mul(alpha)
        .blend(v, v.compare(VectorOperators.GT, 0f));
  }

  private static void elu(float[] out, float[] x, float alpha, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      elu(FloatVector.fromArray(S, x, i), alpha).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      elu(FloatVector.fromArray(S, x, i, m), alpha).intoArray(out, i, m);
    }
  }

  private static void gelu(float[] out, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      v.mul(normalCdf(v)).intoArray(out, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      FloatVector v = FloatVector.fromArray(S, x, i, m);
      v.mul(normalCdf(v)).intoArray(out, i, m);
    }
  }

  private static FloatVector bc(float c) {
    return FloatVector.broadcast(S, c);
  }

  /** Phi(x) per lane = erfc(-x / sqrt 2) / 2, by the Numerical Recipes erfc formula. */
  private static FloatVector normalCdf(FloatVector x) {
    FloatVector z = x.abs().mul(INV_SQRT_2);
    FloatVector t = bc(1f).div(z.fma(0.5f, 1f));            // t = 1 / (1 + z/2)
    // P(t) by Horner: poly = poly * t + c, from the highest coefficient down
    FloatVector poly = t.mul(0.17087277f).add(-0.82215223f);
    poly = poly.fma(t, bc(1.48851587f));
    poly = poly.fma(t, bc(-1.13520398f));
    poly = poly.fma(t, bc(0.27886807f));
    poly = poly.fma(t, bc(-0.18628806f));
    poly = poly.fma(t, bc(0.09678418f));
    poly = poly.fma(t, bc(0.37409196f));
    poly = poly.fma(t, bc(1.00002368f));
    poly = poly.fma(t, bc(-1.26551223f));
    FloatVector z2 = z.mul(z);
    FloatVector err = z.fma(z, z2.neg());                  // z*z - z2 exactly
    // r = erfc(|x| / sqrt 2) = t exp(P(t) - z^2) ~= t e^P e^-z2 (1 - err)
    FloatVector r = t.mul(Lanes.exp(poly))
        .mul(Lanes.exp(z2.neg())).mul(err.neg().add(1f));
    FloatVector half = r.mul(0.5f);
    // x >= 0: Phi = 1 - r/2; x < 0: Phi = r/2
    return half.neg().add(1f).blend(half, x.compare(VectorOperators.LT, 0f));
  }

  @Override
  public void activationBackward(int op, float[] dx, float[] g, float[] x, float[] y, float p,
                                 int from, int to) {
    switch (op) {
      case RELU -> piecewiseBackward(dx, g, x, null, 0f, false, from, to);
      case LEAKY_RELU -> piecewiseBackward(dx, g, x, null, p, false, from, to);
      case ELU -> piecewiseBackward(dx, g, x, y, p, true, from, to);
      case GELU -> geluBackward(dx, g, x, from, to);
      default -> throw new AssertionError("activation backward op " + op);
    }
  }

  /**
   * dx = g where x > 0, else g * k with k = slope (relu, leaky relu) or y + alpha (elu, where
   * y' = alpha e^x = y + alpha): the scalar reference's rule, bit for bit (NaN x counts as not
   * positive), but without its branch. Scalar loops, so the first steps of a run do not wait for
   * C2 to compile a Vector API loop (see leakyRelu); and branch-free, because on a layer's
   * pre-activations the sign of x is a coin toss, and the reference's {@code x > 0 ? g : ...}
   * became a mispredicted branch per element that C2 does not vectorize.
   */
  private static void piecewiseBackward(float[] dx, float[] g, float[] x, float[] y, float p,
                                        boolean elu, int from, int to) {
    if (elu) {
      for (int i = from; i < to; i++) {
        int notPositive = SignMask.notPositive(x[i]);
        dx[i] = g[i] * Float.intBitsToFloat((ONE_BITS & ~notPositive)
            | (Float.floatToRawIntBits(y[i] + p) & notPositive));
      }
    } else if (p == 0f) {
      for (int i = from; i < to; i++) {
        dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & ~SignMask.notPositive(x[i]));
      }
    } else {
      int slope = Float.floatToRawIntBits(p);
      for (int i = from; i < to; i++) {
        int notPositive = SignMask.notPositive(x[i]);
        dx[i] = g[i] * Float.intBitsToFloat((ONE_BITS & ~notPositive) | (slope & notPositive));
      }
    }
  }

  private static final int ONE_BITS = Float.floatToRawIntBits(1f);

  private static void geluBackward(float[] dx, float[] g, float[] x, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
      geluGrad(FloatVector.fromArray(S, x, i)).mul(FloatVector.fromArray(S, g, i)).intoArray(dx, i);
    }
    if (i < to) {
      VectorMask<Float> m = S.indexInRange(i, to);
      geluGrad(FloatVector.fromArray(S, x, i, m)).mul(FloatVector.fromArray(S, g, i, m))
          .intoArray(dx, i, m);
    }
  }

  /** (x Phi(x))' = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi). */
  private static FloatVector geluGrad(FloatVector v) {
    FloatVector pdf = Lanes.exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI);
    return v.fma(pdf, normalCdf(v));
  }

  @Override
  public void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
    FloatVector av = FloatVector.broadcast(S, a);
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      FloatVector.fromArray(S, x, xOff + j)
          .fma(av, FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
    }
    // the tail rounds like the lanes (one fma), so a value does not depend on its position
    for (; j < n; j++) y[yOff + j] = Math.fma(a, x[xOff + j], y[yOff + j]);
  }

  @Override
  public double sum(float[] x, int off, int n) {
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      acc = acc.add(FloatVector.fromArray(S, x, off + j));
    }
    double s = Lanes.sum(acc);
    for (; j < n; j++) s += x[off + j];
    return s;
  }

  @Override
  public double sumSquaredDeviations(float[] x, int off, int n, float mean) {
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      FloatVector d = FloatVector.fromArray(S, x, off + j).sub(mean);
      acc = d.fma(d, acc);
    }
    double v = Lanes.sum(acc);
    for (; j < n; j++) {
      double d = x[off + j] - mean;
      v += d * d;
    }
    return v;
  }

  @Override
  public void normalizeRow(float[] y, float[] x, int off, int n, float mean, float rstd,
                           float[] w, float[] b) {
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      FloatVector h = FloatVector.fromArray(S, x, off + j).sub(mean).mul(rstd);
      if (w != null) h = h.mul(FloatVector.fromArray(S, w, j));
      if (b != null) h = h.add(FloatVector.fromArray(S, b, j));
      h.intoArray(y, off + j);
    }
    for (; j < n; j++) {
      float h = (x[off + j] - mean) * rstd;
      y[off + j] = (w == null ? h : h * w[j]) + (b == null ? 0f : b[j]);
    }
  }

  @Override
  public void layerNormRowBackward(float[] dx, float[] fw, float[] fb, float[] g, float[] x,
                                   int off, int n, float mean, float rstd, float[] w) {
    int upper = S.loopBound(n);
    if (dx != null) {
      FloatVector a1 = FloatVector.zero(S);                // sum dxhat
      FloatVector a2 = FloatVector.zero(S);                // sum dxhat * xhat
      int j = 0;
      for (; j < upper; j += S.length()) {
        FloatVector dh = FloatVector.fromArray(S, g, off + j);
        if (w != null) dh = dh.mul(FloatVector.fromArray(S, w, j));
        FloatVector h = FloatVector.fromArray(S, x, off + j).sub(mean).mul(rstd);
        a1 = a1.add(dh);
        a2 = dh.fma(h, a2);
      }
      double s1 = Lanes.sum(a1);
      double s2 = Lanes.sum(a2);
      for (int t = j; t < n; t++) {
        float dh = w == null ? g[off + t] : g[off + t] * w[t];
        s1 += dh;
        s2 += dh * ((x[off + t] - mean) * rstd);
      }
      float c1 = (float) (s1 / n);
      float c2 = (float) (s2 / n);
      for (j = 0; j < upper; j += S.length()) {
        FloatVector dh = FloatVector.fromArray(S, g, off + j);
        if (w != null) dh = dh.mul(FloatVector.fromArray(S, w, j));
        FloatVector h = FloatVector.fromArray(S, x, off + j).sub(mean).mul(rstd);
        dh.sub(c1).sub(h.mul(c2)).mul(rstd).intoArray(dx, off + j);
      }
      for (; j < n; j++) {
        float dh = w == null ? g[off + j] : g[off + j] * w[j];
        dx[off + j] = rstd * (dh - c1 - (x[off + j] - mean) * rstd * c2);
      }
    }
    if (fw == null && fb == null) return;
    int j = 0;
    for (; j < upper; j += S.length()) {
      FloatVector gv = FloatVector.fromArray(S, g, off + j);
      if (fw != null) {
        FloatVector h = FloatVector.fromArray(S, x, off + j).sub(mean).mul(rstd);
        gv.fma(h, FloatVector.fromArray(S, fw, j)).intoArray(fw, j);
      }
      if (fb != null) gv.add(FloatVector.fromArray(S, fb, j)).intoArray(fb, j);
    }
    for (; j < n; j++) {
      if (fw != null) fw[j] += g[off + j] * ((x[off + j] - mean) * rstd);
      if (fb != null) fb[j] += g[off + j];
    }
  }

  @Override
  public float max(float[] x, int off, int n) {
    FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      acc = acc.max(FloatVector.fromArray(S, x, off + j));
    }
    float m = acc.reduceLanes(VectorOperators.MAX);
    for (; j < n; j++) m = Math.max(m, x[off + j]);
    return m;
  }

  @Override
  public double expSum(float[] y, float[] x, int off, int n, float shift, boolean store) {
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (int upper = S.loopBound(n); j < upper; j += S.length()) {
      FloatVector e = Lanes.exp(FloatVector.fromArray(S, x, off + j).sub(shift));
      if (store) e.intoArray(y, off + j);
      acc = acc.add(e);
    }
    if (j < n) {
      VectorMask<Float> m = S.indexInRange(j, n);
      FloatVector e = Lanes.exp(FloatVector.fromArray(S, x, off + j, m).sub(shift));
      if (store) e.intoArray(y, off + j, m);
      acc = acc.add(e, m);
    }
    return Lanes.sum(acc);
  }

  @Override
  public void normReluAdd(float[] out, float[] x, float[] mean, float[] scale, float[] shift,
      float[] res, int f, int from, int to) {
    int upper = S.loopBound(f);
    for (int r = from; r < to; r++) {
      int o = r * f;
      int j = 0;
      for (; j < upper; j += S.length()) {
        FloatVector v = FloatVector.fromArray(S, x, o + j);
        if (mean != null) {
          v = v.sub(FloatVector.fromArray(S, mean, j)).mul(FloatVector.fromArray(S, scale, j))
              .add(FloatVector.fromArray(S, shift, j));
        }
        v = v.max(0f);
        if (res != null) v = v.add(FloatVector.fromArray(S, res, o + j));
        v.intoArray(out, o + j);
      }
      for (; j < f; j++) {
        float v = mean == null ? x[o + j] : (x[o + j] - mean[j]) * scale[j] + shift[j];
        v = Math.max(v, 0f);
        out[o + j] = res == null ? v : v + res[o + j];
      }
    }
  }
}
