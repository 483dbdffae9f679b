package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * AdamW (Loshchilov &amp; Hutter, arXiv:1711.05101) as torch.optim.AdamW: the weights shrink by
 * {@code 1 - lr * weightDecay} before the Adam update, instead of the decay being added to the
 * gradient, so the decay is not rescaled by the adaptive denominator. Defaults are torch's
 * (betas 0.9, 0.999, eps 1e-8, weight decay 0.01).
 */
public final class AdamW implements Optimizer {
  /** Hyper-parameters; {@link #of(float)} gives torch's defaults. */
  public record Config(float lr, float beta1, float beta2, float eps, float weightDecay) {
    public Config {
      // one home for the checks: Adam's config validates the same ranges
      new Adam.Config(lr, beta1, beta2, eps, weightDecay, true);
    }

    public static Config of(float lr) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, 0.01f);
    }

    public static Config of(float lr, float weightDecay) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, weightDecay);
    }
  }

  private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

  private final List<Tensor> params;
  private final Config cfg;
  private final float[][] m;
  private final float[][] v;
  private float lr;
  private long step;

  public AdamW(List<Tensor> params, Config cfg) {
    this.params = List.copyOf(params);
    this.cfg = cfg;
    this.m = OptimState.zerosLike(this.params);
    this.v = OptimState.zerosLike(this.params);
    this.lr = cfg.lr();
  }

  public Config config() {
    return cfg;
  }

  @Override
  public List<Tensor> params() {
    return params;
  }

  @Override
  public void step() {
    step++;
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      float[] g = p.gradArray();
      if (g == null) continue;
      AdamUpdate.apply(p.data(), g, m[i], v[i], step, lr, cfg.beta1(), cfg.beta2(), cfg.eps(),
          cfg.weightDecay(), true);
    }
  }

  @Override
  public float lr() {
    return lr;
  }

  @Override
  public void setLr(float lr) {
    OptimState.checkLr("AdamW", lr);
    this.lr = lr;
  }

  @Override
  public Map<String, float[]> state() {
    return OptimState.export(step, lr, BUFFERS, m, v);
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    OptimState.validate("AdamW", state, params, BUFFERS);
    step = OptimState.decodeStep(state.get("step"));
    lr = state.get("lr")[0];
    OptimState.copyInto(state, "exp_avg", m);
    OptimState.copyInto(state, "exp_avg_sq", v);
  }
}
