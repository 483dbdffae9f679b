package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class EdgeSoftmaxTest {
  private static final long SEED = 14;

  /** Per (target, head) softmax over in-edges, in double. */
  private static float[] naive(float[] s, EdgeIndex e, int heads) {
    int n = e.numDstNodes();
    double[] max = new double[n * heads];
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    int[] dst = e.dst();
    for (int i = 0; i < dst.length; i++) {
      for (int h = 0; h < heads; h++) {
        max[dst[i] * heads + h] = Math.max(max[dst[i] * heads + h], s[i * heads + h]);
      }
    }
    double[] sum = new double[n * heads];
    for (int i = 0; i < dst.length; i++) {
      for (int h = 0; h < heads; h++) {
        sum[dst[i] * heads + h] += Math.exp(s[i * heads + h] - max[dst[i] * heads + h]);
      }
    }
    float[] out = new float[s.length];
    for (int i = 0; i < dst.length; i++) {
      for (int h = 0; h < heads; h++) {
        int g = dst[i] * heads + h;
        out[i * heads + h] = (float) (Math.exp(s[i * heads + h] - max[g]) / sum[g]);
      }
    }
    return out;
  }

  @Test
  void matchesNaiveSoftmaxPerTargetAndHeadOnBothKernelSets() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          for (int heads : new int[] {1, 3}) {
            EdgeIndex e = c.edges();
            Tensor s = heads == 1 ? ctx.randn(new SplittableRandom(SEED), e.numEdges())
                : ctx.randn(new SplittableRandom(SEED), e.numEdges(), heads);
            Tensor p = EdgeSoftmax.apply(s, e);
            assertEquals(s.shape(), p.shape());
            OpAssert.assertClose("edge_softmax " + c + " heads=" + heads + " seed " + SEED,
                naive(s.data(), e, heads),
                p.data(), 1e-6, 1e-5);
          }
        }
      }
    }
  }

  @Test
  void largeScoresStayFiniteAndMaskedRowsGiveZero() {
    try (Context ctx = Contexts.vector(1)) {
      EdgeIndex e = EdgeIndex.of(new int[] {0, 1, 2, 0}, new int[] {1, 1, 1, 2}, 3);
      float inf = Float.NEGATIVE_INFINITY;
      Tensor p = EdgeSoftmax.apply(ctx.tensor(new float[] {1000f, 1000f, -1000f, inf}, 4), e);
      assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 0f}, p.data());
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnEveryEdgeCase() {
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor s = ctx.randn(r, c.edges().numEdges(), 2).requiresGrad(true);
        GradCheck.defaults().check("edge_softmax " + c, SEED,
            in -> EdgeSoftmax.apply(in[0], c.edges()), s);
        Tensor s1 = ctx.randn(r, c.edges().numEdges()).requiresGrad(true);
        GradCheck.defaults().check("edge_softmax [E] " + c, SEED,
            in -> EdgeSoftmax.apply(in[0], c.edges()), s1);
      }
    }
  }

  @Test
  void gradientIsLargeEnoughToCheckOnDenseRows() {
    // few in-edges per node: probabilities far from 0, so the check is not vacuous
    try (Context ctx = Contexts.scalar(2)) {
      EdgeIndex e = RandomGraphs.uniform(4, 14, SEED);
      Tensor s = ctx.randn(new SplittableRandom(SEED), 14, 3).requiresGrad(true);
      GradCheck.defaults().tolerance(1e-4, 1e-2).check("edge_softmax dense", SEED,
          in -> EdgeSoftmax.apply(in[0], e), s);
    }
  }

  @Test
  void rejectsScoresWithWrongEdgeCount() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex e = RandomGraphs.uniform(4, 6, SEED);
      var ex = assertThrows(IllegalArgumentException.class,
          () -> EdgeSoftmax.apply(ctx.zeros(7, 2), e));
      assertTrue(ex.getMessage().startsWith("edge_softmax:") && ex.getMessage().contains("[7, 2]")
          && ex.getMessage().contains("[6, H]"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class,
          () -> EdgeSoftmax.apply(ctx.zeros(6, 2, 2), e));
      assertTrue(ex.getMessage().contains("[6, 2, 2]"), ex.getMessage());
    }
  }
}
