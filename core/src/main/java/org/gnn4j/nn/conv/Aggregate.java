package org.gnn4j.nn.conv;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Linear;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.MatMul;
import org.gnn4j.ops.NeighborMax;
import org.gnn4j.ops.Reductions;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Tensor;

/**
 * The computation SageConv and GraphConv share, {@code out_i = lin(aggr_{j -> i} x_j) +
 * root(x_i)}, on the fast ops: ADD and MEAN are one SpMM over the CSR by target (MEAN with
 * constant 1/deg edge weights), MAX is {@link NeighborMax}; no [E, F] message tensor. When the
 * aggregation is linear and the output is narrower than the source features, the sources are
 * projected first (aggr(x) W = aggr(x W)), so the SpMM moves F_out instead of F_src columns;
 * lin's bias then rides on the root product (or is added once), never through the aggregation,
 * so a target without in-edges still gets exactly the bias.
 */
final class Aggregate {
  private final Aggr aggr;
  private final EdgeWeights meanWeights = new EdgeWeights(EdgeWeights::mean);

  Aggregate(Aggr aggr) {
    this.aggr = aggr;
  }

  Aggr aggr() {
    return aggr;
  }

  /** x: [numSrcNodes, F] -> [numDstNodes, F]. */
  Tensor apply(EdgeIndex e, Tensor x) {
    return apply(e, null, x);
  }

  /**
   * x: [numSrcNodes, F] -> [numDstNodes, F], each message times {@code mask[e]} (an explainer's
   * soft edge mask, [E]; null for none). The mean keeps the unmasked neighbour count.
   */
  Tensor apply(EdgeIndex e, Tensor mask, Tensor x) {
    if (mask != null && aggr == Aggr.MAX) {
      throw new IllegalArgumentException("aggregate: an edge mask needs aggr 'add' or 'mean' (got"
          + " 'max', whose messages are not weighted)");
    }
    return switch (aggr) {
      case ADD -> Spmm.aggregate(e, mask, x);
      case MEAN -> Spmm.aggregate(e, mask == null ? meanWeights.get(x.ctx(), e)
          : Elementwise.mul(meanWeights.get(x.ctx(), e), mask), x);
      case MAX -> NeighborMax.aggregate(e, x);
    };
  }

  /**
   * lin(aggr(xSrc)) + root(xDst).
   *
   * @param lin [F_out, F_src] weight and optional bias
   * @param root [F_out, F_dst] weight without bias, or null (no root term; xDst unused)
   * @return [numDstNodes, F_out]
   */
  Tensor withRoot(EdgeIndex e, Linear lin, Linear root, Tensor xSrc, Tensor xDst) {
    return withRoot(e, null, lin, root, xSrc, xDst);
  }

  /** {@link #withRoot} with an explainer's edge mask ([E] or null) on the messages. */
  Tensor withRoot(EdgeIndex e, Tensor mask, Linear lin, Linear root, Tensor xSrc, Tensor xDst) {
    if (aggr.commutesWithLinear() && lin.outFeatures() < lin.inFeatures()) {
      Tensor agg = apply(e, mask, MatMul.matmul(xSrc, lin.weight(), false, true));  // [Nd, F_out]
      Tensor b = lin.bias();
      if (root == null) return b == null ? agg : Elementwise.add(agg, b);
      Tensor r = b == null ? MatMul.matmul(xDst, root.weight(), false, true)
          : MatMul.linear(xDst, root.weight(), b);                           // [Nd, F_out]
      return Elementwise.add(agg, r);
    }
    Tensor out = lin.forward(apply(e, mask, xSrc));                                // [Nd, F_out]
    return root == null ? out : Elementwise.add(out, root.forward(xDst));
  }

  /**
   * Each row divided by its L2 norm, PyG's {@code F.normalize(out, p=2, dim=-1)}: x /
   * max(||x||, 1e-12). Computed as x / sqrt(||x||^2 + 1e-24), which is the same number in
   * float32 for every row whose norm exceeds ~1e-12 and gives the same gradient (d/dx = 1/1e-12)
   * on an all-zero row.
   *
   * @param x [N, F]
   */
  static Tensor l2Normalize(Tensor x) {
    Tensor norm = Reductions.sum(Elementwise.mul(x, x), 1, true).add(1e-24f).sqrt();  // [N, 1]
    return Elementwise.div(x, norm);
  }
}
