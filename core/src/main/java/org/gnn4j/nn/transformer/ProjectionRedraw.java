package org.gnn4j.nn.transformer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * When to redraw Performer projections during training, as the GraphGPS example of PyG
 * ({@code examples/graph_gps.py}, {@code RedrawProjection}) does it: PyG's GPSConv never redraws
 * by itself; the training loop calls {@link #step} before every training forward, and every
 * {@code interval + 1}-th call redraws all projections (the example uses interval 1000). The
 * random stream is the caller's, so a seed reproduces the draws.
 */
public final class ProjectionRedraw {
  private final int interval;
  private final List<PerformerAttention> attentions;
  private int sinceLast;

  public ProjectionRedraw(int interval, List<PerformerAttention> attentions) {
    if (interval < 0) {
      throw new IllegalArgumentException("ProjectionRedraw: interval must be >= 0 (got "
          + interval + ")");
    }
    this.interval = interval;
    this.attentions = List.copyOf(attentions);
  }

  /**
   * Counts one training step; redraws every projection when {@code interval} steps have passed
   * since the last redraw. Does nothing outside training.
   *
   * @return whether it redrew
   */
  public boolean step(boolean training, SplittableRandom rng) {
    if (!training) return false;
    if (sinceLast >= interval) {
      for (PerformerAttention a : attentions) a.redrawProjectionMatrix(rng);
      sinceLast = 0;
      return true;
    }
    sinceLast++;
    return false;
  }
}
