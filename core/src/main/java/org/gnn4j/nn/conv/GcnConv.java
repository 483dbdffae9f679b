package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph convolution of Kipf &amp; Welling (arXiv:1609.02907), numerically PyG's GCNConv:
 * x'_i = b + sum_{j -> i} deg_j^{-1/2} deg_i^{-1/2} (W x_j) over the edges plus one self-loop
 * per node replacing any it had (PyG's add_remaining_self_loops), deg_i = in-degree including that loop.
 * The normalised edge set depends only on the graph, so it is computed once per EdgeIndex and
 * cached (PyG's {@code cached=True}).
 */
public final class GcnConv implements Module {
  private final Linear lin;      // lin.weight: [out, in], no bias (PyG keeps the bias apart)
  private final Tensor bias;     // [out]
  private EdgeIndex cachedFor;
  private Normalized cached;

  /** The self-loop-augmented edges and their symmetric normalisation weights w: [E']. */
  public record Normalized(EdgeIndex edges, Tensor weight) {}

  public GcnConv(Context ctx, int inChannels, int outChannels, SplittableRandom rng) {
    this.lin = new Linear(inChannels, outChannels, Init.glorot(ctx, rng, outChannels, inChannels),
        null);
    this.bias = Init.zeros(ctx, outChannels);
  }

  /**
   * @param x [N, inChannels]
   * @return [N, outChannels]
   */
  public Tensor forward(Tensor x, EdgeIndex edges) {
    if (x.rank() != 2 || x.dim(0) != edges.numNodes()) {
      throw new IllegalArgumentException("GcnConv: x has shape " + x.shape() + ", expected ["
          + edges.numNodes() + ", F] for a graph of " + edges.numNodes() + " nodes");
    }
    if (cachedFor != edges) {
      cached = normalize(x.ctx(), edges);
      cachedFor = edges;
    }
    Tensor h = lin.forward(x);                                       // [N, out]
    return Elementwise.add(Spmm.aggregate(cached.edges(), cached.weight(), h), bias);
  }

  /** PyG's gcn_norm with add_remaining_self_loops and unit edge weights. */
  public static Normalized normalize(Context ctx, EdgeIndex edges) {
    EdgeIndex looped = SelfLoops.replace(edges);
    int n = looped.numNodes();
    int total = looped.numEdges();
    int[] src = looped.src();
    int[] dst = looped.dst();
    float[] deg = new float[n];                                      // deg: [N] in-degree
    for (int k = 0; k < total; k++) deg[dst[k]]++;
    float[] w = new float[total];                                    // w: [E']
    for (int k = 0; k < total; k++) {
      w[k] = (float) (1.0 / Math.sqrt((double) deg[src[k]] * deg[dst[k]]));
    }
    return new Normalized(looped, ctx.tensor(w, total));
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("bias", bias);
    Module.addAll(m, "lin", lin);
    return m;
  }
}
