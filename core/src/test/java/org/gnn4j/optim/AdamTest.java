package org.gnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void firstStepMovesByLearningRateAgainstTheGradientSign() {
    try (Context ctx = Context.create()) {
      Tensor w = ctx.tensor(new float[] {1f, -2f}, 2).requiresGrad(true);
      w.accumulateGrad(new float[] {0.5f, -3f});
      new Adam(List.of(w), Adam.Config.of(0.1f, 0f)).step();
      // bias-corrected m/sqrt(v) = g/|g| on the first step
      assertEquals(0.9f, w.data()[0], 1e-6);
      assertEquals(-1.9f, w.data()[1], 1e-6);
    }
  }

  @Test
  void refusesAViewOfAParameterWhichWouldNeverTrain() {
    try (Context ctx = Context.create()) {
      Tensor w = ctx.tensor(new float[] {1f, -2f}, 2).requiresGrad(true);
      Tensor view = w.view(1, 2);
      var e = assertThrows(IllegalArgumentException.class,
          () -> new Adam(List.of(w, view), Adam.Config.of(0.1f, 0f)));
      assertEquals(true, e.getMessage().startsWith("optimizer: parameter 1 was computed by "), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(view), Sgd.Config.of(0.1f)));
    }
  }

  @Test
  void matchesTorchOnTwoStepsWithWeightDecay() {
    // torch.optim.Adam([w], lr=0.01, weight_decay=0.1), w=1, grads 2 then -1:
    // step1: g=2.1, m=0.21, v=0.00441, w=1-0.01*1=0.99
    // step2: g=-1+0.099=-0.901, m=0.189-0.0901=0.0989, v=0.00440559+0.000811801=0.005217391
    //        mhat=0.0989/0.19=0.5205263, vhat=0.005217391/0.001999=2.6099, w=0.99-0.01*0.32220
    try (Context ctx = Context.create()) {
      Tensor w = ctx.tensor(new float[] {1f}, 1).requiresGrad(true);
      Adam adam = new Adam(List.of(w), Adam.Config.of(0.01f, 0.1f));
      w.accumulateGrad(new float[] {2f});
      adam.step();
      assertEquals(0.99f, w.data()[0], 1e-6);
      adam.zeroGrad();
      w.accumulateGrad(new float[] {-1f});
      adam.step();
      double mhat = 0.0989 / 0.19;
      double vhat = (0.999 * 0.00441 + 0.001 * 0.901 * 0.901) / (1 - 0.999 * 0.999);
      assertEquals(0.99 - 0.01 * mhat / (Math.sqrt(vhat) + 1e-8), w.data()[0], 2e-6);
    }
  }

  @Test
  void rejectsBadHyperParameters() {
    assertThrows(IllegalArgumentException.class, () -> Adam.Config.of(0f, 0f));
    assertThrows(IllegalArgumentException.class, () -> Adam.Config.of(0.1f, -1f));
  }
}
