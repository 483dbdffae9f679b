package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba, arXiv:1412.6980) as torch.optim.Adam, and AdamW (Loshchilov &amp;
 * Hutter, arXiv:1711.05101) as torch.optim.AdamW when {@link Config#decoupled()}: with L2 weight
 * decay the decay is added to the gradient; decoupled, the weights shrink by
 * {@code 1 - lr * weightDecay} before the update, so the decay is not rescaled by the adaptive
 * denominator. {@link Config#of} and {@link Config#adamW} give torch's defaults for each. Updates
 * parameters in place; the step count is shared by all parameters and advances on every
 * {@link #step()}. Both variants export the same state (torch's {@code exp_avg},
 * {@code exp_avg_sq}), so a checkpoint of one loads into the other.
 */
public final class Adam implements Optimizer {
  /** Hyper-parameters; {@link #of} (Adam) and {@link #adamW} (AdamW) give torch's defaults. */
  public record Config(float lr, float beta1, float beta2, float eps, float weightDecay,
                       boolean decoupled) {
    public Config {
      String name = decoupled ? "AdamW" : "Adam";
      if (!(lr > 0)) throw new IllegalArgumentException(name + ": lr must be > 0 (got " + lr + ")");
      if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
        throw new IllegalArgumentException(name + ": betas must be in [0, 1) (got " + beta1 + ", "
            + beta2 + ")");
      }
      if (!(eps >= 0)) throw new IllegalArgumentException(name + ": eps must be >= 0 (got " + eps + ")");
      if (!(weightDecay >= 0)) {
        throw new IllegalArgumentException(name + ": weightDecay must be >= 0 (got " + weightDecay
            + ")");
      }
    }

    /** Adam: betas (0.9, 0.999), eps 1e-8, L2 weight decay. */
    public static Config of(float lr, float weightDecay) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    /** AdamW with torch's defaults: betas (0.9, 0.999), eps 1e-8, decoupled weight decay 0.01. */
    public static Config adamW(float lr) {
      return adamW(lr, 0.01f);
    }

    /** AdamW: betas (0.9, 0.999), eps 1e-8, decoupled weight decay. */
    public static Config adamW(float lr, float weightDecay) {
      return new Config(lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }
  }

  private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

  private final Config cfg;
  private final String name;                // "Adam" or "AdamW", for messages
  private final List<Tensor> params;
  private final float[][] m;                // m[i]: [numel of param i] first moments
  private final float[][] v;                // v[i]: [numel of param i] second moments
  private float lr;
  private long step;

  public Adam(List<Tensor> params, Config cfg) {
    this.cfg = cfg;
    this.name = cfg.decoupled() ? "AdamW" : "Adam";
    this.params = OptimState.leaves(params);
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
      update(p.data(), g, m[i], v[i], step, lr, cfg.beta1(), cfg.beta2(), cfg.eps(),
          cfg.weightDecay(), cfg.decoupled());
    }
  }

  /**
   * Updates {@code w}, {@code m}, {@code v} in place for step {@code t >= 1} (torch's
   * non-amsgrad path).
   *
   * @param decoupled AdamW: w *= 1 - lr*wd before the update; otherwise L2: g += wd*w
   */
  private static void update(float[] w, float[] g, float[] m, float[] v, long t, float lr,
                             float beta1, float beta2, float eps, float wd, boolean decoupled) {
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

  @Override
  public float lr() {
    return lr;
  }

  @Override
  public void setLr(float lr) {
    OptimState.checkLr(name, lr);
    this.lr = lr;
  }

  @Override
  public Map<String, float[]> state() {
    return OptimState.export(step, lr, BUFFERS, m, v);
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    OptimState.validate(name, state, params, BUFFERS);
    step = OptimState.decodeStep(state.get("step"));
    lr = state.get("lr")[0];
    OptimState.copyInto(state, "exp_avg", m);
    OptimState.copyInto(state, "exp_avg_sq", v);
  }
}
