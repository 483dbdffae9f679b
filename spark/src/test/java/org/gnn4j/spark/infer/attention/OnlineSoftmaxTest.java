package org.gnn4j.spark.infer.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnlineSoftmaxTest {
  private static Context ctx;

  @BeforeAll
  static void open() {
    ctx = Context.builder().threads(1).seed(3).build();
  }

  @AfterAll
  static void close() {
    ctx.close();
  }

  /** Edges of a random graph whose scores and values are drawn, and the states split at random. */
  private record Case(int n, int[] src, int[] dst, float[] scores, float[] values, int heads,
                      int channels) {}

  private static Case randomCase(long seed, int n, int e, int heads, int channels, float spread) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] src = new int[e];
    int[] dst = new int[e];
    float[] scores = new float[e * heads];
    float[] values = new float[n * heads * channels];
    for (int i = 0; i < e; i++) {
      src[i] = r.nextInt(n);
      dst[i] = r.nextInt(n - 1);     // the last node keeps no in-edge
    }
    for (int i = 0; i < scores.length; i++) scores[i] = (float) ((r.nextDouble() * 2 - 1) * spread);
    for (int i = 0; i < values.length; i++) values[i] = (float) (r.nextDouble() * 2 - 1);
    return new Case(n, src, dst, scores, values, heads, channels);
  }

  /** gnn4j's edge softmax then weighted sum: [N, H*C]. */
  private static float[] reference(Case c) {
    EdgeIndex ei = EdgeIndex.of(c.src(), c.dst(), c.n());
    Tensor alpha = EdgeSoftmax.apply(ctx.tensor(c.scores(), c.src().length, c.heads()), ei);
    Tensor x = ctx.tensor(c.values(), c.n(), c.heads(), c.channels());
    return Spmm.aggregate(ei, alpha, x).data();
  }

  /**
   * The edges dealt to {@code parts} partitions at random; each partition's states per target
   * built, then all partial states of a target merged in a shuffled order.
   */
  private static float[] partitioned(Case c, int parts, long seed) {
    Random r = new Random(seed);
    int hc = c.heads() * c.channels();
    List<List<OnlineSoftmax>> partial = new ArrayList<>();
    for (int i = 0; i < c.n(); i++) partial.add(new ArrayList<>());
    OnlineSoftmax[][] byPart = new OnlineSoftmax[parts][c.n()];
    for (int e = 0; e < c.src().length; e++) {
      int p = r.nextInt(parts);
      int t = c.dst()[e];
      if (byPart[p][t] == null) byPart[p][t] = new OnlineSoftmax(c.heads(), c.channels());
      byPart[p][t].add(c.scores(), e * c.heads(), c.values(), c.src()[e] * hc);
    }
    for (OnlineSoftmax[] row : byPart) {
      for (int t = 0; t < c.n(); t++) if (row[t] != null) partial.get(t).add(row[t]);
    }
    float[] out = new float[c.n() * hc];
    for (int t = 0; t < c.n(); t++) {
      List<OnlineSoftmax> states = partial.get(t);
      Collections.shuffle(states, r);
      OnlineSoftmax acc = new OnlineSoftmax(c.heads(), c.channels());
      // merge as a tree sometimes, as a Spark combiner does
      while (states.size() > 1 && r.nextBoolean()) {
        OnlineSoftmax a = states.remove(states.size() - 1);
        states.get(r.nextInt(states.size())).merge(a);
      }
      for (OnlineSoftmax s : states) acc.merge(s);
      acc.resultInto(out, t * hc);
    }
    return out;
  }

  /**
   * |expected - actual| <= rtol (|expected| + 1): the values are in [-1, 1], and gnn4j's float
   * sums round relative to the terms' size, not to a result that cancels to near 0.
   */
  private static void assertClose(float[] expected, float[] actual, double rtol) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      double tol = rtol * (Math.abs(expected[i]) + 1);
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol, "at " + i + ": expected "
          + expected[i] + ", got " + actual[i]);
    }
  }

  /** Softmax then weighted sum in double, two passes (max, then exponentials): [N, H*C]. */
  private static float[] exact(Case c) {
    int h = c.heads();
    int ch = c.channels();
    double[] max = new double[c.n() * h];
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int e = 0; e < c.src().length; e++) {
      for (int a = 0; a < h; a++) {
        int t = c.dst()[e] * h + a;
        max[t] = Math.max(max[t], c.scores()[e * h + a]);
      }
    }
    double[] sum = new double[c.n() * h];
    double[] acc = new double[c.n() * h * ch];
    for (int e = 0; e < c.src().length; e++) {
      for (int a = 0; a < h; a++) {
        int t = c.dst()[e] * h + a;
        double w = Math.exp(c.scores()[e * h + a] - max[t]);
        sum[t] += w;
        for (int k = 0; k < ch; k++) acc[t * ch + k] += w * c.values()[(c.src()[e] * h + a) * ch + k];
      }
    }
    float[] out = new float[acc.length];
    for (int i = 0; i < out.length; i++) out[i] = sum[i / ch] == 0 ? 0 : (float) (acc[i] / sum[i / ch]);
    return out;
  }

  @Test
  void equalsEdgeSoftmaxThenSumWhateverThePartitions() {
    Case c = randomCase(1, 60, 500, 3, 5, 4f);
    float[] ref = reference(c);
    float[] exact = exact(c);
    for (int parts : new int[] {1, 2, 7, 50}) {
      float[] got = partitioned(c, parts, parts);
      assertClose(ref, got, 1e-6);
      assertClose(exact, got, 1e-7);
    }
  }

  @Test
  void mergeOrderDoesNotChangeTheResult() {
    Case c = randomCase(2, 20, 400, 2, 4, 10f);
    float[] a = partitioned(c, 9, 1);
    float[] b = partitioned(c, 9, 2);
    float[] d = partitioned(c, 3, 3);
    assertClose(a, b, 2e-7);
    assertClose(a, d, 2e-7);
  }

  @Test
  void extremeScoresNeitherOverflowNorUnderflow() {
    // scores far beyond exp's range: only the differences matter
    for (float spread : new float[] {200f, 3e4f, 1e30f}) {
      Case c = randomCase(5, 30, 300, 2, 3, spread);
      float[] ref = reference(c);
      float[] got = partitioned(c, 5, 7);
      for (float v : got) assertTrue(Float.isFinite(v), "spread " + spread + " gave " + v);
      assertClose(ref, got, 1e-6);
    }
    // a shift of every score by a huge constant changes nothing
    Case c = randomCase(6, 30, 300, 2, 3, 3f);
    float[] shifted = c.scores().clone();
    for (int i = 0; i < shifted.length; i++) shifted[i] += 1e4f;
    Case s = new Case(c.n(), c.src(), c.dst(), shifted, c.values(), c.heads(), c.channels());
    assertClose(reference(s), partitioned(s, 4, 1), 1e-6);
  }

  @Test
  void oneEdgeDominatesWhenItsScoreIsFarAbove() {
    OnlineSoftmax a = new OnlineSoftmax(1, 2);
    a.add(0, -1e300, new float[] {5, 5}, 0);
    OnlineSoftmax b = new OnlineSoftmax(1, 2);
    b.add(0, 1e300, new float[] {1, -2}, 0);
    b.add(0, Double.NEGATIVE_INFINITY, new float[] {9, 9}, 0);
    assertArrayEquals(new float[] {1, -2}, a.merge(b).result());
  }

  @Test
  void aTargetWithoutEdgesAggregatesZero() {
    OnlineSoftmax empty = new OnlineSoftmax(2, 3);
    assertTrue(empty.isEmpty());
    assertArrayEquals(new float[6], empty.result());
    OnlineSoftmax one = new OnlineSoftmax(2, 3).add(new float[] {0.5f, -2f}, 0,
        new float[] {1, 2, 3, 4, 5, 6}, 0);
    assertArrayEquals(one.result(), one.copy().merge(new OnlineSoftmax(2, 3)).result());
    assertArrayEquals(one.result(), new OnlineSoftmax(2, 3).merge(one).result());
    // the last node of a random case has no in-edge
    Case c = randomCase(9, 10, 40, 2, 2, 1f);
    float[] got = partitioned(c, 3, 4);
    for (int i = (c.n() - 1) * 4; i < c.n() * 4; i++) assertEquals(0f, got[i]);
  }

  @Test
  void packAndJavaSerializationKeepTheState() throws Exception {
    Case c = randomCase(11, 5, 30, 3, 4, 5f);
    OnlineSoftmax s = new OnlineSoftmax(3, 4);
    for (int e = 0; e < 30; e++) s.add(c.scores(), e * 3, c.values(), c.src()[e] * 12);
    double[] packed = s.pack();
    assertEquals(3 * 6, packed.length);
    assertArrayEquals(s.result(), OnlineSoftmax.unpack(packed, 3, 4).result());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertArrayEquals(s.result(), ((OnlineSoftmax) in.readObject()).result());
    }
    assertThrows(IllegalArgumentException.class, () -> OnlineSoftmax.unpack(packed, 3, 5));
    assertThrows(IllegalArgumentException.class, () -> s.merge(new OnlineSoftmax(3, 5)));
  }
}
