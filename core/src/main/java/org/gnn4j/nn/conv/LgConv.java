package org.gnn4j.nn.conv;

import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Tensor;

/**
 * The light graph convolution of LightGCN (He et al., arXiv:2002.02126), numerically PyG's
 * LGConv with {@code normalize=True}: x'_i = sum_{j -> i} deg_j^-1/2 deg_i^-1/2 x_j, no
 * parameters, no self-loops, no nonlinearity. deg is the in-degree at both ends (duplicates and
 * existing self-loops counted) and 0^-1/2 is 0, so a message from a node without in-edges of its
 * own is dropped although the edge exists. One SpMM with per-edge weights computed once per
 * graph. {@code normalize = false} sums the neighbours unweighted. Needs one node set (refuses a
 * bipartite graph). PyG's {@code edge_weight} is not supported.
 */
public final class LgConv implements GraphLayer {
  private static final String OP = "LgConv";
  private final EdgeWeights norm;     // null when not normalising

  /** PyG's default, {@code normalize=True}. */
  public LgConv() {
    this(true);
  }

  public LgConv(boolean normalize) {
    this.norm = normalize ? new EdgeWeights(EdgeWeights::symmetricInDegree) : null;
  }

  /**
   * @param x [N, F]
   * @param edgeAttr ignored
   * @return [N, F]
   * @throws IllegalArgumentException on a bipartite graph or if x is not [N, F]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex e = graph.edges();
    if (graph.isBipartite()) {
      throw new IllegalArgumentException(OP + ": needs one node set (got a bipartite " + e
          + ", expected as many sources as targets)");
    }
    if (x.rank() != 2 || x.dim(0) != e.numNodes()) {
      throw new IllegalArgumentException(OP + ": x has shape " + x.shape() + ", expected ["
          + e.numNodes() + ", F] for a graph of " + e.numNodes() + " nodes");
    }
    return Spmm.aggregate(e, norm == null ? null : norm.get(x.ctx(), e), x);  // [N, F]
  }

  /**
   * The per-edge weights this layer multiplies messages by on {@code e} (cached per graph), or
   * null without normalisation: for ops that fuse several propagations ({@code PowerSum}).
   *
   * @return [E] constant weights, or null
   */
  public Tensor weights(org.gnn4j.tensor.Context ctx, EdgeIndex e) {
    return norm == null ? null : norm.get(ctx, e);
  }

  /** None: LGConv has no parameters. */
  @Override
  public Map<String, Tensor> namedParameters() {
    return Map.of();
  }
}
