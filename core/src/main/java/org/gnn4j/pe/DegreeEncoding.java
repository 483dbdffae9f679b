package org.gnn4j.pe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Degree (centrality) encoding as in Graphormer (Ying et al., arXiv:2106.05234): each node's
 * in- and out-degree, capped at {@code maxDegree}, as integer ids, and a module that looks them
 * up in two learned tables and adds the rows: z_in[deg_in(i)] + z_out[deg_out(i)], [N, D].
 * Degrees count every edge of the {@link EdgeIndex} (duplicates and self-loops included), the
 * way PyG's {@code degree} does.
 */
public final class DegreeEncoding implements Module {
  private final int maxDegree;
  private final Tensor inTable;    // [maxDegree + 1, D]
  private final Tensor outTable;   // [maxDegree + 1, D]

  /** Tables of maxDegree + 1 rows and D columns, standard normal (torch's Embedding init). */
  public DegreeEncoding(Context ctx, int maxDegree, int outChannels, SplittableRandom rng) {
    if (maxDegree < 0 || outChannels < 1) {
      throw new IllegalArgumentException("DegreeEncoding: need maxDegree >= 0 and outChannels"
          + " >= 1 (got " + maxDegree + ", " + outChannels + ")");
    }
    this.maxDegree = maxDegree;
    this.inTable = ctx.randn(rng, maxDegree + 1, outChannels).requiresGrad(true);
    this.outTable = ctx.randn(rng, maxDegree + 1, outChannels).requiresGrad(true);
  }

  /** In-degree ids min(deg_in(i), maxDegree), [N]. */
  public static int[] inDegreeIds(EdgeIndex edges, int maxDegree) {
    return capped(edges.dst(), edges.numDstNodes(), maxDegree);
  }

  /** Out-degree ids min(deg_out(i), maxDegree), [N]. */
  public static int[] outDegreeIds(EdgeIndex edges, int maxDegree) {
    return capped(edges.src(), edges.numSrcNodes(), maxDegree);
  }

  private static int[] capped(int[] endpoint, int n, int maxDegree) {
    if (maxDegree < 0) {
      throw new IllegalArgumentException("DegreeEncoding: maxDegree must be >= 0 (got "
          + maxDegree + ")");
    }
    int[] deg = new int[n];
    for (int v : endpoint) deg[v]++;
    for (int i = 0; i < n; i++) deg[i] = Math.min(deg[i], maxDegree);
    return deg;
  }

  /** z_in[deg_in] + z_out[deg_out]: [N, D]. */
  public Tensor forward(EdgeIndex edges) {
    return IndexSelect.embedding(inTable, inDegreeIds(edges, maxDegree))
        .add(IndexSelect.embedding(outTable, outDegreeIds(edges, maxDegree)));
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("z_in", inTable);
    m.put("z_out", outTable);
    return m;
  }
}
