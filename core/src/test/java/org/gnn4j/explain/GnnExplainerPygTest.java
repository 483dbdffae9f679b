package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;

/**
 * GNNExplainer against PyG 2.6.1's, step by step: the same GCN, the same graph and the same
 * initial logits (fixture {@code gnn_explainer_gcn}, written by {@code gnn_explainer_fixture.py})
 * must give the same loss at every step and the same edge and feature masks, on the node's
 * computation subgraph and on the whole graph.
 */
class GnnExplainerPygTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();

  @Test
  void matchesPygStepByStep() {
    PygFixture fx = PygFixture.load("gnn_explainer_gcn");
    int n = Integer.parseInt(fx.metadata().get("num_nodes"));
    int epochs = 100;
    assertEquals("{\"epochs\": 100, \"lr\": 0.01}", fx.metadata().get("kwargs"));
    int[] ei = fx.ints("edge_index");
    int e = ei.length / 2;
    EdgeIndex edges = EdgeIndex.of(Arrays.copyOfRange(ei, 0, e), Arrays.copyOfRange(ei, e, 2 * e), n);
    BaShapesRun.Config cfg = new BaShapesRun.Config(1, 0.001f, 0.005f, 8, 4,
        GnnExplainer.Config.defaults(), true);
    GraphModel model = BaShapesRun.model(ctx, cfg, new SplittableRandom(0));
    fx.loadInto(model);
    model.train(false);
    ModelInput in = ModelInput.of(fx.tensor(ctx, "x"), Graph.of(edges));
    GnnExplainer ex = new GnnExplainer(new GnnExplainer.Config(epochs, 0.01f, 0.005f, 1f, 1f, 0.1f));
    int[] nodes = fx.ints("nodes");
    int[] pred = fx.ints("pred");
    for (boolean restrict : new boolean[] {true, false}) {
      for (int k = 0; k < nodes.length; k++) {
        String what = "node " + nodes[k] + (restrict ? " (subgraph)" : " (whole graph)");
        Explainable target = Explainable.node(model, in, nodes[k], restrict, false);
        assertEquals(pred[nodes[k]], target.predicted(), what + ": predicted class");
        List<Double> losses = new ArrayList<>();
        Explanation x = ex.explain(target, fx.floats("init.edge_mask." + k),
            fx.floats("init.node_mask." + k), losses::add);
        float[] loss = new float[losses.size()];
        for (int i = 0; i < loss.length; i++) loss[i] = losses.get(i).floatValue();
        OpAssert.assertClose(what + " loss per step", fx.floats("loss." + k), loss, 1e-4, 1e-4);
        OpAssert.assertClose(what + " edge mask", fx.floats("edge_mask." + k), x.edgeMask(), 1e-4, 1e-3);
        OpAssert.assertClose(what + " feature mask", fx.floats("node_mask." + k), x.featureMask(), 1e-4, 1e-3);
      }
    }
  }
}
