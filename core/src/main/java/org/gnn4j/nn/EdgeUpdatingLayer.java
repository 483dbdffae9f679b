package org.gnn4j.nn;

import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Tensor;

/**
 * A graph layer that updates the edge stream as well as the nodes (Dwivedi &amp; Bresson's graph
 * transformer, the Graph Network block): a model feeds the new edge features to the next layer.
 */
public interface EdgeUpdatingLayer extends GraphLayer {
  /** Node and edge features after the layer: h [N, F_out], e [E, D_out]. */
  record Output(Tensor h, Tensor e) {}

  /**
   * @param edgeAttr [E, D] edge features (required: the layer updates them)
   */
  Output forwardWithEdges(Tensor x, Graph graph, Tensor edgeAttr);

  @Override
  default Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    return forwardWithEdges(x, graph, edgeAttr).h();
  }
}
