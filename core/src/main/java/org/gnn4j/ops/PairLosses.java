package org.gnn4j.ops;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Losses on pairs of scores, where what matters is that one score beats the other: the
 * Bayesian personalised ranking loss of implicit-feedback recommenders and link predictors
 * (Rendle et al., arXiv:1205.2618), {@code mean_b -ln sigmoid(pos[b] - neg[b])}, a positive
 * (observed) pair's score against a sampled negative's.
 */
public final class PairLosses {
  private PairLosses() {}

  /**
   * BPR: {@code mean_b softplus(neg[b] - pos[b])}, which is {@code -ln sigmoid(pos - neg)}
   * computed without overflow for any difference. An empty batch gives 0 and zero gradients.
   *
   * @param pos [B] scores of the observed pairs
   * @param neg [B] scores of their negatives
   * @return [] the mean loss
   * @throws IllegalArgumentException if pos and neg are not both [B]
   */
  public static Tensor bpr(Tensor pos, Tensor neg) {
    if (pos.rank() != 1 || !pos.shape().equals(neg.shape())) {
      throw new IllegalArgumentException("bpr: pos and neg must both be [B] (got " + pos.shape()
          + " and " + neg.shape() + ", expected two equal one-axis shapes)");
    }
    float[] p = pos.data();
    float[] n = neg.data();
    double total = 0;
    for (int b = 0; b < p.length; b++) total += softplus((double) n[b] - p[b]);
    float mean = p.length == 0 ? 0f : (float) (total / p.length);
    return new Tensor(pos.ctx(), Shape.of(), new float[] {mean}).recordedBy(new Backward(pos, neg));
  }

  /** ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large |x|. */
  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** sigmoid(x) taken on the side where the exponential cannot overflow. */
  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  private static final class Backward extends Node {
    Backward(Tensor pos, Tensor neg) {
      super(pos, neg);
    }

    @Override
    public void backward(float[] gradOut) {
      float[] p = inputs()[0].data();
      float[] n = inputs()[1].data();
      double scale = p.length == 0 ? 0 : (double) gradOut[0] / p.length;
      float[] dp = new float[p.length];                   // dp: [B]
      float[] dn = new float[p.length];                   // dn: [B]
      for (int b = 0; b < p.length; b++) {
        // d/dneg softplus(neg - pos) = sigmoid(neg - pos) = -d/dpos
        float g = (float) (scale * sigmoid((double) n[b] - p[b]));
        dp[b] = -g;
        dn[b] = g;
      }
      if (needsGrad(0)) accumulate(0, dp);
      if (needsGrad(1)) accumulate(1, dn);
    }
  }
}
