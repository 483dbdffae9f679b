package org.gnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.AttentionWeights;

/**
 * Plain-loop, double-precision attention weights for the recording tests: scores per edge and
 * head from the equations, a softmax over each target's in-edges, and the checks that recorded
 * weights equal them and sum to 1. Shares no code with the library's ops.
 */
public final class AttentionRef {
  private AttentionRef() {}

  /**
   * Dot-product scores: s[e, h] = scale * q[dst, h] . (k[src, h] + ekv[e, h]) + bias[e, h].
   *
   * @param q [N_dst, H, C]; k [N_src, H, C]; ekv [E, H, C] or null; bias [E, H] or null
   */
  public static double[] dotScores(EdgeIndex e, double[] q, double[] k, double[] ekv,
                                   double[] bias, int heads, int c, double scale) {
    double[] s = new double[e.numEdges() * heads];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        double d = 0;
        for (int t = 0; t < c; t++) {
          double key = k[(e.src()[i] * heads + h) * c + t]
              + (ekv == null ? 0 : ekv[(i * heads + h) * c + t]);
          d += q[(e.dst()[i] * heads + h) * c + t] * key;
        }
        s[i * heads + h] = scale * d + (bias == null ? 0 : bias[i * heads + h]);
      }
    }
    return s;
  }

  /** Softmax of s [E, H] over the in-edges of each target, per head. */
  public static double[] softmaxByTarget(EdgeIndex e, double[] s, int heads) {
    double[] max = new double[e.numDstNodes() * heads];
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        int t = e.dst()[i] * heads + h;
        max[t] = Math.max(max[t], s[i * heads + h]);
      }
    }
    double[] z = new double[max.length];
    double[] p = new double[s.length];
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) {
        int t = e.dst()[i] * heads + h;
        z[t] += p[i * heads + h] = Math.exp(s[i * heads + h] - max[t]);
      }
    }
    for (int i = 0; i < e.numEdges(); i++) {
      for (int h = 0; h < heads; h++) p[i * heads + h] /= z[e.dst()[i] * heads + h];
    }
    return p;
  }

  /**
   * Asserts that the recorded weights run over {@code edges}, equal {@code expected} [E, H]
   * within tol, and sum to 1 over each target's in-edges (targets with in-edges only).
   */
  public static void assertWeights(String what, AttentionWeights got, EdgeIndex edges,
                                   double[] expected, int heads, double tol) {
    assertEquals(edges.numEdges(), got.edges().numEdges(), what + ": edge count");
    assertTrue(java.util.Arrays.equals(edges.src(), got.edges().src())
        && java.util.Arrays.equals(edges.dst(), got.edges().dst()), what + ": edge set");
    assertEquals(heads, got.heads(), what + ": heads");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - got.weights().data()[i]));
    }
    assertTrue(worst <= tol, what + ": max |recorded - reference| = " + worst + " > " + tol);
    double[] sum = new double[edges.numDstNodes() * heads];
    int[] deg = edges.inDegree();
    for (int i = 0; i < edges.numEdges(); i++) {
      for (int h = 0; h < heads; h++) sum[edges.dst()[i] * heads + h] += got.weight(i, h);
    }
    for (int n = 0; n < edges.numDstNodes(); n++) {
      for (int h = 0; h < heads; h++) {
        double want = deg[n] == 0 ? 0 : 1;
        assertEquals(want, sum[n * heads + h], 1e-5, what + ": sum over the in-edges of node "
            + n + ", head " + h);
      }
    }
  }

  /** Leaky ReLU. */
  public static double leaky(double v, double slope) {
    return v > 0 ? v : slope * v;
  }
}
