package org.gnn4j.optim;

import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * The state and bookkeeping Adam and AdamW share (parameters, moment buffers, learning rate,
 * step count, state export); the two public classes differ only in how weight decay enters
 * {@link AdamUpdate} and in the name their messages carry.
 */
final class AdamCore {
  private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

  private final String name;
  final List<Tensor> params;
  private final float[][] m;
  private final float[][] v;
  float lr;
  private long step;

  AdamCore(String name, List<Tensor> params, float lr) {
    this.name = name;
    this.params = List.copyOf(params);
    this.m = OptimState.zerosLike(this.params);
    this.v = OptimState.zerosLike(this.params);
    this.lr = lr;
  }

  void step(float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
    step++;
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      float[] g = p.gradArray();
      if (g == null) continue;
      AdamUpdate.apply(p.data(), g, m[i], v[i], step, lr, beta1, beta2, eps, weightDecay, decoupled);
    }
  }

  void setLr(float lr) {
    OptimState.checkLr(name, lr);
    this.lr = lr;
  }

  Map<String, float[]> state() {
    return OptimState.export(step, lr, BUFFERS, m, v);
  }

  void loadState(Map<String, float[]> state) {
    OptimState.validate(name, state, params, BUFFERS);
    step = OptimState.decodeStep(state.get("step"));
    lr = state.get("lr")[0];
    OptimState.copyInto(state, "exp_avg", m);
    OptimState.copyInto(state, "exp_avg_sq", v);
  }
}
