package org.gnn4j.explain;

import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Integrated gradients (Sundararajan et al., arXiv:1703.01365): the features and the edge mask
 * move together along the straight path from a baseline (zero features, every edge masked to 0)
 * to the input (the features, every edge 1); an entry's attribution is its distance from the
 * baseline times the mean gradient along the path, by the midpoint rule over {@code steps}
 * points. By the completeness axiom the attributions of features and edges together sum to
 * score(input) - score(baseline), up to the quadrature error. Signed.
 */
public final class IntegratedGradients {
  private IntegratedGradients() {}

  /** @param steps points on the path (Captum's n_steps; 50 is its default) */
  public static Explanation explain(Explainable e, int steps) {
    if (steps < 1) throw new IllegalArgumentException("ig: steps must be >= 1 (got " + steps + ")");
    Context ctx = e.ctx();
    boolean feats = e.hasFeatures();
    boolean edges = e.masksEdges();
    if (!feats && !edges) {
      throw new IllegalArgumentException("ig: the model takes neither an edge mask nor node"
          + " features, so there is nothing to attribute");
    }
    int numEdges = e.graph().numEdges();
    float[] x0 = feats ? e.x().data() : null;
    float[] gx = feats ? new float[x0.length] : null;
    float[] gm = edges ? new float[numEdges] : null;
    for (int k = 0; k < steps; k++) {
      float alpha = (k + 0.5f) / steps;
      Tensor x = feats ? e.x().detach().mul(alpha).detach().requiresGrad(true) : null;
      Tensor mask = edges ? ctx.full(alpha, numEdges).requiresGrad(true) : null;
      e.score(e.output(x, mask)).backward();
      if (feats && x.gradArray() != null) add(gx, x.gradArray());
      if (edges && mask.gradArray() != null) add(gm, mask.gradArray());
    }
    int f = feats ? e.x().dim(1) : 0;
    float[] featAttr = null;
    if (feats) {
      featAttr = new float[x0.length];
      for (int i = 0; i < x0.length; i++) featAttr[i] = x0[i] * gx[i] / steps;
    }
    float[] edgeAttr = null;
    if (edges) {
      edgeAttr = new float[numEdges];
      for (int i = 0; i < numEdges; i++) edgeAttr[i] = gm[i] / steps;
    }
    return new Explanation("ig", e.nodeLevel(), e.id(), e.predicted(),
        edgeAttr == null ? null : Explanation.scatter(edgeAttr, e.edgeMap(), e.fullEdges(), 1),
        featAttr == null ? null : Explanation.scatter(featAttr, e.nodeMap(), e.fullNodes(), f), f);
  }

  private static void add(float[] acc, float[] g) {
    for (int i = 0; i < acc.length; i++) acc[i] += g[i];
  }
}
