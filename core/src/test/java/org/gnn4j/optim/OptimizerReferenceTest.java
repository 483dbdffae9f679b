package org.gnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Three steps of each optimizer on w0 = [1, -2, 0.5] with gradients g1 = [0.5, -1, 2],
 * g2 = [-0.25, 0.5, 1], g3 = [1, 1, -1], against the torch.optim update equations evaluated by
 * hand in double precision (the expected values below).
 */
class OptimizerReferenceTest {
  private static final float[][] GRADS = {{0.5f, -1f, 2f}, {-0.25f, 0.5f, 1f}, {1f, 1f, -1f}};

  private static float[] run(Function<List<Tensor>, Optimizer> make) {
    try (Context ctx = Context.create()) {
      Tensor w = ctx.tensor(new float[] {1f, -2f, 0.5f}, 3).requiresGrad(true);
      Optimizer opt = make.apply(List.of(w));
      for (float[] g : GRADS) {
        opt.zeroGrad();
        w.accumulateGrad(g.clone());
        opt.step();
      }
      return w.toArray();
    }
  }

  private static void assertClose(double[] expected, float[] got) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 2e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  @Test
  void plainSgdIsWMinusLrTimesSumOfGradients() {
    // w3 = w0 - 0.1 * (g1 + g2 + g3)
    assertClose(new double[] {0.875, -2.05, 0.3}, run(p -> new Sgd(p, Sgd.Config.of(0.1f))));
  }

  @Test
  void sgdWithMomentumDampeningAndWeightDecayMatchesTorch() {
    // d = g + 0.01 w; b1 = d1; b = 0.9 b + 0.9 d; w -= 0.1 b
    assertClose(new double[] {0.81208493869, -1.89416987738, -0.124893047405},
        run(p -> new Sgd(p, new Sgd.Config(0.1f, 0.9f, 0.1f, 0.01f, false))));
  }

  @Test
  void nesterovSgdMatchesTorch() {
    // d = g + 0.01 w; b = 0.9 b + d (b1 = d1); w -= 0.1 (d + 0.9 b)
    assertClose(new double[] {0.698189208191, -1.966378416382, -0.2703983212295},
        run(p -> new Sgd(p, Sgd.Config.of(0.1f, 0.9f, 0.01f, true))));
  }

  @Test
  void adamWithL2MatchesTorch() {
    // g += 0.01 w; m, v moments; w -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps)
    assertClose(new double[] {0.98044146069675, -1.98961562492187, 0.476679761251165},
        run(p -> new Adam(p, Adam.Config.of(0.01f, 0.01f))));
  }

  @Test
  void adamWDecouplesWeightDecayLikeTorch() {
    // w *= 1 - 0.01 * 0.1 before each Adam step on the raw gradient
    assertClose(new double[] {0.977781166337639, -1.98409224898523, 0.475241962652448},
        run(p -> new Adam(p, Adam.Config.adamW(0.01f, 0.1f))));
    assertArrayEquals(run(p -> new Adam(p, Adam.Config.adamW(0.01f, 0.1f))),
        run(p -> new Adam(p, new Adam.Config(0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true))));
  }

  @Test
  void setLrChangesTheNextStep() {
    float[] got = run(p -> {
      Sgd s = new Sgd(p, Sgd.Config.of(1f));
      s.setLr(0.1f);
      return s;
    });
    assertClose(new double[] {0.875, -2.05, 0.3}, got);
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), Sgd.Config.of(1f)).setLr(-1f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), Sgd.Config.of(1f)).setLr(Float.NaN));
  }

  @Test
  void resumedOptimizerContinuesBitExactly() {
    List<Function<List<Tensor>, Optimizer>> makers = List.of(
        p -> new Sgd(p, Sgd.Config.of(0.1f, 0.9f, 0.01f, true)),
        p -> new Adam(p, Adam.Config.of(0.01f, 0.01f)),
        p -> new Adam(p, Adam.Config.adamW(0.01f)));
    for (var make : makers) {
      float[] straight = run(make);
      try (Context ctx = Context.create()) {
        Tensor w = ctx.tensor(new float[] {1f, -2f, 0.5f}, 3).requiresGrad(true);
        Optimizer first = make.apply(List.of(w));
        for (int s = 0; s < 2; s++) {
          first.zeroGrad();
          w.accumulateGrad(GRADS[s].clone());
          first.step();
        }
        Map<String, float[]> state = first.state();
        Optimizer second = make.apply(List.of(w));
        second.loadState(state);
        second.zeroGrad();
        w.accumulateGrad(GRADS[2].clone());
        second.step();
        assertArrayEquals(straight, w.toArray(), first.getClass().getSimpleName());
      }
    }
  }

  @Test
  void stepCountSurvivesExportBeyondFloatPrecision() {
    long big = (1L << 40) + 12345;
    assertEquals(big, OptimState.decodeStep(OptimState.encodeStep(big)));
  }

  @Test
  void loadStateNamesTheBadEntry() {
    try (Context ctx = Context.create()) {
      Tensor a = ctx.zeros(3).requiresGrad(true);
      Tensor b = ctx.zeros(4).requiresGrad(true);
      Map<String, float[]> state = new Adam(List.of(a), Adam.Config.of(0.1f, 0f)).state();
      var wrongSize = assertThrows(IllegalArgumentException.class,
          () -> new Adam(List.of(b), Adam.Config.of(0.1f, 0f)).loadState(state));
      assertTrue(wrongSize.getMessage().contains("'state.0.exp_avg' has 3 values, expected 4"),
          wrongSize.getMessage());
      var missing = assertThrows(IllegalArgumentException.class,
          () -> new Adam(List.of(a, b), Adam.Config.of(0.1f, 0f)).loadState(state));
      assertTrue(missing.getMessage().contains("'state.1.exp_avg' is missing"), missing.getMessage());
      var extra = assertThrows(IllegalArgumentException.class,
          () -> new Sgd(List.of(a), Sgd.Config.of(0.1f)).loadState(state));
      assertTrue(extra.getMessage().contains("unexpected state entry 'state.0.exp_avg'"),
          extra.getMessage());
      Map<String, float[]> badLr = new HashMap<>(state);
      badLr.put("lr", new float[] {-1f});
      assertThrows(IllegalArgumentException.class,
          () -> new Adam(List.of(a), Adam.Config.of(0.1f, 0f)).loadState(badLr));
    }
  }

  @Test
  void rejectsBadHyperParameters() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1f, 0f, 0f, 0f, true));
    assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1f, -0.5f, 0f, 0f, false));
    assertThrows(IllegalArgumentException.class, () -> Adam.Config.adamW(0.1f, -1f));
    assertThrows(IllegalArgumentException.class, () -> new Adam.Config(0.1f, 1f, 0.999f, 1e-8f, 0f, true));
  }
}
