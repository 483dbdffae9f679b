package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

class AttentionExplanationTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();

  /** Layers that add their own self-loops: a node's in-edges share the softmax with its loop. */
  private static boolean addsLoops(ModelSpec.Layer l) {
    return l == ModelSpec.Layer.GAT || l == ModelSpec.Layer.GATV2;
  }

  @Test
  void nodeLevelWeightsLieOnTheEdgesWithinTheModelsReachAndSumAsTheSoftmaxSays() {
    for (ModelSpec.Layer kind : AttentionExplanation.EDGE_ATTENTION) {
      ModelInput in = ExplainFixtures.input(ctx, 3, 16);
      // one layer: the explanation is that layer's softmax, mean of its heads
      GraphModel model = ExplainFixtures.model(ctx, kind, 1, 3, 2);
      Explainable e = Explainable.node(model, in, 0, false, false);
      Explanation a = AttentionExplanation.explain(e);
      EdgeIndex g = in.graph().edges();
      int[] dist = ComputationSubgraph.distancesTo(g, 0, 1);
      double into0 = 0;
      for (int k = 0; k < g.numEdges(); k++) {
        boolean inside = dist[g.src()[k]] >= 0 && dist[g.dst()[k]] >= 0;
        float m = a.edgeMask()[k];
        if (!inside) assertEquals(0f, m, kind + ": edge " + k + " is beyond one hop of node 0");
        else assertTrue(m > 0 && m <= 1, kind + ": edge " + k + " weight " + m);
        if (g.dst()[k] == 0) into0 += m;
      }
      if (addsLoops(kind)) assertTrue(into0 > 0 && into0 < 1, kind + ": " + into0);
      else assertEquals(1.0, into0, 1e-5, kind + ": node 0's in-edges carry all its attention");
    }
  }

  @Test
  void graphLevelWeightsCoverEveryEdgeAndAverageTheLayers() {
    for (ModelSpec.Layer kind : AttentionExplanation.EDGE_ATTENTION) {
      // 8 features = the hidden width, which the graph transformer keeps
      ModelInput in = ExplainFixtures.input(ctx, 8, 21);
      GraphModel model = ExplainFixtures.graphModel(ctx, kind, 8, 4);
      Explanation a = AttentionExplanation.explain(Explainable.graph(model, in, 7, false));
      assertEquals(7, a.id());
      EdgeIndex g = in.graph().edges();
      double[] perTarget = new double[12];
      for (int k = 0; k < g.numEdges(); k++) {
        assertTrue(a.edgeMask()[k] > 0 && a.edgeMask()[k] <= 1, kind + ": edge " + k);
        perTarget[g.dst()[k]] += a.edgeMask()[k];
      }
      // each of the 2 layers sums to 1 per target (with the loop for GAT/GATv2): so does the mean
      for (int i = 0; i < 12; i++) {
        if (addsLoops(kind)) assertTrue(perTarget[i] > 0 && perTarget[i] < 1, kind + " node " + i);
        else assertEquals(1.0, perTarget[i], 1e-5, kind + ": node " + i);
      }
    }
  }

  @Test
  void patternEdgesMapToTheGraphsEdgesInOrderAndLoopsToNone() {
    // graph: 0->1 twice (parallel), 1->0, 2->2 (a loop of its own)
    EdgeIndex g = EdgeIndex.of(new int[] {0, 1, 0, 2}, new int[] {1, 0, 1, 2}, 3);
    // a GAT-style pattern: loop-free edges in order, then one loop per node
    EdgeIndex p = EdgeIndex.of(new int[] {0, 1, 0, 0, 1, 2}, new int[] {1, 0, 1, 0, 1, 2}, 3);
    assertArrayEquals(new int[] {0, 1, 2, -1, -1, 3}, AttentionExplanation.graphEdges(p, g));
  }

  @Test
  void modelsWithoutEdgeAttentionAreRefusedNamingTheValidLayers() {
    ModelInput in = ExplainFixtures.input(ctx, 3, 15);
    for (ModelSpec.Layer kind : List.of(ModelSpec.Layer.GCN, ModelSpec.Layer.GIN)) {
      Explainable e = Explainable.node(ExplainFixtures.model(ctx, kind, 2, 3, 1), in, 0, true, false);
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> AttentionExplanation.explain(e));
      assertTrue(ex.getMessage().contains("gat, gatv2, transformer or graph_transformer")
          && ex.getMessage().contains("'" + kind.toString().toLowerCase(java.util.Locale.ROOT) + "'"),
          ex.getMessage());
    }
  }

  @Test
  void anAttentionExplanationHasNoFidelityBecauseAttentionLayersTakeNoEdgeMask() {
    ModelInput in = ExplainFixtures.input(ctx, 3, 16);
    Explainable e = Explainable.node(ExplainFixtures.model(ctx, ModelSpec.Layer.GAT, 2, 3, 2), in,
        0, false, false);
    Explanation a = AttentionExplanation.explain(e);
    assertTrue(!Fidelity.applies(e, a));
    assertThrows(IllegalArgumentException.class, () -> Fidelity.of(e, a));
  }
}
