package org.gnn4j.nn.conv;

import java.util.function.Function;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A layer's per-edge constant weights (mean aggregation, LightGCN's normalisation) for the last
 * graph it saw: they depend only on the structure, so a graph reused across steps pays for them
 * once (PyG's {@code cached=True}, automatic). One entry per layer, replaced when the graph or
 * the context changes; never shared between layers.
 */
final class EdgeWeights {
  private record Entry(EdgeIndex edges, Context ctx, Tensor weight) {}

  private final Function<EdgeIndex, float[]> compute;
  private volatile Entry last;

  EdgeWeights(Function<EdgeIndex, float[]> compute) {
    this.compute = compute;
  }

  /** w: [E] for {@code edges}, a constant (no gradient). */
  Tensor get(Context ctx, EdgeIndex edges) {
    Entry e = last;
    if (e == null || e.edges() != edges || e.ctx() != ctx) {
      float[] w = compute.apply(edges);
      last = e = new Entry(edges, ctx, ctx.tensor(w, w.length));
    }
    return e.weight();
  }

  /** Mean aggregation: w[e] = 1 / in-degree of e's target. */
  static float[] mean(EdgeIndex edges) {
    int[] deg = edges.inDegree();
    int[] dst = edges.dst();
    float[] w = new float[dst.length];                     // w: [E]
    for (int k = 0; k < w.length; k++) w[k] = 1f / deg[dst[k]];
    return w;
  }

  /**
   * LGConv's symmetric normalisation: w[e] = deg_j^-1/2 deg_i^-1/2 for e: j -> i, deg the
   * in-degree at both ends and 0^-1/2 = 0 (PyG's gcn_norm without self-loops).
   */
  static float[] symmetricInDegree(EdgeIndex edges) {
    int[] deg = edges.inDegree();
    float[] dinv = new float[deg.length];                  // dinv: [N]
    for (int i = 0; i < deg.length; i++) {
      dinv[i] = deg[i] == 0 ? 0f : (float) (1.0 / Math.sqrt(deg[i]));
    }
    int[] src = edges.src();
    int[] dst = edges.dst();
    float[] w = new float[src.length];                     // w: [E]
    for (int k = 0; k < w.length; k++) w[k] = dinv[src[k]] * dinv[dst[k]];
    return w;
  }
}
