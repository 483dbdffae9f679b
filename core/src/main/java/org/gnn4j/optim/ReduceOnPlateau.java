package org.gnn4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lowers the learning rate when a validation metric stops improving, as torch's
 * {@code ReduceLROnPlateau}: after more than {@code patience} epochs without an improvement
 * beyond {@code threshold}, lr becomes {@code max(lr·factor, minLr)}, then {@code cooldown}
 * epochs pass before bad epochs count again. Call {@link #observe} once per epoch; the small
 * mutable state exports to named numbers for a checkpoint.
 */
public final class ReduceOnPlateau {
  /** Settings; {@link #of(MetricMode)} gives torch's defaults (0.1, 10, 1e-4 rel, 0, 0). */
  public record Config(MetricMode mode, double factor, int patience, double threshold,
                       boolean relativeThreshold, int cooldown, double minLr) {
    public Config {
      if (mode == null) throw new IllegalArgumentException("ReduceOnPlateau: mode is null");
      if (!(factor > 0 && factor < 1)) {
        throw new IllegalArgumentException("ReduceOnPlateau: factor must be in (0, 1) (got "
            + factor + ")");
      }
      if (patience < 0 || cooldown < 0 || !(threshold >= 0) || !(minLr >= 0)) {
        throw new IllegalArgumentException("ReduceOnPlateau: patience, cooldown, threshold and"
            + " minLr must be >= 0 (got " + patience + ", " + cooldown + ", " + threshold + ", "
            + minLr + ")");
      }
    }

    public static Config of(MetricMode mode) {
      return new Config(mode, 0.1, 10, 1e-4, true, 0, 0);
    }
  }

  private final Config cfg;
  private double lr;
  private double best;
  private int badEpochs;
  private int cooldownLeft;
  private long epochs;

  public ReduceOnPlateau(Config cfg, float initialLr) {
    OptimState.checkLr("ReduceOnPlateau", initialLr);
    this.cfg = cfg;
    this.lr = initialLr;
    this.best = cfg.mode().worst();
  }

  /**
   * Records one epoch's metric and returns the learning rate for the next epoch.
   */
  public float observe(double metric) {
    epochs++;
    if (cfg.mode().improves(metric, best, cfg.threshold(), cfg.relativeThreshold())) {
      best = metric;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (cooldownLeft > 0) {
      cooldownLeft--;
      badEpochs = 0;
    }
    if (badEpochs > cfg.patience()) {
      double reduced = Math.max(lr * cfg.factor(), cfg.minLr());
      // torch ignores reductions smaller than 1e-8 (its eps)
      if (lr - reduced > 1e-8) lr = reduced;
      cooldownLeft = cfg.cooldown();
      badEpochs = 0;
    }
    return (float) lr;
  }

  /** Observes and sets the optimizer's learning rate in one call. */
  public void observe(double metric, Optimizer opt) {
    opt.setLr(observe(metric));
  }

  public float lr() {
    return (float) lr;
  }

  public double best() {
    return best;
  }

  public Config config() {
    return cfg;
  }

  /** lr, best, bad epochs, cooldown left and epochs seen, by name (doubles round-trip exactly). */
  public Map<String, Double> state() {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("lr", lr);
    s.put("best", best);
    s.put("num_bad_epochs", (double) badEpochs);
    s.put("cooldown_counter", (double) cooldownLeft);
    s.put("last_epoch", (double) epochs);
    return s;
  }

  /**
   * Restores {@link #state()}.
   *
   * @throws IllegalArgumentException naming a missing entry
   */
  public void loadState(Map<String, Double> s) {
    for (String k : state().keySet()) {
      if (!s.containsKey(k)) {
        throw new IllegalArgumentException("ReduceOnPlateau: state entry '" + k + "' is missing"
            + " (found " + s.keySet() + ")");
      }
    }
    lr = s.get("lr");
    best = s.get("best");
    badEpochs = (int) (double) s.get("num_bad_epochs");
    cooldownLeft = (int) (double) s.get("cooldown_counter");
    epochs = (long) (double) s.get("last_epoch");
  }
}
