package org.gnn4j.spark.infer;

import org.gnn4j.ops.Elementwise;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * SAGE and GraphConv (gnn4j's SageConv, GraphConv) as a layer plan: out_i = lin(aggr_{j -> i}
 * x_j) + root(x_i). As on one machine, when the aggregation is linear and the output narrower
 * than the input the sources are projected before the shuffle (aggr(x) W = aggr(x W)), which
 * also shrinks what crosses the network, and lin's bias rides on the root product. Otherwise
 * the root product runs in the update, on the kept input rows, not before the shuffle.
 */
final class NeighbourPlan implements LayerPlan {
  private final String kind;
  private final Reduce reduce;
  private final Dense lin;       // [out, in] + bias, on the aggregate
  private final Dense root;      // [out, in] no bias, on the node itself; null: none
  private final boolean projectFirst;

  NeighbourPlan(String kind, Reduce reduce, Dense lin, Dense root) {
    this.kind = kind;
    this.reduce = reduce;
    this.lin = lin;
    this.root = root;
    this.projectFirst = reduce != Reduce.MAX && lin.out() < lin.in();
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public int inWidth() {
    return lin.in();
  }

  @Override
  public int outWidth() {
    return lin.out();
  }

  private int sentWidth() {
    return projectFirst ? lin.out() : lin.in();
  }

  @Override
  public NodeSide nodeSide(Context ctx, Tensor x, float[] stats) {
    int b = x.dim(0);
    if (projectFirst) {
      Tensor send = lin.withoutBias().apply(ctx, x);                        // [B, out]
      Tensor keep = root != null ? root.apply(ctx, x, lin.bias())           // [B, out]
          : ctx.tensor(new float[0], b, 0);
      return new NodeSide(send, null, keep);
    }
    // The root product waits for the update: x is kept anyway (it is what the sources send), so
    // keeping root(x) too would hold a second [B, out] array through the shuffle.
    return new NodeSide(x, null, root != null ? x : ctx.tensor(new float[0], b, 0));
  }

  @Override
  public boolean readsTarget() {
    return false;
  }

  @Override
  public boolean readsInDegree() {
    return false;
  }

  @Override
  public RowReduce rowReduce() {
    return new RowReduce(reduce, sentWidth(), false);
  }

  @Override
  public double[] message(float[] source, float[] target, float[] edge) {
    return reduce.of(source);
  }

  @Override
  public double[] accumulate(double[] state, float[] source, float[] target, float[] edge) {
    return reduce.accumulate(state, source);
  }

  @Override
  public double[] merge(double[] a, double[] b) {
    return reduce.merge(a, b);
  }

  @Override
  public float[] finish(double[] state) {
    return reduce.finish(state, sentWidth());
  }

  @Override
  public Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats) {
    if (projectFirst) {
      if (root != null) return Elementwise.add(aggregate, keep);
      return lin.bias() == null ? aggregate : Elementwise.add(aggregate, ctx.tensor(lin.bias(), lin.out()));
    }
    Tensor out = lin.apply(ctx, aggregate);
    return root == null ? out : Elementwise.add(out, root.apply(ctx, keep));
  }
}
