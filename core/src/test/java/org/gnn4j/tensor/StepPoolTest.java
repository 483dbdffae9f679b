package org.gnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.Scatter;
import org.gnn4j.ops.Spmm;
import org.junit.jupiter.api.Test;

/**
 * The step pool behind {@link Context#step()}: a step computes exactly what it computes without
 * one, a reused buffer carries nothing from the step that used it before, the pool really
 * reuses, and a tensor of a closed step refuses to be read while leaf gradients stay valid.
 */
class StepPoolTest {
  private static final int N = 1500;       // [N, F] and [E, *] buffers above the pool's minimum
  private static final int E = 6000;
  private static final int F = 24;

  /** One training step of a small message-passing layer; returns the loss and every gradient. */
  private static List<float[]> step(Context ctx, Tensor x, Tensor w, Tensor att, EdgeIndex e,
                                    boolean pooled) {
    List<float[]> got = new ArrayList<>();
    x.zeroGrad();
    w.zeroGrad();
    att.zeroGrad();
    Context.StepScope scope = pooled ? ctx.step() : null;
    try {
      Tensor h = x.matmul(w).relu();                               // [N, F]
      Tensor score = Gather.src(h, e).mul(Gather.dst(h, e)).matmul(att);   // [E, 1]
      Tensor alpha = EdgeSoftmax.apply(score, e);                  // [E, 1]
      Tensor msg = Gather.src(h, e).mul(alpha);                    // [E, F]
      Tensor out = Scatter.sum(msg, e).add(Spmm.aggregate(e, null, h)).add(h.mul(0.5f));
      Tensor loss = out.mul(out).mean();
      loss.backward();
      got.add(new float[] {loss.item()});
    } finally {
      if (scope != null) scope.close();
    }
    got.add(x.gradArray().clone());
    got.add(w.gradArray().clone());
    got.add(att.gradArray().clone());
    return got;
  }

  private static Context context() {
    return Context.builder().threads(2).seed(7).build();
  }

  @Test
  void stepsAreBitIdenticalWithAndWithoutThePool() {
    try (Context a = context(); Context b = context()) {
      SplittableRandom ra = new SplittableRandom(3);
      SplittableRandom rb = new SplittableRandom(3);
      EdgeIndex ea = RandomGraph.uniform(N, E, ra);
      EdgeIndex eb = RandomGraph.uniform(N, E, rb);
      Tensor xa = a.randn(ra, N, F).requiresGrad(true);
      Tensor xb = b.randn(rb, N, F).requiresGrad(true);
      Tensor wa = a.randn(ra, F, F).mul(0.3f).detach().requiresGrad(true);
      Tensor wb = b.randn(rb, F, F).mul(0.3f).detach().requiresGrad(true);
      Tensor atta = a.randn(ra, F, 1).detach().requiresGrad(true);
      Tensor attb = b.randn(rb, F, 1).detach().requiresGrad(true);
      for (int s = 0; s < 4; s++) {
        List<float[]> plain = step(a, xa, wa, atta, ea, false);
        List<float[]> pooled = step(b, xb, wb, attb, eb, true);
        for (int i = 0; i < plain.size(); i++) {
          assertArrayEquals(plain.get(i), pooled.get(i), "step " + s + ", output " + i);
        }
        assertTrue(b.pooledFloats() > 0, "the pool keeps the step's buffers for the next step");
      }
    }
  }

  @Test
  void aLeafGradientDroppedEachStepCostsOneNewBufferNotTheStep() {
    // x's gradient is a pooled buffer the leaf keeps; zeroGrad drops it, so each step is one
    // [N, F] buffer short of the last: that one miss must not send the rest of the pool away
    try (Context ctx = context()) {
      SplittableRandom r = new SplittableRandom(4);
      EdgeIndex e = RandomGraph.uniform(N, E, r);
      Tensor x = ctx.randn(r, N, F).requiresGrad(true);
      Tensor w = ctx.randn(r, F, F).mul(0.3f).detach().requiresGrad(true);
      Tensor att = ctx.randn(r, F, 1).detach().requiresGrad(true);
      step(ctx, x, w, att, e, true);
      step(ctx, x, w, att, e, true);
      long before = ctx.pooledMisses();
      for (int s = 0; s < 3; s++) step(ctx, x, w, att, e, true);
      assertTrue(ctx.pooledMisses() - before <= 3, "misses in three repeated steps: "
          + (ctx.pooledMisses() - before));
    }
  }

  @Test
  void aReusedBufferStartsAtZero() {
    try (Context ctx = context()) {
      SplittableRandom r = new SplittableRandom(5);
      Tensor x = ctx.randn(r, N, F);
      // A graph where most nodes get no message: their rows of a sum are the buffer's initial value.
      EdgeIndex sparse = RandomGraph.uniform(N / 10, N / 10, r);
      EdgeIndex e = EdgeIndex.of(sparse.src(), sparse.dst(), N);
      float[] expected;
      try (var s = ctx.noGrad()) {
        expected = Spmm.aggregate(e, null, x).toArray();
      }
      try (var step = ctx.step()) {
        x.mul(1e6f).add(3f);                     // fills [N, F] buffers with large values
      }
      long pooled = ctx.pooledFloats();
      assertTrue(pooled >= (long) N * F, "the first step's buffers stay in the pool");
      float[] got;
      try (var step = ctx.step()) {
        got = Spmm.aggregate(e, null, x).toArray();
        assertTrue(ctx.pooledFloats() < pooled, "the second step took a buffer from the pool");
      }
      assertArrayEquals(expected, got);
    }
  }

  @Test
  void tensorsOfAClosedStepRefuseReadsAndLeafGradientsStay() {
    try (Context ctx = context()) {
      SplittableRandom r = new SplittableRandom(9);
      Tensor x = ctx.randn(r, N, F).requiresGrad(true);
      Tensor y;
      float[] grad;
      try (var step = ctx.step()) {
        y = x.mul(2f).relu();
        y.sum().backward();
        grad = x.gradArray().clone();
      }
      Tensor kept = y;
      IllegalStateException ex = assertThrows(IllegalStateException.class, kept::data);
      assertTrue(ex.getMessage().contains("Context.step()"), ex.getMessage());
      assertThrows(IllegalStateException.class, () -> kept.get(0, 0));
      assertNotNull(x.gradArray());
      assertArrayEquals(grad, x.gradArray(), "a leaf's gradient survives its step");
      // and the next step does not write into it
      try (var step = ctx.step()) {
        x.mul(-5f).add(1f).sum();
      }
      assertArrayEquals(grad, x.gradArray());
      assertEquals(N * F, x.data().length, "leaves made outside the step stay readable");
    }
  }

  @Test
  void otherThreadsAllocateAsUsualAndNestedStepsJoin() throws Exception {
    try (Context ctx = context()) {
      Tensor x = ctx.randn(new SplittableRandom(1), N, F);
      try (var outer = ctx.step()) {
        try (var inner = ctx.step()) {
          x.mul(2f);
        }
        Tensor[] fromOther = new Tensor[1];
        Thread t = new Thread(() -> fromOther[0] = x.mul(3f));
        t.start();
        t.join();
        assertEquals(3f * x.data()[0], fromOther[0].data()[0]);
        outer.close();
        assertEquals(3f * x.data()[0], fromOther[0].data()[0], "not lent, so still readable");
      }
    }
  }
}
