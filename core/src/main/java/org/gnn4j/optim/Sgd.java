package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * Stochastic gradient descent as torch.optim.SGD: L2 weight decay added to the gradient, then
 * optional momentum (buffer b = g on the first step, b = μ·b + (1 − dampening)·g after), with
 * Nesterov's variant using g + μ·b as the step direction. Updates parameters in place.
 */
public final class Sgd implements Optimizer {
  /** Hyper-parameters; torch's defaults are all zero and no Nesterov. */
  public record Config(float lr, float momentum, float dampening, float weightDecay,
                       boolean nesterov) {
    public Config {
      OptimState.checkLr("Sgd", lr);
      if (!(momentum >= 0)) {
        throw new IllegalArgumentException("Sgd: momentum must be >= 0 (got " + momentum + ")");
      }
      if (!(weightDecay >= 0)) {
        throw new IllegalArgumentException("Sgd: weightDecay must be >= 0 (got " + weightDecay + ")");
      }
      if (nesterov && (momentum <= 0 || dampening != 0)) {
        throw new IllegalArgumentException("Sgd: nesterov needs momentum > 0 and dampening 0 (got"
            + " momentum " + momentum + ", dampening " + dampening + ")");
      }
    }

    public static Config of(float lr) {
      return new Config(lr, 0f, 0f, 0f, false);
    }

    public static Config of(float lr, float momentum, float weightDecay, boolean nesterov) {
      return new Config(lr, momentum, 0f, weightDecay, nesterov);
    }
  }

  private final List<Tensor> params;
  private final Config cfg;
  private final List<String> buffers;
  private final float[][] momentum;   // momentum[i]: like params[i]; unused when momentum == 0
  private float lr;
  private long step;

  public Sgd(List<Tensor> params, Config cfg) {
    this.params = OptimState.leaves(params);
    this.cfg = cfg;
    this.buffers = cfg.momentum() == 0 ? List.of() : List.of("momentum_buffer");
    this.momentum = cfg.momentum() == 0 ? new float[0][] : OptimState.zerosLike(this.params);
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
    float mu = cfg.momentum();
    float wd = cfg.weightDecay();
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      float[] g = p.gradArray();
      if (g == null) continue;
      float[] w = p.data();
      float[] b = mu == 0 ? null : momentum[i];
      for (int j = 0; j < w.length; j++) {
        float d = g[j];
        if (wd != 0) d += wd * w[j];
        if (b != null) {
          // torch starts the buffer at the first gradient, without dampening
          b[j] = step == 1 ? d : mu * b[j] + (1 - cfg.dampening()) * d;
          d = cfg.nesterov() ? d + mu * b[j] : b[j];
        }
        w[j] -= lr * d;
      }
    }
  }

  @Override
  public float lr() {
    return lr;
  }

  @Override
  public void setLr(float lr) {
    OptimState.checkLr("Sgd", lr);
    this.lr = lr;
  }

  @Override
  public Map<String, float[]> state() {
    return OptimState.export(step, lr, buffers, momentum);
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    OptimState.validate("Sgd", state, params, buffers);
    step = OptimState.decodeStep(state.get("step"));
    lr = state.get("lr")[0];
    if (!buffers.isEmpty()) OptimState.copyInto(state, "momentum_buffer", momentum);
  }
}
