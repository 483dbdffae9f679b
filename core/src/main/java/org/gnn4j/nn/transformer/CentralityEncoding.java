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
 * degree embedding. Initialised N(0, 0.02^2). Degrees count every edge (duplicates and
 * self-loops included), the way PyG's {@code degree} does. Configs add it to the encoded node
 * features with {@code model.encoder.degree} (the maxDegree).
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
    return x.add(IndexSelect.embedding(zIn, inDegreeIds(edges, maxDegree)))
        .add(IndexSelect.embedding(zOut, outDegreeIds(edges, maxDegree)));
  }

  /** In-degree ids min(deg_in(i), maxDegree), [N]: the rows of z_in. */
  public static int[] inDegreeIds(EdgeIndex edges, int maxDegree) {
    return capped(edges.dst(), edges.numDstNodes(), maxDegree);
  }

  /** Out-degree ids min(deg_out(i), maxDegree), [N]: the rows of z_out. */
  public static int[] outDegreeIds(EdgeIndex edges, int maxDegree) {
    return capped(edges.src(), edges.numSrcNodes(), maxDegree);
  }

  private static int[] capped(int[] endpoint, int n, int maxDegree) {
    if (maxDegree < 0) {
      throw new IllegalArgumentException("CentralityEncoding: maxDegree must be >= 0 (got "
          + maxDegree + ")");
    }
    int[] deg = new int[n];
    for (int v : endpoint) deg[v]++;
    for (int i = 0; i < n; i++) deg[i] = Math.min(deg[i], maxDegree);
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
