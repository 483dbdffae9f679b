package org.gnn4j.pe;

import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The fixed sine/cosine position encoding of the Transformer (Vaswani et al.,
 * arXiv:1706.03762) for sequences, or any integer node order: PE[p, 2i] = sin(p / 10000^(2i/D))
 * and PE[p, 2i+1] = cos(p / 10000^(2i/D)). Computed in double, stored as a constant float tensor.
 */
public final class SinusoidalPe {
  private SinusoidalPe() {}

  /** Positions 0..n-1: [n, D]. */
  public static Tensor encode(Context ctx, int n, int d) {
    if (n < 0) {
      throw new IllegalArgumentException("SinusoidalPe: n must be >= 0 (got " + n + ")");
    }
    int[] pos = new int[n];
    for (int i = 0; i < n; i++) pos[i] = i;
    return encode(ctx, pos, d);
  }

  /**
   * Given positions (for example each node's index inside its graph): [positions.length, D].
   *
   * @throws IllegalArgumentException if d &lt; 1 or a position is negative
   */
  public static Tensor encode(Context ctx, int[] positions, int d) {
    if (d < 1) {
      throw new IllegalArgumentException("SinusoidalPe: d must be >= 1 (got " + d + ")");
    }
    float[] out = new float[positions.length * d];
    for (int r = 0; r < positions.length; r++) {
      int p = positions[r];
      if (p < 0) {
        throw new IllegalArgumentException("SinusoidalPe: positions[" + r + "] = " + p
            + " is negative (expected >= 0)");
      }
      for (int c = 0; c < d; c++) {
        int i2 = c - (c & 1);
        double angle = p / Math.pow(10000.0, (double) i2 / d);
        out[r * d + c] = (float) ((c & 1) == 0 ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return ctx.tensor(out, positions.length, d);
  }
}
