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

  private final Config cfg;
  private final AdamCore core;

  public AdamW(List<Tensor> params, Config cfg) {
    this.cfg = cfg;
    this.core = new AdamCore("AdamW", params, cfg.lr());
  }

  public Config config() {
    return cfg;
  }

  @Override
  public List<Tensor> params() {
    return core.params;
  }

  @Override
  public void step() {
    core.step(cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), true);
  }

  @Override
  public float lr() {
    return core.lr;
  }

  @Override
  public void setLr(float lr) {
    core.setLr(lr);
  }

  @Override
  public Map<String, float[]> state() {
    return core.state();
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    core.loadState(state);
  }
}
