package org.gnn4j.nn;

import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Tensor;

/**
 * A graph layer that also runs on a bipartite graph, messages flowing from one node set (the
 * sources) to another (the targets), as PyG layers do when called with {@code (x_src, x_dst)}:
 * users to items, one relation of a heterogeneous graph. On an ordinary graph both sides are
 * the same features.
 */
public interface BipartiteLayer extends GraphLayer {
  /**
   * @param xSrc [N_src, F_src] features of the sources
   * @param xDst [N_dst, F_dst] features of the targets
   * @param graph edges from sources to targets ({@link Graph#bipartite}, or an ordinary graph
   *     when both sides are the same node set)
   * @param edgeAttr [E, D] edge features, or null
   * @return [N_dst, F_out]
   */
  Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr);

  @Override
  default Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    return forward(x, x, graph, edgeAttr);
  }
}
