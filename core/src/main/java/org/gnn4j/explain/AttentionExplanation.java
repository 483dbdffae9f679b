package org.gnn4j.explain;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelAttention;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.AttentionWeights;

/**
 * Attention as explanation (PyG's {@code AttentionExplainer}, here with the mean instead of its
 * default max): the attention coefficient of every edge in every attention layer, averaged over
 * heads and layers, for models whose attention runs over the graph's edges: GATConv, GATv2Conv,
 * TransformerConv and the Graph Transformer layer. The weights are the ones the layers report
 * through {@link AttentionRecorder} in one inference pass (the unfused scores and edge softmax
 * beside the fused output). The self-loops GAT and GATv2 add are not edges of the graph (unless
 * it has them) and are left out, so there a node's in-edges share their softmax mass with its
 * loop. For a node,
 * as in PyG, only the edges with both ends within L hops of it (L layers) keep their weight;
 * the rest are 0. Exact on the whole graph: on a computation subgraph the later layers' weights
 * into its outermost hop are those of the subgraph.
 */
public final class AttentionExplanation {
  /** Layers whose attention is over the graph's edges (others attend over all pairs or none). */
  static final Set<ModelSpec.Layer> EDGE_ATTENTION = Set.of(ModelSpec.Layer.GAT,
      ModelSpec.Layer.GATV2, ModelSpec.Layer.TRANSFORMER, ModelSpec.Layer.GRAPH_TRANSFORMER);

  private AttentionExplanation() {}

  public static Explanation explain(Explainable e) {
    GraphModel model = e.model();
    if (!EDGE_ATTENTION.contains(model.spec().layer())) {
      throw new IllegalArgumentException("explain: --method attention reads attention over the"
          + " graph's edges (model.layer: gat, gatv2, transformer or graph_transformer); this"
          + " model's layers are '" + model.spec().layer().toString().toLowerCase(java.util.Locale.ROOT)
          + "' (use gnnexplainer, saliency or ig)");
    }
    EdgeIndex g = e.graph().edges();
    List<Integer> layers = ModelAttention.attentionLayers(model);
    ModelAttention.Recorded rec = ModelAttention.record(e.ctx(), model, e.input(), layers,
        AttentionRecorder.DEFAULT_MAX_WEIGHTS);
    float[] sum = new float[g.numEdges()];                                   // [E]
    for (AttentionWeights w : rec.attention()) {
      int[] edgeOf = graphEdges(w.edges(), g);
      for (int k = 0; k < edgeOf.length; k++) {
        if (edgeOf[k] < 0) continue;
        float mean = 0;
        for (int h = 0; h < w.heads(); h++) mean += w.weight(k, h);
        sum[edgeOf[k]] += mean / w.heads();
      }
    }
    int recorded = Math.max(1, rec.attention().size());
    for (int k = 0; k < sum.length; k++) sum[k] /= recorded;
    if (e.nodeLevel()) {
      int[] dist = ComputationSubgraph.distancesTo(g, e.row(), model.spec().layers());
      for (int k = 0; k < sum.length; k++) {
        if (dist[g.src()[k]] < 0 || dist[g.dst()[k]] < 0) sum[k] = 0;
      }
    }
    return new Explanation("attention", e.nodeLevel(), e.id(), e.predicted(),
        Explanation.scatter(sum, e.edgeMap(), e.fullEdges(), 1), null, 0);
  }

  /**
   * For each edge of an attention pattern, the graph edge with the same ends, or -1 (a layer's
   * own self-loop). Parallel edges pair up in order: the layers keep the graph's edge order.
   */
  static int[] graphEdges(EdgeIndex pattern, EdgeIndex g) {
    Map<Long, ArrayDeque<Integer>> byEnds = new HashMap<>();
    for (int k = 0; k < g.numEdges(); k++) {
      byEnds.computeIfAbsent(key(g.src()[k], g.dst()[k]), x -> new ArrayDeque<>()).add(k);
    }
    int[] out = new int[pattern.numEdges()];
    for (int k = 0; k < out.length; k++) {
      ArrayDeque<Integer> q = byEnds.get(key(pattern.src()[k], pattern.dst()[k]));
      out[k] = q == null || q.isEmpty() ? -1 : q.poll();
    }
    return out;
  }

  private static long key(int src, int dst) {
    return ((long) src << 32) | (dst & 0xffffffffL);
  }
}
