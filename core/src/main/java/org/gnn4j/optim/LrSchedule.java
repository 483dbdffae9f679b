package org.gnn4j.optim;

/**
 * A learning rate as a pure function of the optimizer step (or epoch) {@code t = 0, 1, 2, ...}:
 * the trainer calls {@code opt.setLr(schedule.lr(t))} before step t, and a resumed run only needs
 * t back to continue exactly. Warm-up ramps linearly {@code base·(t+1)/W} for {@code t < W} (so
 * the first step already moves), then the rate decays from {@code base} at {@code t = W} to
 * {@code floor} at {@code t = total} and stays there. For a schedule driven by a validation
 * metric instead, see {@link ReduceOnPlateau}.
 */
public sealed interface LrSchedule {
  /**
   * The learning rate for step {@code t}.
   *
   * @throws IllegalArgumentException if {@code t < 0}
   */
  float lr(long t);

  /** Sets the optimizer's learning rate for step {@code t}. */
  default void apply(Optimizer opt, long t) {
    opt.setLr(lr(t));
  }

  static LrSchedule constant(float lr) {
    return new Constant(lr);
  }

  /** Linear warm-up over {@code warmup} steps, then cosine decay to {@code floor} at {@code total}. */
  static LrSchedule warmupCosine(float base, long warmup, long total, float floor) {
    return new WarmupDecay(base, warmup, total, floor, true);
  }

  /** Linear warm-up over {@code warmup} steps, then linear decay to {@code floor} at {@code total}. */
  static LrSchedule warmupLinear(float base, long warmup, long total, float floor) {
    return new WarmupDecay(base, warmup, total, floor, false);
  }

  /** torch's StepLR: {@code base·gamma^floor(t / stepSize)}. */
  static LrSchedule stepDecay(float base, long stepSize, float gamma) {
    return new StepDecay(base, stepSize, gamma);
  }

  /** The same rate at every step. */
  record Constant(float lr) implements LrSchedule {
    public Constant {
      OptimState.checkLr("LrSchedule.constant", lr);
    }

    @Override
    public float lr(long t) {
      checkStep(t);
      return lr;
    }
  }

  /** Warm-up then cosine ({@code cosine = true}) or linear decay to a floor. */
  record WarmupDecay(float base, long warmup, long total, float floor, boolean cosine)
      implements LrSchedule {
    public WarmupDecay {
      OptimState.checkLr("LrSchedule", base);
      if (!(floor >= 0 && floor <= base)) {
        throw new IllegalArgumentException("LrSchedule: floor must be in [0, base = " + base
            + "] (got " + floor + ")");
      }
      if (warmup < 0 || total < warmup) {
        throw new IllegalArgumentException("LrSchedule: needs 0 <= warmup <= total (got warmup "
            + warmup + ", total " + total + ")");
      }
    }

    @Override
    public float lr(long t) {
      checkStep(t);
      if (t < warmup) return (float) ((double) base * (t + 1) / warmup);
      if (t >= total) return floor;
      double p = (double) (t - warmup) / (total - warmup);   // 0 at the end of warm-up, -> 1
      double shape = cosine ? 0.5 * (1 + Math.cos(Math.PI * p)) : 1 - p;
      return (float) (floor + ((double) base - floor) * shape);
    }
  }

  /** Multiplies the rate by {@code gamma} every {@code stepSize} steps. */
  record StepDecay(float base, long stepSize, float gamma) implements LrSchedule {
    public StepDecay {
      OptimState.checkLr("LrSchedule.stepDecay", base);
      if (stepSize <= 0) {
        throw new IllegalArgumentException("LrSchedule.stepDecay: stepSize must be > 0 (got "
            + stepSize + ")");
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException("LrSchedule.stepDecay: gamma must be in (0, 1] (got "
            + gamma + ")");
      }
    }

    @Override
    public float lr(long t) {
      checkStep(t);
      return (float) (base * Math.pow(gamma, (double) (t / stepSize)));
    }
  }

  private static void checkStep(long t) {
    if (t < 0) throw new IllegalArgumentException("LrSchedule: step must be >= 0 (got " + t + ")");
  }
}
