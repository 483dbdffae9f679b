package org.gnn4j.model;

import java.util.Map;
import org.gnn4j.graph.HeteroGraph;

/**
 * What a {@link HeteroGraphModel} reads: the structure, the features of the node types that
 * have them, and (for a sampled subgraph) the global id of every node, so featureless types look
 * their rows up in the model's embedding tables.
 *
 * @param graph the (sub)graph; its node types and relations are those the model was built for
 * @param x node type -> [N_t, F_t], for the types with features
 * @param nodeIds node type -> [N_t] global id of every node (a sample's {@code nodes()}), or null
 *     when {@code graph} is the whole graph (ids 0 .. N_t - 1)
 */
public record HeteroInput(HeteroGraph graph, Map<String, org.gnn4j.tensor.Tensor> x,
                          Map<String, int[]> nodeIds) {
  public HeteroInput {
    if (graph == null || x == null) {
      throw new IllegalArgumentException("HeteroInput: graph and x must not be null (got graph "
          + graph + ", x " + x + ")");
    }
    x = Map.copyOf(x);
    nodeIds = nodeIds == null ? null : Map.copyOf(nodeIds);
  }

  /** The whole graph. */
  public static HeteroInput of(HeteroGraph graph, Map<String, org.gnn4j.tensor.Tensor> x) {
    return new HeteroInput(graph, x, null);
  }
}
