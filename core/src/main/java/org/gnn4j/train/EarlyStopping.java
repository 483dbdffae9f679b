package org.gnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.optim.MetricMode;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs in a row,
 * and remembers the best value and the epoch it came from (the epoch whose checkpoint or test
 * score to report). An improvement must beat the best by more than {@code minDelta}; a NaN metric
 * never improves. Call {@link #observe} once per evaluated epoch.
 */
public final class EarlyStopping {
  /** Settings. */
  public record Config(MetricMode mode, int patience, double minDelta) {
    public Config {
      if (mode == null) throw new IllegalArgumentException("EarlyStopping: mode is null");
      if (patience < 1) {
        throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 (got " + patience + ")");
      }
      if (!(minDelta >= 0)) {
        throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0 (got " + minDelta + ")");
      }
    }

    public static Config of(MetricMode mode, int patience) {
      return new Config(mode, patience, 0);
    }
  }

  private final Config cfg;
  private double best;
  private long bestEpoch = -1;
  private int badEpochs;

  public EarlyStopping(Config cfg) {
    this.cfg = cfg;
    this.best = cfg.mode().worst();
  }

  /**
   * Records the metric of {@code epoch}.
   *
   * @return true when it is a new best (the moment to keep a "best" checkpoint)
   */
  public boolean observe(long epoch, double metric) {
    if (cfg.mode().improves(metric, best, cfg.minDelta(), false)) {
      best = metric;
      bestEpoch = epoch;
      badEpochs = 0;
      return true;
    }
    badEpochs++;
    return false;
  }

  /** True once {@code patience} epochs in a row brought no improvement. */
  public boolean shouldStop() {
    return badEpochs >= cfg.patience();
  }

  /** The best metric so far (the mode's worst value before any observation). */
  public double best() {
    return best;
  }

  /** The epoch of {@link #best()}, or -1 before any improvement. */
  public long bestEpoch() {
    return bestEpoch;
  }

  /** Epochs since the last improvement. */
  public int badEpochs() {
    return badEpochs;
  }

  public Config config() {
    return cfg;
  }

  /** best, best_epoch and bad_epochs by name (doubles round-trip exactly), for a checkpoint. */
  public Map<String, Double> state() {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("best", best);
    s.put("best_epoch", (double) bestEpoch);
    s.put("bad_epochs", (double) badEpochs);
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
        throw new IllegalArgumentException("EarlyStopping: state entry '" + k + "' is missing"
            + " (found " + s.keySet() + ")");
      }
    }
    best = s.get("best");
    bestEpoch = (long) (double) s.get("best_epoch");
    badEpochs = (int) (double) s.get("bad_epochs");
  }
}
