package org.gnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.optim.MetricMode;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs in a row,
 * and remembers the best value and the epoch it came from (the epoch whose checkpoint or test
 * score to report). An improvement must beat the best by more than {@code minDelta}; a NaN metric
 * never improves, except that the first observation is always the best so far (so there is a
 * best epoch to restore). Ties can be broken by a second, lower-is-better value such as the
 * validation loss. Call {@link #observe} (or {@link #observeUnscored}) once per epoch. This is
 * the one home of the patience and best-epoch rules; {@link Trainer} holds one.
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
  private double bestTieBreak = Double.NaN;
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
    return observe(epoch, metric, Double.NaN);
  }

  /**
   * Records the metric of {@code epoch}; a metric equal to the best one improves when
   * {@code tieBreak} is lower than the best epoch's (coarse metrics such as accuracy on 500
   * nodes move in steps of 0.002 and tie often). NaN tie-breaks never win.
   *
   * @return true when it is a new best
   */
  public boolean observe(long epoch, double metric, double tieBreak) {
    boolean better = bestEpoch < 0 || cfg.mode().improves(metric, best, cfg.minDelta(), false)
        || (metric == best && tieBreak < bestTieBreak);
    if (better) {
      best = metric;
      bestTieBreak = tieBreak;
      bestEpoch = epoch;
      badEpochs = 0;
      return true;
    }
    badEpochs++;
    return false;
  }

  /**
   * Records an epoch that has no validation score: it is taken as the new best, so without
   * validation the last epoch is selected and training never stops early.
   */
  public void observeUnscored(long epoch) {
    best = Double.NaN;
    bestTieBreak = Double.NaN;
    bestEpoch = epoch;
    badEpochs = 0;
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

  /** The tie-break value of the best epoch (NaN when none was given). */
  public double bestTieBreak() {
    return bestTieBreak;
  }

  /** Epochs since the last improvement. */
  public int badEpochs() {
    return badEpochs;
  }

  public Config config() {
    return cfg;
  }

  /**
   * best, best_epoch, bad_epochs and best_tie_break by name (doubles round-trip exactly), for a
   * checkpoint.
   */
  public Map<String, Double> state() {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("best", best);
    s.put("best_epoch", (double) bestEpoch);
    s.put("bad_epochs", (double) badEpochs);
    s.put(TIE_BREAK, bestTieBreak);
    return s;
  }

  private static final String TIE_BREAK = "best_tie_break";

  /**
   * Restores {@link #state()}; best_tie_break is optional (NaN when absent, as in states
   * written before it existed).
   *
   * @throws IllegalArgumentException naming a missing entry
   */
  public void loadState(Map<String, Double> s) {
    for (String k : state().keySet()) {
      if (!s.containsKey(k) && !k.equals(TIE_BREAK)) {
        throw new IllegalArgumentException("EarlyStopping: state entry '" + k + "' is missing"
            + " (found " + s.keySet() + ")");
      }
    }
    best = s.get("best");
    bestEpoch = (long) (double) s.get("best_epoch");
    badEpochs = (int) (double) s.get("bad_epochs");
    bestTieBreak = s.getOrDefault(TIE_BREAK, Double.NaN);
  }
}
