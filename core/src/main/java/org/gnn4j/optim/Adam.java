package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba, arXiv:1412.6980) as torch.optim.Adam: weight decay is L2 added to the
 * gradient. Prefer {@link AdamW} for decoupled weight decay ({@code decoupled = true} here gives
 * the same update and is kept for existing callers). Updates parameters in place; the step count
 * is shared by all parameters and advances on every {@link #step()}.
 */
public final class Adam implements Optimizer {
  /** Hyper-parameters with torch's defaults. */
  public record Config(float lr, float beta1, float beta2, float eps, float weightDecay,
                       boolean decoupled) {
    public Config {
      if (!(lr > 0)) throw new IllegalArgumentException("Adam: lr must be > 0 (got " + lr + ")");
      if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
        throw new IllegalArgumentException("Adam: betas must be in [0, 1) (got " + beta1 + ", "
            + beta2 + ")");
      }
      if (!(eps >= 0)) throw new IllegalArgumentException("Adam: eps must be >= 0 (got " + eps + ")");
      if (!(weightDecay >= 0)) {
        throw new IllegalArgumentException("Adam: weightDecay must be >= 0 (got " + weightDecay
            + ")");
      }
    }

    /** betas (0.9, 0.999), eps 1e-8, L2 weight decay. */
    public static Config of(float lr, float weightDecay) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }
  }

  private final Config cfg;
  private final AdamCore core;

  public Adam(List<Tensor> params, Config cfg) {
    this.cfg = cfg;
    this.core = new AdamCore("Adam", params, cfg.lr());
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
    core.step(cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), cfg.decoupled());
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
