package org.gnn4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.tensor.Tensor;

/**
 * Checks an op's analytic gradients against central finite differences. The scalar loss is
 * {@code sum(f(inputs) * r)} with a fixed random projection r, so every output element matters
 * and no other op is needed to reduce. Failures print the input, element, both values and seed.
 */
public final class GradCheck {
  private final double eps;
  private final double atol;
  private final double rtol;
  private final int maxElementsPerInput;

  private GradCheck(double eps, double atol, double rtol, int maxElementsPerInput) {
    this.eps = eps;
    this.atol = atol;
    this.rtol = rtol;
    this.maxElementsPerInput = maxElementsPerInput;
  }

  /** Defaults for float32: step 1e-2, atol 2e-3, rtol 2e-2, at most 64 probed elements. */
  public static GradCheck defaults() {
    return new GradCheck(1e-2, 2e-3, 2e-2, 64);
  }

  public GradCheck eps(double v) {
    return new GradCheck(v, atol, rtol, maxElementsPerInput);
  }

  public GradCheck tolerance(double absolute, double relative) {
    return new GradCheck(eps, absolute, relative, maxElementsPerInput);
  }

  public GradCheck maxElements(int n) {
    return new GradCheck(eps, atol, rtol, n);
  }

  /**
   * Checks d loss / d input for every input with requiresGrad. Inputs must be leaves.
   *
   * @param what names the case in failure messages
   * @param seed seeds the projection r and the probed elements
   */
  public void check(String what, long seed, Function<Tensor[], Tensor> f, Tensor... inputs) {
    for (Tensor in : inputs) in.zeroGrad();
    Tensor out = f.apply(inputs);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] r = new float[out.numel()];
    for (int i = 0; i < r.length; i++) r[i] = (float) (rnd.nextDouble() * 2 - 1);
    if (r.length == 0) return;
    Autograd.backward(out, r);
    for (int t = 0; t < inputs.length; t++) {
      Tensor in = inputs[t];
      if (!in.requiresGrad()) continue;
      float[] analytic = in.gradArray();
      if (analytic == null) analytic = new float[in.numel()];
      float[] x = in.data();
      int n = x.length;
      int probes = Math.min(n, maxElementsPerInput);
      for (int p = 0; p < probes; p++) {
        int i = probes == n ? p : rnd.nextInt(n);
        float orig = x[i];
        double h = eps * Math.max(1.0, Math.abs(orig));
        x[i] = (float) (orig + h);
        double plus = loss(f, inputs, r);
        x[i] = (float) (orig - h);
        double minus = loss(f, inputs, r);
        x[i] = orig;
        double hEff = ((double) (float) (orig + h) - (double) (float) (orig - h)) / 2;
        double numeric = (plus - minus) / (2 * hEff);
        double got = analytic[i];
        double tol = atol + rtol * Math.max(Math.abs(numeric), Math.abs(got));
        if (!(Math.abs(numeric - got) <= tol)) {
          fail(what + ": d loss / d input" + t + "[" + i + "] analytic " + got + " vs numeric "
              + numeric + " (|diff| " + Math.abs(numeric - got) + " > tol " + tol + "; input"
              + " shape " + in.shape() + ", seed " + seed + ")");
        }
      }
    }
  }

  private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] r) {
    Tensor out;
    try (var s = inputs[0].ctx().noGrad()) {
      out = f.apply(inputs);
    }
    float[] o = out.data();
    double sum = 0;
    for (int i = 0; i < o.length; i++) sum += (double) o[i] * r[i];
    return sum;
  }
}
