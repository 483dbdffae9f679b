package org.gnn4j.ops;

import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Ranking losses on paired scores, for recommendation and link prediction: Bayesian
 * personalised ranking (Rendle et al., arXiv:1205.2618), the mean over pairs of
 * {@code -ln sigmoid(pos_i - neg_i)}, which pushes each positive's score above its negative's.
 */
public final class PairLosses {
  private PairLosses() {}

  /**
   * BPR loss, computed as {@code softplus(neg - pos)} so that large score gaps neither overflow
   * nor lose the gradient.
   *
   * @param pos [B] scores of the positive items or links
   * @param neg [B] scores of their negatives, pair i against pair i
   * @return a scalar: the mean over the B pairs (0 for B = 0)
   * @throws IllegalArgumentException unless pos and neg are both [B]
   */
  public static Tensor bpr(Tensor pos, Tensor neg) {
    if (pos.rank() != 1 || neg.rank() != 1 || pos.dim(0) != neg.dim(0)) {
      throw new IllegalArgumentException("bpr: pos and neg must both be [B] (got " + pos.shape()
          + " and " + neg.shape() + ")");
    }
    float[] p = pos.data();
    float[] q = neg.data();
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      double x = (double) q[i] - p[i];
      total += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
    float mean = p.length == 0 ? 0f : (float) (total / p.length);
    return new Tensor(pos.ctx(), Shape.of(), new float[] {mean}).recordedBy(new Backward(pos, neg));
  }

  private static final class Backward extends Node {
    Backward(Tensor pos, Tensor neg) {
      super(pos, neg);
    }

    @Override
    public void backward(float[] gradOut) {               // gradOut: [1]
      float[] p = inputs()[0].data();
      float[] q = inputs()[1].data();
      int b = p.length;
      float[] dPos = new float[b];
      float[] dNeg = new float[b];
      double scale = b == 0 ? 0 : (double) gradOut[0] / b;
      for (int i = 0; i < b; i++) {
        // d softplus(x)/dx = sigmoid(x), x = neg - pos: dNeg = sigmoid(x), dPos = -sigmoid(x)
        double x = (double) q[i] - p[i];
        double sig = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        dPos[i] = (float) (-scale * sig);
        dNeg[i] = (float) (scale * sig);
      }
      if (needsGrad(0)) accumulate(0, dPos);
      if (needsGrad(1)) accumulate(1, dNeg);
    }
  }
}
