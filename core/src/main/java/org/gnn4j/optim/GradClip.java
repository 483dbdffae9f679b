package org.gnn4j.optim;

import java.util.List;
import org.gnn4j.tensor.Tensor;

/**
 * Gradient clipping between backward and the optimizer step, as torch's
 * {@code clip_grad_norm_} and {@code clip_grad_value_}. Parameters without a gradient are
 * skipped. Gradients are changed in place.
 */
public final class GradClip {
  private GradClip() {}

  /**
   * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when that is below 1, where norm is
   * the L2 norm of all gradients taken together (torch's formula, including the 1e-6). A
   * non-finite norm leaves the gradients as they are, so the caller can see it and skip the step.
   *
   * @return the global norm before clipping
   * @throws IllegalArgumentException unless {@code maxNorm > 0}
   */
  public static double clipByGlobalNorm(List<Tensor> params, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be > 0 (got " + maxNorm + ")");
    }
    double sumSq = 0;
    for (Tensor p : params) {
      float[] g = p.gradArray();
      if (g == null) continue;
      for (float x : g) sumSq += (double) x * x;
    }
    double norm = Math.sqrt(sumSq);
    if (!Double.isFinite(norm)) return norm;
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      float c = (float) coef;
      for (Tensor p : params) {
        float[] g = p.gradArray();
        if (g == null) continue;
        for (int i = 0; i < g.length; i++) g[i] *= c;
      }
    }
    return norm;
  }

  /**
   * Clamps every gradient element to {@code [-clipValue, clipValue]} (NaN stays NaN).
   *
   * @throws IllegalArgumentException unless {@code clipValue > 0}
   */
  public static void clipByValue(List<Tensor> params, float clipValue) {
    if (!(clipValue > 0)) {
      throw new IllegalArgumentException("clipByValue: clipValue must be > 0 (got " + clipValue + ")");
    }
    for (Tensor p : params) {
      float[] g = p.gradArray();
      if (g == null) continue;
      for (int i = 0; i < g.length; i++) {
        if (g[i] > clipValue) g[i] = clipValue;
        else if (g[i] < -clipValue) g[i] = -clipValue;
      }
    }
  }
}
