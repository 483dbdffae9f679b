package org.gnn4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * Plain-loop double-precision building blocks for the layer references in these tests: written
 * from the equations, sharing no code with the library.
 */
public final class LoopRef {
  private LoopRef() {}

  /** y = x W^T + b for x [rows, in], W [out, in] (torch layout), b [out] or null. */
  public static double[] linear(double[] x, int rows, int in, Tensor w, Tensor b) {
    int out = w.dim(0);
    float[] wd = w.data();
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b.data()[o];
        for (int c = 0; c < in; c++) s += x[r * in + c] * wd[o * in + c];
        y[r * out + o] = s;
      }
    }
    return y;
  }

  /** Row-wise layer norm with biased variance, eps 1e-5, then * w + b. */
  public static double[] layerNorm(double[] x, int rows, int f, Tensor w, Tensor b) {
    double[] y = new double[x.length];
    for (int r = 0; r < rows; r++) {
      double mean = 0;
      for (int c = 0; c < f; c++) mean += x[r * f + c];
      mean /= f;
      double var = 0;
      for (int c = 0; c < f; c++) var += (x[r * f + c] - mean) * (x[r * f + c] - mean);
      var /= f;
      for (int c = 0; c < f; c++) {
        y[r * f + c] = (x[r * f + c] - mean) / Math.sqrt(var + 1e-5) * w.data()[c] + b.data()[c];
      }
    }
    return y;
  }

  public static double[] relu(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = Math.max(0, x[i]);
    return y;
  }

  public static double[] add(double[] a, double[] b) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
    return y;
  }

  public static double[] toDouble(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = x[i];
    return y;
  }

  public static float[] toFloat(double[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
    return y;
  }

  /** Softmax of the given scores (length >= 1) in place. */
  public static void softmax(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) max = Math.max(max, v);
    double z = 0;
    for (int i = 0; i < s.length; i++) z += (s[i] = Math.exp(s[i] - max));
    for (int i = 0; i < s.length; i++) s[i] /= z;
  }

  /** Overwrites every parameter (norm scales and biases included) with N(0, scale^2) values. */
  public static void randomize(Module m, SplittableRandom r, float scale) {
    for (Tensor p : m.parameters()) {
      float[] d = p.data();
      for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * scale;
    }
  }

  /** Parameter by name, failing with the known names if absent. */
  public static Tensor p(Module m, String name) {
    Map<String, Tensor> ps = m.namedParameters();
    Tensor t = ps.get(name);
    if (t == null) throw new AssertionError("no parameter " + name + " in " + ps.keySet());
    return t;
  }

  /** inputs first, then every trainable parameter of m: the leaves of a gradient check. */
  public static Tensor[] leaves(Module m, Tensor... inputs) {
    List<Tensor> l = new ArrayList<>(List.of(inputs));
    l.addAll(m.parameters());
    return l.toArray(Tensor[]::new);
  }
}
