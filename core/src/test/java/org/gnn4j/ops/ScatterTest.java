package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class ScatterTest {
  private static final long SEED = 13;

  /** Naive sum / mean / max by index in double; empty rows 0. */
  private static float[] naive(String kind, float[] src, int[] index, int size, int f) {
    double[] acc = new double[size * f];
    int[] count = new int[size];
    boolean[] seen = new boolean[size];
    for (int m = 0; m < index.length; m++) {
      int i = index[m];
      count[i]++;
      for (int k = 0; k < f; k++) {
        double v = src[m * f + k];
        if (kind.equals("max")) acc[i * f + k] = seen[i] ? Math.max(acc[i * f + k], v) : v;
        else acc[i * f + k] += v;
      }
      seen[i] = true;
    }
    float[] out = new float[size * f];
    for (int i = 0; i < size; i++) {
      for (int k = 0; k < f; k++) {
        double v = acc[i * f + k];
        out[i * f + k] = (float) (kind.equals("mean") && count[i] > 0 ? v / count[i] : v);
      }
    }
    return out;
  }

  private static Tensor apply(String kind, Tensor msg, EdgeIndex e) {
    return switch (kind) {
      case "sum" -> Scatter.sum(msg, e);
      case "mean" -> Scatter.mean(msg, e);
      default -> Scatter.max(msg, e);
    };
  }

  private static Tensor apply(String kind, Tensor src, int[] index, int size) {
    return switch (kind) {
      case "sum" -> Scatter.sum(src, index, size);
      case "mean" -> Scatter.mean(src, index, size);
      default -> Scatter.max(src, index, size);
    };
  }

  /** Values that are distinct and at least 0.1 apart, so max has no near-ties under FD steps. */
  private static Tensor distinct(Context ctx, SplittableRandom r, int... dims) {
    Tensor t = ctx.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = 0.1f * (i - d.length / 2);
    for (int i = d.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      float tmp = d[i];
      d[i] = d[j];
      d[j] = tmp;
    }
    return t;
  }

  @Test
  void matchesNaiveReductionOnEdgesAndIndexOnBothKernelSets() {
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
      try (ctx) {
        for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
          for (int f : new int[] {1, 17}) {
            EdgeIndex e = c.edges();
            Tensor msg = ctx.randn(new SplittableRandom(SEED + f), e.numEdges(), f);
            for (String kind : new String[] {"sum", "mean", "max"}) {
              float[] expected = naive(kind, msg.data(), e.dst(), e.numDstNodes(), f);
              Tensor out = apply(kind, msg, e);
              assertEquals(Shape.of(e.numDstNodes(), f), out.shape());
              String what = kind + " " + c + " f=" + f + " " + ContextAccess.kernels(ctx).name() + " seed "
                  + SEED;
              OpAssert.assertClose(what, expected, out.data(),
                  1e-5 * Math.sqrt(e.numEdges() + 1), 1e-5);
              Tensor byIndex = apply(kind, msg, e.dst(), e.numDstNodes());
              assertArrayEquals(out.data(), byIndex.data(),
                  kind + " by index " + c + " seed " + SEED);
            }
          }
        }
      }
    }
  }

  @Test
  void emptySegmentsGiveZeroEvenForMaxOfNegatives() {
    try (Context ctx = Contexts.vector(1)) {
      Tensor src = ctx.tensor(new float[] {-3, -1, -2}, 3, 1);
      int[] index = {2, 2, 0};
      assertArrayEquals(new float[] {-2, 0, -1, 0}, Scatter.max(src, index, 4).data());
      assertArrayEquals(new float[] {-2, 0, -2, 0}, Scatter.mean(src, index, 4).data());
      assertArrayEquals(new float[] {-2, 0, -4, 0}, Scatter.sum(src, index, 4).data());
    }
  }

  @Test
  void maxRoutesGradientToFirstOfTiedRows() {
    try (Context ctx = Contexts.vector(2)) {
      Tensor src = ctx.tensor(new float[] {5, 1, 5, 7, 5, 7}, 3, 2).requiresGrad(true);
      Tensor out = Scatter.max(src, new int[] {0, 0, 0}, 1);
      assertArrayEquals(new float[] {5, 7}, out.data());
      Autograd.backward(out, new float[] {1, 1});
      assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, src.gradArray());
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnEveryEdgeCase() {
    try (Context ctx = Contexts.vector(2)) {
      for (RandomGraphs.Case c : RandomGraphs.edgeCases(SEED)) {
        EdgeIndex e = c.edges();
        int f = c.name().startsWith("hub") ? 2 : 3;
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor msg = ctx.randn(r, e.numEdges(), f).requiresGrad(true);
        for (String kind : new String[] {"sum", "mean"}) {
          GradCheck.defaults().check("scatter_" + kind + " " + c, SEED,
              in -> apply(kind, in[0], e), msg);
        }
        Tensor spaced = distinct(ctx, r, e.numEdges(), f).requiresGrad(true);
        // steps well below the 0.1 spacing, so no finite difference crosses a max tie
        double eps = 0.02 / Math.max(1, 0.05 * spaced.numel());
        GradCheck.defaults().eps(eps).check("scatter_max " + c, SEED,
            in -> Scatter.max(in[0], e), spaced);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOnRandomIndexAndShapes() {
    try (Context ctx = Contexts.scalar(2)) {
      SplittableRandom r = new SplittableRandom(SEED);
      for (int trial = 0; trial < 4; trial++) {
        int size = 1 + r.nextInt(6);
        int[] index = new int[r.nextInt(25)];
        for (int i = 0; i < index.length; i++) index[i] = r.nextInt(size);
        Tensor src = distinct(ctx, r, index.length, 1 + r.nextInt(2), 1 + r.nextInt(3))
            .requiresGrad(true);
        for (String kind : new String[] {"sum", "mean", "max"}) {
          Tensor out = apply(kind, src, index, size);
          assertEquals(Gather.withRows(src.shape(), size), out.shape());
          GradCheck.defaults().eps(1e-3).check("scatter_" + kind + " " + src.shape() + " trial "
              + trial, SEED + trial, in -> apply(kind, in[0], index, size), src);
        }
      }
    }
  }

  @Test
  void rejectsIndexOfWrongLength() {
    try (Context ctx = Contexts.scalar(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Scatter.sum(ctx.zeros(4, 2), new int[] {0, 1, 0}, 2));
      assertTrue(e.getMessage().startsWith("scatter_sum:") && e.getMessage().contains("[4, 2]")
          && e.getMessage().contains("length 3"), e.getMessage());
    }
  }

  @Test
  void rejectsOutOfRangeIndexNamingPositionAndValue() {
    try (Context ctx = Contexts.scalar(1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Scatter.max(ctx.zeros(3, 2), new int[] {0, 2, 1}, 2));
      assertTrue(e.getMessage().startsWith("scatter_max:") && e.getMessage().contains("index[1]")
          && e.getMessage().contains("got 2") && e.getMessage().contains("< 2"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> Scatter.mean(ctx.zeros(3, 2), new int[] {0, -4, 1}, 2));
      assertTrue(e.getMessage().contains("index[1]") && e.getMessage().contains("-4"),
          e.getMessage());
    }
  }

  @Test
  void rejectsMessagesWithWrongEdgeCount() {
    try (Context ctx = Contexts.scalar(1)) {
      EdgeIndex edges = RandomGraphs.uniform(4, 6, SEED);
      var e = assertThrows(IllegalArgumentException.class,
          () -> Scatter.sum(ctx.zeros(5, 3), edges));
      assertTrue(e.getMessage().startsWith("scatter_sum:") && e.getMessage().contains("[5, 3]")
          && e.getMessage().contains("[6, 3]"), e.getMessage());
    }
  }
}
