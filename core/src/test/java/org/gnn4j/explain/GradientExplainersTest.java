package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradientExplainersTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();

  private double score(Explainable e, float[] x, float[] mask) {
    try (var s = ctx.noGrad()) {
      Tensor xt = ctx.tensor(x, e.x().shape().toArray());
      Tensor mt = mask == null ? null : ctx.tensor(mask, mask.length);
      return e.score(e.output(xt, mt)).item();
    }
  }

  @Test
  void saliencyIsTheGradientMagnitudeByFiniteDifferences() {
    ModelInput in = ExplainFixtures.input(ctx, 3, 11);
    GraphModel model = ExplainFixtures.model(ctx, ModelSpec.Layer.GCN, 2, 3, 12);
    Explainable e = Explainable.node(model, in, 1, false, false);
    Explanation s = Saliency.explain(e);
    float[] x = in.x().data().clone();
    int edges = in.graph().numEdges();
    float[] ones = new float[edges];
    java.util.Arrays.fill(ones, 1f);
    double h = 1e-2;
    for (int k = 0; k < edges; k++) {
      float[] p = ones.clone();
      float[] m = ones.clone();
      p[k] += (float) h;
      m[k] -= (float) h;
      double fd = Math.abs((score(e, x, p) - score(e, x, m)) / (2 * h));
      assertEquals(fd, s.edgeMask()[k], 2e-3 + 2e-2 * fd, "edge " + k);
    }
    for (int i = 0; i < x.length; i += 5) {
      float[] p = x.clone();
      float[] m = x.clone();
      p[i] += (float) h;
      m[i] -= (float) h;
      double fd = Math.abs((score(e, p, ones) - score(e, m, ones)) / (2 * h));
      assertEquals(fd, s.featureMask()[i], 2e-3 + 2e-2 * fd, "feature " + i);
    }
  }

  @Test
  void integratedGradientsAreComplete() {
    ModelInput in = ExplainFixtures.input(ctx, 3, 13);
    for (ModelSpec.Layer layer : new ModelSpec.Layer[] {ModelSpec.Layer.GCN, ModelSpec.Layer.GIN}) {
      GraphModel model = ExplainFixtures.model(ctx, layer, 2, 3, 14);
      Explainable e = Explainable.node(model, in, 4, true, false);
      Explanation ig = IntegratedGradients.explain(e, 200);
      double sum = 0;
      for (float v : ig.edgeMask()) sum += v;
      for (float v : ig.featureMask()) sum += v;
      float[] zeroX = new float[e.x().numel()];
      float[] zeroMask = new float[e.graph().numEdges()];
      float[] oneMask = new float[e.graph().numEdges()];
      java.util.Arrays.fill(oneMask, 1f);
      double gap = score(e, e.x().data(), oneMask) - score(e, zeroX, zeroMask);
      assertTrue(Math.abs(gap) > 1e-3, layer + ": the test needs a non-trivial gap");
      assertEquals(gap, sum, 1e-2 * Math.max(1, Math.abs(gap)), layer + ": sum of attributions");
    }
  }

  @Test
  void fidelityOnHandMadeMasks() {
    ModelInput in = ExplainFixtures.input(ctx, 3, 17);
    GraphModel model = ExplainFixtures.model(ctx, ModelSpec.Layer.GCN, 2, 3, 18);
    int e = in.graph().numEdges();
    java.util.List<Fidelity> all = new java.util.ArrayList<>();
    int notZero = 0;
    for (int v = 0; v < 10; v++) {
      Explainable ex = Explainable.node(model, in, v, true, false);
      float[] ones = new float[e];
      java.util.Arrays.fill(ones, 1f);
      float[] feats = new float[12 * 3];
      java.util.Arrays.fill(feats, 1f);
      // keeping everything keeps the prediction; removing everything leaves only the biases,
      // which are zero in a fresh model: all classes tie and argmax picks class 0
      Fidelity f = Fidelity.of(ex, new Explanation("hand", true, v, ex.predicted(), ones, feats, 3));
      assertEquals(false, f.explanationChanged());
      assertEquals(ex.predicted() != 0, f.complementChanged());
      if (ex.predicted() != 0) notZero++;
      all.add(f);
    }
    double[] m = Fidelity.mean(all);
    assertEquals(notZero / 10.0, m[0], 1e-12);
    assertEquals(0.0, m[1], 1e-12);
  }
}
