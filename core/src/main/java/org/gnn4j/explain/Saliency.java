package org.gnn4j.explain;

import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Gradient saliency (Simonyan et al., arXiv:1312.6034; Captum's {@code Saliency} as PyG's
 * {@code CaptumExplainer} uses it): the magnitude of the gradient of the explained score
 * (log-probability of the predicted class, or the regression output) with respect to every
 * node feature and to a mask of ones on the edges, one backward pass.
 */
public final class Saliency {
  private Saliency() {}

  public static Explanation explain(Explainable e) {
    Context ctx = e.ctx();
    Tensor x = e.hasFeatures() ? e.x().detach().requiresGrad(true) : null;          // [n, F]
    Tensor mask = e.masksEdges() ? ctx.ones(e.graph().numEdges()).requiresGrad(true) : null;
    if (x == null && mask == null) {
      throw new IllegalArgumentException("saliency: the model takes neither an edge mask nor node"
          + " features, so there is nothing to attribute");
    }
    e.score(e.output(x, mask)).backward();
    int f = x == null ? 0 : x.dim(1);
    float[] edges = mask == null ? null
        : Explanation.scatter(abs(mask.gradArray(), mask.numel()), e.edgeMap(), e.fullEdges(), 1);
    float[] feats = x == null ? null
        : Explanation.scatter(abs(x.gradArray(), x.numel()), e.nodeMap(), e.fullNodes(), f);
    return new Explanation("saliency", e.nodeLevel(), e.id(), e.predicted(), edges, feats, f);
  }

  private static float[] abs(float[] g, int n) {
    float[] out = new float[n];
    if (g != null) for (int i = 0; i < n; i++) out[i] = Math.abs(g[i]);
    return out;
  }
}
