package org.gnn4j.nn;

import java.util.Map;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.tensor.Tensor;

/**
 * A layer over a {@link HeteroGraph}: features per node type in, features per node type out
 * (PyG's {@code x_dict -> out_dict}). HeteroConv, RGCN-style and HGT layers answer it; a node
 * type that is the target of no relation gets no output.
 */
public interface HeteroLayer extends Module {
  /**
   * @param x node type -> [N_t, F_t] features
   * @param graph the structure; every type it names must have features in {@code x}
   * @param edgeAttr relation -> [E_r, D] edge features, for the relations that have them (may
   *     be empty, never null)
   * @return node type -> [N_t, F_out], for the types some relation ends at
   */
  Map<String, Tensor> forward(Map<String, Tensor> x, HeteroGraph graph,
                              Map<Relation, Tensor> edgeAttr);

  /** Forward without edge features. */
  default Map<String, Tensor> forward(Map<String, Tensor> x, HeteroGraph graph) {
    return forward(x, graph, Map.of());
  }
}
