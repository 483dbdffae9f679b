package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GnnExplainerTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();

  @Test
  void lossFallsMasksInUnitIntervalAndZeroOutsideTheComputationSubgraph() {
    ModelInput in = ExplainFixtures.input(ctx, 4, 1);
    GraphModel model = ExplainFixtures.model(ctx, ModelSpec.Layer.GCN, 2, 4, 2);
    Explainable e = Explainable.node(model, in, 0, true, false);
    List<Double> losses = new ArrayList<>();
    Explanation x = new GnnExplainer(GnnExplainer.Config.defaults()).explain(e, new SplittableRandom(3), losses::add);
    assertEquals(200, losses.size());
    // from step 2 on the regularisers are in the loss: compare the second step with the last
    assertTrue(losses.get(199) < losses.get(1) - 0.1, "loss " + losses.get(1) + " -> " + losses.get(199));
    EdgeIndex edges = in.graph().edges();
    int[] dist = ComputationSubgraph.distancesTo(edges, 0, 2);
    int inside = 0;
    for (int k = 0; k < edges.numEdges(); k++) {
      float m = x.edgeMask()[k];
      assertTrue(m >= 0 && m <= 1, "edge " + k + " mask " + m);
      // the prediction of node 0 after 2 layers depends on the edges into nodes within 1 hop
      boolean matters = dist[edges.dst()[k]] >= 0 && dist[edges.dst()[k]] <= 1;
      if (!matters) assertEquals(0f, m, "edge " + k + " cannot change node 0's prediction");
      if (matters) {
        assertTrue(m > 0, "edge " + k + " into a node within 1 hop has a mask");
        inside++;
      }
    }
    assertTrue(inside > 0);
    for (int i = 0; i < 12; i++) {
      for (int c = 0; c < 4; c++) {
        float f = x.featureMask()[i * 4 + c];
        assertTrue(f >= 0 && f <= 1);
        if (dist[i] < 0) assertEquals(0f, f, "node " + i + " is beyond 2 hops");
      }
    }
  }

  @Test
  void theComputationSubgraphGivesTheWholeGraphsExplanation() {
    ModelInput in = ExplainFixtures.input(ctx, 4, 4);
    GraphModel model = ExplainFixtures.model(ctx, ModelSpec.Layer.GCN, 2, 4, 5);
    GnnExplainer ex = new GnnExplainer(new GnnExplainer.Config(30, 0.01f, 0.005f, 1f, 1f, 0.1f));
    Explainable cut = Explainable.node(model, in, 3, true, false);
    Explainable whole = Explainable.node(model, in, 3, false, false);
    assertTrue(cut.graph().numNodes() < whole.graph().numNodes());
    try (var s = ctx.noGrad()) {
      assertArrayEquals(whole.output(null, null).data(), cut.output(null, null).data(), 1e-5f);
    }
    Explanation a = ex.explain(cut, new SplittableRandom(9));
    Explanation b = ex.explain(whole, new SplittableRandom(9));
    assertArrayEquals(b.edgeMask(), a.edgeMask(), 1e-4f);
    assertArrayEquals(b.featureMask(), a.featureMask(), 1e-4f);
  }

  @Test
  void edgeMaskOfOnesChangesNothingInEveryMaskableLayer() {
    ModelInput in = ExplainFixtures.input(ctx, 4, 6);
    for (ModelSpec.Layer layer : new ModelSpec.Layer[] {ModelSpec.Layer.GCN, ModelSpec.Layer.GIN,
        ModelSpec.Layer.SAGE, ModelSpec.Layer.GRAPHCONV}) {
      GraphModel model = ExplainFixtures.model(ctx, layer, 2, 4, 7);
      Explainable e = Explainable.node(model, in, 2, false, false);
      assertTrue(e.masksEdges(), layer.toString());
      try (var s = ctx.noGrad()) {
        Tensor plain = e.output(null, null);
        Tensor ones = e.output(null, ctx.ones(in.graph().numEdges()));
        Tensor zeros = e.output(null, ctx.zeros(in.graph().numEdges()));
        assertArrayEquals(plain.data(), ones.data(), 1e-6f, layer.toString());
        boolean changed = false;
        for (int c = 0; c < 3; c++) changed |= Math.abs(plain.data()[c] - zeros.data()[c]) > 1e-6;
        assertTrue(changed, layer + ": masking every edge must change the output");
      }
    }
  }

  @Test
  void explainsAGraphLevelPredictionWithEveryMethod() {
    ModelInput in = ExplainFixtures.input(ctx, 4, 21);
    GraphModel model = ExplainFixtures.graphModel(ctx, ModelSpec.Layer.GIN, 4, 22);
    Explainable e = Explainable.graph(model, in, 7, false);
    assertEquals(in.graph().numEdges(), e.graph().numEdges(), "a graph is explained whole");
    List<Double> losses = new ArrayList<>();
    Explanation g = new GnnExplainer(GnnExplainer.Config.defaults()).explain(e, new SplittableRandom(1), losses::add);
    assertEquals(7, g.id());
    assertTrue(losses.get(199) < losses.get(1));
    int nonZero = 0;
    for (float m : g.edgeMask()) {
      assertTrue(m >= 0 && m <= 1);
      if (m > 0) nonZero++;
    }
    // the mean pools every node, so every edge can change the prediction
    assertEquals(in.graph().numEdges(), nonZero);
    Explanation s = Saliency.explain(e);
    assertEquals(in.graph().numEdges(), s.edgeMask().length);
    Fidelity f = Fidelity.of(e, g);
    assertTrue(f != null);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Explainable.node(model, in, 0, true, false));
  }

  @Test
  void computationSubgraphKeepsEveryInEdgeOfNodesWithinTheHops() {
    EdgeIndex e = ExplainFixtures.graph().edges();
    ComputationSubgraph sg = ComputationSubgraph.of(e, 0, 1);
    // node 0's neighbours are 1, 9, 5; the edges into {0, 1, 9, 5} bring in 2, 8, 4, 6
    assertArrayEquals(new int[] {0, 1, 2, 4, 5, 6, 8, 9}, sg.nodes());
    for (int k : sg.edges()) {
      int d = e.dst()[k];
      assertTrue(d == 0 || d == 1 || d == 9 || d == 5);
    }
    assertEquals(3 + 2 + 2 + 3, sg.edges().length, "the in-degrees of 0, 1, 9 and 5");
    assertEquals(0, sg.center());
  }
}
