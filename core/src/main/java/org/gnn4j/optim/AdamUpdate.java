package org.gnn4j.optim;

/**
 * The Adam update of one parameter array, shared by {@link Adam} and {@link AdamW} so the two
 * differ only in where weight decay enters (torch.optim.Adam / AdamW, non-amsgrad path).
 */
final class AdamUpdate {
  private AdamUpdate() {}

  /**
   * Updates {@code w}, {@code m}, {@code v} in place for step {@code t >= 1}.
   *
   * @param decoupled AdamW: w *= 1 - lr*wd before the update; otherwise L2: g += wd*w
   */
  static void apply(float[] w, float[] g, float[] m, float[] v, long t, float lr, float beta1,
                    float beta2, float eps, float wd, boolean decoupled) {
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2 = 1 - Math.pow(beta2, t);
    float stepSize = (float) (lr / bc1);
    float bc2Sqrt = (float) Math.sqrt(bc2);
    // torch computes the decay factor as a Python float, then applies it to float32 weights
    float decay = (float) (1 - (double) lr * wd);
    boolean l2 = wd != 0 && !decoupled;
    boolean shrink = wd != 0 && decoupled;
    for (int j = 0; j < w.length; j++) {
      float gj = g[j];
      if (l2) gj += wd * w[j];
      if (shrink) w[j] *= decay;
      m[j] = beta1 * m[j] + (1 - beta1) * gj;
      v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
      // w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)
      w[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) / bc2Sqrt + eps);
    }
  }
}
