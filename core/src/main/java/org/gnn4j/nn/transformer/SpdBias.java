package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graphormer's spatial encoding (Ying et al., arXiv:2106.05234, eq. 6): a learned scalar
 * b_phi(i, j) per head for every shortest-path distance id phi(i, j), added to the attention
 * score of query i on key j. The table {@code weight} [maxDist + 2, H] has one row per distance
 * 0 .. maxDist and one for "unreachable"; initialised N(0, 0.02^2) as Graphormer's embeddings.
 * With a graph token the table has one more row, {@link #tokenId()}: the paper's learned
 * b_phi(v, [VNode]), the one "distance" between the token and every node.
 */
public final class SpdBias implements org.gnn4j.nn.Module {
  private final int maxDist;
  private final Tensor weight;     // [maxDist + 2, H]

  public SpdBias(Context ctx, int maxDist, int heads, SplittableRandom rng) {
    this(ctx, maxDist, heads, false, rng);
  }

  /** @param graphToken whether the table has the graph token's row ({@link #tokenId()}) */
  public SpdBias(Context ctx, int maxDist, int heads, boolean graphToken, SplittableRandom rng) {
    if (maxDist < 1 || heads < 1) {
      throw new IllegalArgumentException("SpdBias: need maxDist >= 1 and heads >= 1 (got "
          + maxDist + ", " + heads + ")");
    }
    this.maxDist = maxDist;
    this.weight = ctx.randn(rng, maxDist + (graphToken ? 3 : 2), heads).mul(0.02f).detach()
        .requiresGrad(true);
  }

  /** The row of the graph token's pairs: maxDist + 2 (after "unreachable"). */
  public int tokenId() {
    return maxDist + 2;
  }

  /**
   * The bias of the pairs of {@code sp} under other distance ids [P] ({@code sp.distances()}
   * with the token's pairs set to {@link #tokenId()}): [P, H].
   *
   * @throws IllegalArgumentException if an id is outside the table or maxDist differs
   */
  public Tensor forward(ShortestPaths sp, int[] ids) {
    checkMaxDist(sp);
    return IndexSelect.embedding(weight, ids);
  }

  private void checkMaxDist(ShortestPaths sp) {
    if (sp.maxDist() != maxDist) {
      throw new IllegalArgumentException("SpdBias: shortest paths computed with maxDist = "
          + sp.maxDist() + ", expected " + maxDist + " (the size of the bias table)");
    }
  }

  /** The bias of every pair of {@code sp}: [P, H]. */
  public Tensor forward(ShortestPaths sp) {
    checkMaxDist(sp);
    return IndexSelect.embedding(weight, sp.distances());
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    return m;
  }
}
