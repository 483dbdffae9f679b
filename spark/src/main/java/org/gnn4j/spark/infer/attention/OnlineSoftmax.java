package org.gnn4j.spark.infer.attention;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The mergeable state of softmax attention aggregation for one target node, all heads at once:
 * per head h a running maximum score m_h, the sum of exponentials s_h = sum exp(score - m_h) and
 * the weighted sum v_h = sum exp(score - m_h) value, so that {@code result} = v_h / s_h is
 * sum_e softmax(score)_e value_e over every edge added or merged in. Two states of the same
 * target merge by rescaling the one with the smaller maximum by exp(m_small - m_big), which
 * makes the result independent of how the edges were split into partitions and of the order
 * the partial states meet (up to rounding): the property a Spark shuffle needs, where a target's
 * in-edges arrive in partial aggregates from many map tasks.
 *
 * <p>Kept in double so that merging many partial states rounds less than gnn4j's float kernels
 * do; the state is three flat arrays, {@link #pack} turns it into one double array for a
 * shuffle. A target with no edge has result 0 (as gnn4j's attention ops give an isolated node).
 * A score of -infinity adds nothing (weight 0); NaN scores propagate.
 */
public final class OnlineSoftmax implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int heads;
  private final int channels;
  private final double[] max;    // max: [H], -inf while the head has no edge
  private final double[] sum;    // sum: [H] sum of exp(score - max)
  private final double[] acc;    // acc: [H, C] sum of exp(score - max) * value

  /** An empty state: no edge yet. */
  public OnlineSoftmax(int heads, int channels) {
    if (heads < 1 || channels < 1) {
      throw new IllegalArgumentException("OnlineSoftmax: heads and channels must be >= 1 (got "
          + heads + ", " + channels + ")");
    }
    this.heads = heads;
    this.channels = channels;
    this.max = new double[heads];
    this.sum = new double[heads];
    this.acc = new double[heads * channels];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  private OnlineSoftmax(int heads, int channels, double[] max, double[] sum, double[] acc) {
    this.heads = heads;
    this.channels = channels;
    this.max = max;
    this.sum = sum;
    this.acc = acc;
  }

  public int heads() {
    return heads;
  }

  public int channels() {
    return channels;
  }

  /** Whether no edge with a finite weight has been added to any head. */
  public boolean isEmpty() {
    for (double s : sum) if (s != 0) return false;
    return true;
  }

  /**
   * Adds one edge to head {@code h}: its score and its value {@code value[off .. off + C)}.
   *
   * @return this
   */
  public OnlineSoftmax add(int h, double score, float[] value, int off) {
    if (score == Double.NEGATIVE_INFINITY) return this;
    int o = h * channels;
    double w;
    if (score > max[h]) {
      // a new maximum: what was accumulated under the old one shrinks by exp(old - new)
      double f = Math.exp(max[h] - score);
      sum[h] *= f;
      for (int c = 0; c < channels; c++) acc[o + c] *= f;
      max[h] = score;
      w = 1;
    } else {
      w = Math.exp(score - max[h]);
    }
    sum[h] += w;
    for (int c = 0; c < channels; c++) acc[o + c] += w * value[off + c];
    return this;
  }

  /**
   * Adds one edge to every head: {@code scores[sOff + h]} and the values {@code values[vOff ..
   * vOff + H*C)}, head h's at {@code vOff + h*C}.
   *
   * @return this
   */
  public OnlineSoftmax add(float[] scores, int sOff, float[] values, int vOff) {
    for (int h = 0; h < heads; h++) add(h, scores[sOff + h], values, vOff + h * channels);
    return this;
  }

  /**
   * Merges another state of the same target into this one.
   *
   * @return this
   * @throws IllegalArgumentException if the heads or channels differ
   */
  public OnlineSoftmax merge(OnlineSoftmax other) {
    if (other.heads != heads || other.channels != channels) {
      throw new IllegalArgumentException("OnlineSoftmax: cannot merge a state of " + other.heads
          + " heads x " + other.channels + " channels into one of " + heads + " x " + channels);
    }
    for (int h = 0; h < heads; h++) {
      if (other.sum[h] == 0) continue;
      int o = h * channels;
      if (sum[h] == 0) {
        max[h] = other.max[h];
        sum[h] = other.sum[h];
        System.arraycopy(other.acc, o, acc, o, channels);
        continue;
      }
      double m = Math.max(max[h], other.max[h]);
      double a = Math.exp(max[h] - m);
      double b = Math.exp(other.max[h] - m);
      max[h] = m;
      sum[h] = sum[h] * a + other.sum[h] * b;
      for (int c = 0; c < channels; c++) acc[o + c] = acc[o + c] * a + other.acc[o + c] * b;
    }
    return this;
  }

  /** The softmax-weighted sum of the values, [H*C] (head h at h*C); 0 for a head without edges. */
  public float[] result() {
    float[] out = new float[heads * channels];
    resultInto(out, 0);
    return out;
  }

  /** {@link #result()} written into {@code out[off .. off + H*C)}. */
  public void resultInto(float[] out, int off) {
    for (int h = 0; h < heads; h++) {
      int o = h * channels;
      double inv = sum[h] == 0 ? 0 : 1 / sum[h];
      for (int c = 0; c < channels; c++) out[off + o + c] = (float) (acc[o + c] * inv);
    }
  }

  /** The state as one array, [H (max) | H (sum) | H*C (weighted sum)], for a shuffle. */
  public double[] pack() {
    double[] p = new double[heads * (channels + 2)];
    System.arraycopy(max, 0, p, 0, heads);
    System.arraycopy(sum, 0, p, heads, heads);
    System.arraycopy(acc, 0, p, 2 * heads, heads * channels);
    return p;
  }

  /**
   * The state {@link #pack} wrote.
   *
   * @throws IllegalArgumentException if the array's length is not H * (C + 2)
   */
  public static OnlineSoftmax unpack(double[] p, int heads, int channels) {
    if (heads < 1 || channels < 1 || p.length != heads * (channels + 2)) {
      throw new IllegalArgumentException("OnlineSoftmax: a packed state of " + heads + " heads x "
          + channels + " channels has " + heads * (channels + 2) + " values (got " + p.length + ")");
    }
    return new OnlineSoftmax(heads, channels, Arrays.copyOfRange(p, 0, heads),
        Arrays.copyOfRange(p, heads, 2 * heads), Arrays.copyOfRange(p, 2 * heads, p.length));
  }

  /** An independent copy. */
  public OnlineSoftmax copy() {
    return new OnlineSoftmax(heads, channels, max.clone(), sum.clone(), acc.clone());
  }
}
