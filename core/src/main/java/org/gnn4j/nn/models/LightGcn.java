package org.gnn4j.nn.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.conv.LgConv;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.PowerSum;
import org.gnn4j.ops.Sddmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * LightGCN (He et al., arXiv:2002.02126), numerically PyG's {@code models.LightGCN}: a learned
 * embedding per node, propagated by L parameter-free {@link LgConv}s and averaged over the
 * layers, out = sum_{l=0..L} alpha_l h_l with h_0 = {@code embedding.weight} [N, D] and
 * h_l = LGConv(h_{l-1}). {@code alpha} [L+1] is a buffer (default 1/(L+1) each, loaded like a
 * parameter, no gradient). {@link #getEmbedding} is PyG's get_embedding; {@link #forward}
 * scores node pairs by the dot product of their final embeddings, PyG's forward with
 * {@code edge_label_index}. The graph must have exactly the model's N nodes, one node set (e.g.
 * users and items numbered together).
 */
public final class LightGcn implements Module {
  private static final String OP = "LightGcn";
  private final int numNodes;
  private final int numLayers;
  private final Tensor embedding;   // embedding.weight: [N, D]
  private final Tensor alpha;       // [L + 1], buffer
  private final LgConv conv = new LgConv();

  /** PyG's initialisation: xavier-uniform embedding drawn from {@code rng}, uniform alpha. */
  public LightGcn(Context ctx, int numNodes, int embeddingDim, int numLayers,
                  SplittableRandom rng) {
    if (numNodes < 1 || embeddingDim < 1 || numLayers < 1) {
      throw new IllegalArgumentException(OP + ": num_nodes, embedding_dim and num_layers must be"
          + " >= 1 (got " + numNodes + ", " + embeddingDim + ", " + numLayers + ")");
    }
    this.numNodes = numNodes;
    this.numLayers = numLayers;
    this.embedding = Init.glorot(ctx, rng, numNodes, embeddingDim);
    float[] a = new float[numLayers + 1];
    Arrays.fill(a, 1f / (numLayers + 1));
    this.alpha = ctx.tensor(a, numLayers + 1);
  }

  /**
   * The final embedding of every node.
   *
   * @return [N, D]
   * @throws IllegalArgumentException if the graph does not have the model's N nodes
   */
  public Tensor getEmbedding(Graph graph) {
    if (graph.isBipartite() || graph.numNodes() != numNodes) {
      throw new IllegalArgumentException(OP + ": the graph must have the model's nodes (got "
          + graph.edges() + ", expected one node set of " + numNodes + " nodes)");
    }
    float[] a = alpha.data();
    boolean uniform = true;
    for (float v : a) uniform &= v == a[0];
    if (uniform) {
      // the default weights: one op for all layers, two work buffers instead of a tensor per
      // step (a recommender propagates the whole graph at every batch)
      EdgeIndex e = graph.edges();
      return PowerSum.apply(e, conv.weights(embedding.ctx(), e), embedding, numLayers, a[0]);
    }
    Tensor h = embedding;                                                   // [N, D]
    Tensor out = Elementwise.mulScalar(h, a[0]);
    for (int l = 1; l <= numLayers; l++) {
      h = conv.forward(h, graph);
      out = Elementwise.add(out, Elementwise.mulScalar(h, a[l]));
    }
    return out;
  }

  /**
   * Link scores: {@code out[m] = <e[src[m]], e[dst[m]]>} over the final embeddings e, one SDDMM
   * (no [M, D] gathered rows).
   *
   * @param labelEdges the M node pairs to score, ids in [0, N)
   * @return [M]
   */
  public Tensor forward(Graph graph, EdgeIndex labelEdges) {
    if (labelEdges.numSrcNodes() != numNodes || labelEdges.numDstNodes() != numNodes) {
      throw new IllegalArgumentException(OP + ": labelEdges must index the model's nodes (got "
          + labelEdges + ", expected " + numNodes + " nodes)");
    }
    Tensor e = getEmbedding(graph);
    return Sddmm.dot(labelEdges, e, e);
  }

  public int numLayers() {
    return numLayers;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("alpha", alpha);
    m.put("embedding.weight", embedding);
    return m;
  }
}
