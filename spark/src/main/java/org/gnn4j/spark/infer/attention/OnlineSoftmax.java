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
 * do. The state is one flat array, [H (max) | H (sum) | H*C (weighted sum)]: {@link #pack} hands
 * it to a shuffle, and the static {@code packed*} methods work on such arrays directly, so a
 * layer plan's per-edge message is one allocation. A target with no edge has result 0 (as gnn4j's attention ops give an isolated node).
 * A score of -infinity adds nothing (weight 0); NaN scores propagate.
 */
public final class OnlineSoftmax implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int heads;
  private final int channels;
  private final double[] state;  // state: [H max | H sum | H*C weighted sum], max -inf when empty

  /** An empty state: no edge yet. */
  public OnlineSoftmax(int heads, int channels) {
    this(heads, channels, emptyPacked(checked(heads, channels), channels));
  }

  private OnlineSoftmax(int heads, int channels, double[] state) {
    this.heads = heads;
    this.channels = channels;
    this.state = state;
  }

  private static int checked(int heads, int channels) {
    if (heads < 1 || channels < 1) {
      throw new IllegalArgumentException("OnlineSoftmax: heads and channels must be >= 1 (got "
          + heads + ", " + channels + ")");
    }
    return heads;
  }

  public int heads() {
    return heads;
  }

  public int channels() {
    return channels;
  }

  /** Length of a packed state: H * (C + 2). */
  public static int packedLength(int heads, int channels) {
    return heads * (channels + 2);
  }

  /** A packed empty state. */
  public static double[] emptyPacked(int heads, int channels) {
    double[] p = new double[packedLength(heads, channels)];
    Arrays.fill(p, 0, heads, Double.NEGATIVE_INFINITY);
    return p;
  }

  /** Whether no edge with a finite weight has been added to any head. */
  public boolean isEmpty() {
    for (int h = 0; h < heads; h++) if (state[heads + h] != 0) return false;
    return true;
  }

  /**
   * Adds one edge to head {@code h}: its score and its value {@code value[off .. off + C)}.
   *
   * @return this
   */
  public OnlineSoftmax add(int h, double score, float[] value, int off) {
    packedAdd(state, heads, channels, h, score, value, off);
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

  /** {@link #add(int, double, float[], int)} on a packed state. */
  public static void packedAdd(double[] p, int heads, int channels, int h, double score,
                               float[] value, int off) {
    if (score == Double.NEGATIVE_INFINITY) return;
    int o = 2 * heads + h * channels;
    double w;
    if (score > p[h]) {
      // a new maximum: what was accumulated under the old one shrinks by exp(old - new)
      double f = Math.exp(p[h] - score);
      p[heads + h] *= f;
      for (int c = 0; c < channels; c++) p[o + c] *= f;
      p[h] = score;
      w = 1;
    } else {
      w = Math.exp(score - p[h]);
    }
    p[heads + h] += w;
    for (int c = 0; c < channels; c++) p[o + c] += w * value[off + c];
  }

  /**
   * The packed state of one edge: per head h the score {@code scores[h]} and the value
   * {@code values[vOff + h*C .. )}.
   */
  public static double[] packedOf(float[] scores, float[] values, int vOff, int heads,
                                  int channels) {
    double[] p = new double[packedLength(heads, channels)];
    for (int h = 0; h < heads; h++) {
      double s = scores[h];
      int o = 2 * heads + h * channels;
      p[h] = s;
      if (s == Double.NEGATIVE_INFINITY) continue;
      p[heads + h] = 1;
      for (int c = 0; c < channels; c++) p[o + c] = values[vOff + h * channels + c];
    }
    return p;
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
    packedMerge(state, other.state, heads, channels);
    return this;
  }

  /** Merges packed state {@code b} into {@code a}; returns a. */
  public static double[] packedMerge(double[] a, double[] b, int heads, int channels) {
    for (int h = 0; h < heads; h++) {
      double sb = b[heads + h];
      if (sb == 0) continue;
      int o = 2 * heads + h * channels;
      if (a[heads + h] == 0) {
        a[h] = b[h];
        a[heads + h] = sb;
        System.arraycopy(b, o, a, o, channels);
        continue;
      }
      double m = Math.max(a[h], b[h]);
      double fa = Math.exp(a[h] - m);
      double fb = Math.exp(b[h] - m);
      a[h] = m;
      a[heads + h] = a[heads + h] * fa + sb * fb;
      for (int c = 0; c < channels; c++) a[o + c] = a[o + c] * fa + b[o + c] * fb;
    }
    return a;
  }

  /** The softmax-weighted sum of the values, [H*C] (head h at h*C); 0 for a head without edges. */
  public float[] result() {
    float[] out = new float[heads * channels];
    resultInto(out, 0);
    return out;
  }

  /** {@link #result()} written into {@code out[off .. off + H*C)}. */
  public void resultInto(float[] out, int off) {
    packedResult(state, heads, channels, out, off);
  }

  /** {@link #resultInto} of a packed state. */
  public static void packedResult(double[] p, int heads, int channels, float[] out, int off) {
    for (int h = 0; h < heads; h++) {
      int o = 2 * heads + h * channels;
      double s = p[heads + h];
      double inv = s == 0 ? 0 : 1 / s;
      for (int c = 0; c < channels; c++) out[off + h * channels + c] = (float) (p[o + c] * inv);
    }
  }

  /** The state as one array, [H (max) | H (sum) | H*C (weighted sum)], for a shuffle. */
  public double[] pack() {
    return state.clone();
  }

  /**
   * The state {@link #pack} wrote.
   *
   * @throws IllegalArgumentException if the array's length is not H * (C + 2)
   */
  public static OnlineSoftmax unpack(double[] p, int heads, int channels) {
    checked(heads, channels);
    if (p.length != packedLength(heads, channels)) {
      throw new IllegalArgumentException("OnlineSoftmax: a packed state of " + heads + " heads x "
          + channels + " channels has " + packedLength(heads, channels) + " values (got "
          + p.length + ")");
    }
    return new OnlineSoftmax(heads, channels, p.clone());
  }

  /** An independent copy. */
  public OnlineSoftmax copy() {
    return new OnlineSoftmax(heads, channels, state.clone());
  }
}
