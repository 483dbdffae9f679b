package org.gnn4j.nn;

import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Tensor;

/**
 * What every graph layer is: node features in, node features out, over a {@link Graph} and, for
 * layers that read them, edge features (one row per edge of the graph). Message-passing layers
 * (GCN, GIN, GAT, ...), graph transformers (GPS, Graphormer, Dwivedi &amp; Bresson) and plain
 * attention over a pattern all answer this one call, so models, {@code pyg-check} and the
 * benchmarks stack and drive them alike. Training behaviour is the module's mode
 * ({@link Module#train}), not an argument.
 */
public interface GraphLayer extends Module {
  /**
   * @param x [N, F_in] node features
   * @param graph the structure; its node count is N
   * @param edgeAttr [E, D] edge features, or null; layers that use none ignore them
   * @return [N, F_out]
   */
  Tensor forward(Tensor x, Graph graph, Tensor edgeAttr);

  /** Forward without edge features. */
  default Tensor forward(Tensor x, Graph graph) {
    return forward(x, graph, null);
  }
}
