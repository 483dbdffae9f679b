package org.gnn4j.nn.conv;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/** Input checks shared by the conv layers, so their messages read the same. */
final class Checks {
  private Checks() {}

  /** x must be [N, features] for the graph's N nodes. */
  static void nodeFeatures(String layer, Tensor x, EdgeIndex edges, int features) {
    if (x.rank() != 2 || x.dim(0) != edges.numDstNodes() || x.dim(0) != edges.numSrcNodes()) {
      throw new IllegalArgumentException(layer + ": x has shape " + x.shape() + ", expected ["
          + edges.numDstNodes() + ", " + features + "] for a graph of " + edges.numDstNodes()
          + " nodes");
    }
    if (x.dim(1) != features) {
      throw new IllegalArgumentException(layer + ": x has " + x.dim(1) + " features, expected "
          + features);
    }
  }

  /**
   * For a layer that runs on bipartite graphs: xSrc must be [N_src, srcFeatures] and xDst
   * [N_dst, dstFeatures] for the graph's two node sets (the same tensor on an ordinary graph).
   */
  static void bipartiteFeatures(String layer, Tensor xSrc, Tensor xDst, EdgeIndex edges,
                                int srcFeatures, int dstFeatures) {
    if (xSrc == xDst && srcFeatures == dstFeatures
        && edges.numSrcNodes() == edges.numDstNodes()) {
      nodeFeatures(layer, xSrc, edges, srcFeatures);
      return;
    }
    side(layer, "xSrc", xSrc, edges.numSrcNodes(), srcFeatures, "sources");
    side(layer, "xDst", xDst, edges.numDstNodes(), dstFeatures, "targets");
  }

  private static void side(String layer, String name, Tensor x, int n, int features, String what) {
    if (x == null || x.rank() != 2 || x.dim(0) != n || x.dim(1) != features) {
      throw new IllegalArgumentException(layer + ": " + name + " has shape "
          + (x == null ? "null" : x.shape()) + ", expected [" + n + ", " + features + "] for "
          + n + " " + what);
    }
  }

  /** edgeAttr must be given and be [E, edgeDim] for the graph's E edges. */
  static void edgeFeatures(String layer, Tensor edgeAttr, EdgeIndex edges, int edgeDim) {
    if (edgeAttr == null) {
      throw new IllegalArgumentException(layer + ": edge features are required (edgeDim = "
          + edgeDim + ") but none were given");
    }
    if (edgeAttr.rank() != 2 || edgeAttr.dim(0) != edges.numEdges()
        || edgeAttr.dim(1) != edgeDim) {
      throw new IllegalArgumentException(layer + ": edgeAttr has shape " + edgeAttr.shape()
          + ", expected [" + edges.numEdges() + ", " + edgeDim + "]");
    }
  }
}
