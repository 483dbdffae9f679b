package org.gnn4j.explain;

import org.gnn4j.tensor.Tensor;

/**
 * Fidelity of an explanation as PyG's {@code torch_geometric.explain.metric.fidelity} defines it
 * for model explanations (Amara et al., arXiv:2206.09677): the prediction with only the
 * explanation kept (features times the feature mask, messages times the edge mask) and with it
 * removed (times one minus the masks), soft masks as they are, no threshold. Fidelity+ of a set
 * of explanations is the share whose prediction changes once the explanation is removed
 * (higher: the explanation is necessary); fidelity- the share whose prediction changes when only
 * the explanation is kept (lower: it is sufficient).
 *
 * @param complementChanged the prediction without the explanation differs from the model's
 * @param explanationChanged the prediction with only the explanation differs from the model's
 */
public record Fidelity(boolean complementChanged, boolean explanationChanged) {

  /**
   * Whether the model can take the explanation's masks: an edge mask needs layers that multiply
   * their messages by one (attention layers take none, so an attention explanation has no
   * fidelity).
   */
  public static boolean applies(Explainable e, Explanation ex) {
    return !e.regression() && (ex.edgeMask() == null || e.masksEdges());
  }

  /** Fidelity of one classification explanation; a missing mask leaves that input as it is. */
  public static Fidelity of(Explainable e, Explanation ex) {
    if (e.regression()) throw new IllegalArgumentException("fidelity: defined for classification only");
    if (!applies(e, ex)) {
      throw new IllegalArgumentException("fidelity: layer '" + e.model().spec().layer()
          + "' takes no edge mask, so the " + ex.method() + " explanation's edges cannot be kept"
          + " or removed");
    }
    float[] em = ex.edgeMaskOn(e);
    float[] fm = ex.featureMaskOn(e);
    try (var s = e.ctx().noGrad()) {
      int with = predict(e, em, fm, false);
      int without = predict(e, em, fm, true);
      return new Fidelity(without != e.predicted(), with != e.predicted());
    }
  }

  private static int predict(Explainable e, float[] em, float[] fm, boolean complement) {
    Tensor x = null;
    if (fm != null && e.x() != null) {
      float[] v = e.x().data().clone();
      for (int i = 0; i < v.length; i++) v[i] *= complement ? 1 - fm[i] : fm[i];
      x = e.ctx().tensor(v, e.x().shape().toArray());
    }
    Tensor mask = null;
    if (em != null) {
      float[] m = em.clone();
      if (complement) for (int i = 0; i < m.length; i++) m[i] = 1 - m[i];
      mask = e.ctx().tensor(m, m.length);
    }
    return Explainable.argmax(e.output(x, mask).data());
  }

  /** [fidelity+, fidelity-] over a set of explanations. */
  public static double[] mean(Iterable<Fidelity> all) {
    int n = 0;
    int plus = 0;
    int minus = 0;
    for (Fidelity f : all) {
      n++;
      if (f.complementChanged()) plus++;
      if (f.explanationChanged()) minus++;
    }
    return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {(double) plus / n, (double) minus / n};
  }
}
