package org.gnn4j.optim;

import java.util.List;
import org.gnn4j.tensor.Tensor;

/**
 * Adam (Kingma & Ba, arXiv:1412.6980) as torch.optim.Adam: weight decay is L2 added to the
 * gradient (use AdamW semantics via {@code decoupled = true}). Updates parameters in place.
 */
public final class Adam {
  /** Hyper-parameters with torch's defaults. */
  public record Config(float lr, float beta1, float beta2, float eps, float weightDecay,
                       boolean decoupled) {
    public Config {
      if (!(lr > 0)) throw new IllegalArgumentException("Adam: lr must be > 0 (got " + lr + ")");
      if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
        throw new IllegalArgumentException("Adam: betas must be in [0, 1) (got " + beta1 + ", "
            + beta2 + ")");
      }
      if (weightDecay < 0) {
        throw new IllegalArgumentException("Adam: weightDecay must be >= 0 (got " + weightDecay
            + ")");
      }
    }

    public static Config of(float lr, float weightDecay) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }
  }

  private final List<Tensor> params;
  private final Config cfg;
  private final float[][] m;
  private final float[][] v;
  private int step;

  public Adam(List<Tensor> params, Config cfg) {
    this.params = List.copyOf(params);
    this.cfg = cfg;
    this.m = new float[params.size()][];
    this.v = new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      m[i] = new float[params.get(i).numel()];
      v[i] = new float[params.get(i).numel()];
    }
  }

  /** Clears every parameter's gradient. */
  public void zeroGrad() {
    for (Tensor p : params) p.zeroGrad();
  }

  /** One update from the current gradients; parameters without a gradient are skipped. */
  public void step() {
    step++;
    double bc1 = 1 - Math.pow(cfg.beta1(), step);
    double bc2 = 1 - Math.pow(cfg.beta2(), step);
    float stepSize = (float) (cfg.lr() / bc1);
    float bc2Sqrt = (float) Math.sqrt(bc2);
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      float[] g = p.gradArray();
      if (g == null) continue;
      float[] w = p.data();
      float[] mi = m[i];
      float[] vi = v[i];
      float wd = cfg.weightDecay();
      for (int j = 0; j < w.length; j++) {
        float gj = g[j];
        if (wd != 0) {
          if (cfg.decoupled()) w[j] -= cfg.lr() * wd * w[j];
          else gj += wd * w[j];
        }
        mi[j] = cfg.beta1() * mi[j] + (1 - cfg.beta1()) * gj;
        vi[j] = cfg.beta2() * vi[j] + (1 - cfg.beta2()) * gj * gj;
        w[j] -= stepSize * mi[j] / ((float) Math.sqrt(vi[j]) / bc2Sqrt + cfg.eps());
      }
    }
  }
}
