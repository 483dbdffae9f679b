package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graphormer's centrality encoding (Ying et al., arXiv:2106.05234, eq. 5), applied once to the
 * input node features: {@code h_i = x_i + z_in[deg-(i)] + z_out[deg+(i)]}, with learned
 * embeddings {@code z_in}, {@code z_out} [maxDegree + 1, C] indexed by in- and out-degree
 * (duplicate edges counted, degrees above maxDegree share the last row). For an undirected
 * graph stored with both directions the two degrees are equal and the sum acts as one
 * degree embedding. Initialised N(0, 0.02^2).
 */
public final class CentralityEncoding implements GraphLayer {
  private final int maxDegree;
  private final int channels;
  private final Tensor zIn;      // [maxDegree + 1, C]
  private final Tensor zOut;     // [maxDegree + 1, C]

  public CentralityEncoding(Context ctx, int maxDegree, int channels, SplittableRandom rng) {
    if (maxDegree < 0 || channels < 1) {
      throw new IllegalArgumentException("CentralityEncoding: need maxDegree >= 0 and channels"
          + " >= 1 (got " + maxDegree + ", " + channels + ")");
    }
    this.maxDegree = maxDegree;
    this.channels = channels;
    this.zIn = ctx.randn(rng, maxDegree + 1, channels).mul(0.02f).detach().requiresGrad(true);
    this.zOut = ctx.randn(rng, maxDegree + 1, channels).mul(0.02f).detach().requiresGrad(true);
  }

  /**
   * @param x [N, C]
   * @param edgeAttr ignored
   * @return [N, C]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    int n = edges.numDstNodes();
    if (x.rank() != 2 || x.dim(0) != n || edges.numSrcNodes() != n || x.dim(1) != channels) {
      throw new IllegalArgumentException("CentralityEncoding: x has shape " + x.shape()
          + ", expected [" + n + ", " + channels + "] for a graph of " + n + " nodes");
    }
    int[] in = clip(edges.inDegree());
    int[] ptr = edges.csrBySrc().rowPtr();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = Math.min(maxDegree, ptr[i + 1] - ptr[i]);
    return x.add(IndexSelect.embedding(zIn, in)).add(IndexSelect.embedding(zOut, out));
  }

  private int[] clip(int[] deg) {
    for (int i = 0; i < deg.length; i++) deg[i] = Math.min(maxDegree, deg[i]);
    return deg;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("z_in", zIn);
    m.put("z_out", zOut);
    return m;
  }
}
